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

/** The suggestion id of an insertion or deletion mark; null for a mark without one. */
export function suggestionIdOf(mark: Mark): string | null {
  const id: unknown = mark.attrs.id
  return typeof id === 'string' && id !== '' ? id : null
}

/** The ids of the marks of `type` among `marks`, in mark order. */
export function idsOf(marks: readonly Mark[], type: MarkType): string[] {
  const ids: string[] = []
  for (const mark of marks) {
    if (mark.type !== type) continue
    const id = suggestionIdOf(mark)
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
