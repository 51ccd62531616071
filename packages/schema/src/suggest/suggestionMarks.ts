/**
 * The review marks as the suggestion engine sees them: their types in a schema, and the
 * suggestion ids that a node's marks carry.
 */
import type { Mark, MarkType, Node as PMNode, Schema } from '@tiptap/pm/model'
import { MarkName } from '../reviewMarks.ts'

export type SuggestionMarkTypes = {
  insertion: MarkType
  deletion: MarkType
  format: MarkType
  comment: MarkType | undefined
}

const typesBySchema = new WeakMap<Schema, SuggestionMarkTypes>()

/** The insertion, deletion and comment mark types of a schema (throws without the first two). */
export function suggestionMarkTypes(schema: Schema): SuggestionMarkTypes {
  const known = typesBySchema.get(schema)
  if (known) return known
  const insertion = schema.marks[MarkName.Insertion]
  const deletion = schema.marks[MarkName.Deletion]
  const format = schema.marks[MarkName.FormatChange]
  if (!insertion || !deletion || !format) {
    throw new Error('suggest: the schema has no insertion, deletion and format change marks')
  }
  const types = { insertion, deletion, format, comment: schema.marks[MarkName.Comment] }
  typesBySchema.set(schema, types)
  return types
}

/**
 * The suggestion id in the attributes of an insertion, deletion or format change mark: a
 * ProseMirror mark's `attrs`, or the value y-prosemirror stores for the mark in Yjs (the same
 * attributes). Null for a mark without one. The one reader of a suggestion mark's id.
 */
export function suggestionIdOf(attrs: unknown): string | null {
  const id = (attrs as { id?: unknown } | null | undefined)?.id
  return typeof id === 'string' && id !== '' ? id : null
}

/** The ids of the marks of `type` among `marks`, in mark order. */
export function idsOf(marks: readonly Mark[], type: MarkType): string[] {
  const ids: string[] = []
  for (const mark of marks) {
    if (mark.type !== type) continue
    const id = suggestionIdOf(mark.attrs)
    if (id !== null) ids.push(id)
  }
  return ids
}

export function isDeleted(node: PMNode, types: SuggestionMarkTypes): boolean {
  return types.deletion.isInSet(node.marks) !== undefined
}

export function insertionIds(node: PMNode, types: SuggestionMarkTypes): string[] {
  return idsOf(node.marks, types.insertion)
}

export function deletionIds(node: PMNode, types: SuggestionMarkTypes): string[] {
  return idsOf(node.marks, types.deletion)
}
