/**
 * Pending suggestions as the panel and the presentation view show them: one entry per suggestion
 * id (a replacement has a deleted and an inserted part under one id), in document order, with its
 * author from the clientID of its metadata entry.
 */
import type { Ministry } from '@kartu/protocol'
import { type Author, SuggestionKind } from '@kartu/schema'
import type * as Y from 'yjs'
import { authorOf, clientOfMapEntry, isOwnClient } from './authors.ts'
import type { SuggestionSpan } from './engine.ts'
import { readSuggestionMeta, suggestionsMap } from './suggestionMeta.ts'

export const SuggestionShape = {
  Insert: 'insert',
  Delete: 'delete',
  Replace: 'replace',
} as const
export type SuggestionShape = (typeof SuggestionShape)[keyof typeof SuggestionShape]

export type SuggestionView = {
  id: string
  shape: SuggestionShape
  /** The kind recorded in its metadata, else that of its first part. */
  kind: SuggestionKind
  inserted: string
  deleted: string
  from: number
  to: number
  spans: SuggestionSpan[]
  createdAt: number | null
  author: Author | null
  mine: boolean
  hasMeta: boolean
}

/** Alternatives compete for the same words: deciding for one rejects the others. */
export type SuggestionGroup = {
  key: string
  suggestions: SuggestionView[]
}

export function buildSuggestions(
  spans: readonly SuggestionSpan[],
  doc: Y.Doc,
  me: Author,
): SuggestionView[] {
  const byId = new Map<string, SuggestionSpan[]>()
  for (const span of spans) byId.set(span.id, [...(byId.get(span.id) ?? []), span])
  const map = suggestionsMap(doc)
  const views: SuggestionView[] = []
  for (const [id, parts] of byId) {
    const inserted = parts.filter((part) => part.kind === SuggestionKind.Insert)
    const deleted = parts.filter((part) => part.kind === SuggestionKind.Delete)
    const meta = readSuggestionMeta(map.get(id))
    const clientId = clientOfMapEntry(map, id)
    const first = parts[0]
    if (!first) continue
    views.push({
      id,
      shape:
        inserted.length > 0 && deleted.length > 0
          ? SuggestionShape.Replace
          : inserted.length > 0
            ? SuggestionShape.Insert
            : SuggestionShape.Delete,
      kind: meta?.kind ?? first.kind,
      inserted: inserted.map((part) => part.text).join(''),
      deleted: deleted.map((part) => part.text).join(''),
      from: Math.min(...parts.map((part) => part.from)),
      to: Math.max(...parts.map((part) => part.to)),
      spans: parts,
      createdAt: meta?.createdAt ?? null,
      author: meta ? authorOf(doc, clientId, me) : null,
      mine: meta !== null && isOwnClient(doc, clientId, me.userId),
      hasMeta: meta !== null,
    })
  }
  return views.sort((a, b) => a.from - b.from)
}

/** Suggestions with their alternatives, in document order; a lone suggestion is a group of one. */
export function groupSuggestions(
  views: readonly SuggestionView[],
  alternatives: readonly (readonly string[])[],
): SuggestionGroup[] {
  const groupOf = new Map<string, number>()
  alternatives.forEach((ids, index) => {
    for (const id of ids) groupOf.set(id, index)
  })
  const groups: SuggestionGroup[] = []
  const byIndex = new Map<number, SuggestionGroup>()
  for (const view of views) {
    const index = groupOf.get(view.id)
    const existing = index === undefined ? undefined : byIndex.get(index)
    if (existing) {
      existing.suggestions.push(view)
      continue
    }
    const group = { key: view.id, suggestions: [view] }
    groups.push(group)
    if (index !== undefined) byIndex.set(index, group)
  }
  return groups
}

/** The suggested text as the decision log records it. */
export function suggestionText(view: SuggestionView): string {
  if (view.shape === SuggestionShape.Replace) return `${view.deleted} → ${view.inserted}`
  return view.shape === SuggestionShape.Insert ? view.inserted : view.deleted
}

/** "Name · Ministry" for the record; null when the author is not known yet. */
export function authorLabel(author: Author | null, ministries: readonly Ministry[]): string | null {
  if (!author) return null
  const ministry = ministries.find((candidate) => candidate.id === author.ministryId)
  return `${author.name} · ${ministry?.short ?? author.ministryId}`
}
