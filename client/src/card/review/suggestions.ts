/**
 * Pending suggestions as the panel and the presentation view show them: one entry per suggestion
 * id (a replacement has a deleted and an inserted part under one id), in document order, with its
 * author from the clientID of its metadata entry.
 */
import type { Ministry } from '@kartu/protocol'
import { type Author, type FormatDelta, SuggestionKind, suggestionKindOf } from '@kartu/schema'
import type * as Y from 'yjs'
import { authorOf, clientOfMapEntry, isOwnClient } from './authors.ts'
import type { SuggestionSpan } from './engine.ts'
import { readSuggestionMeta, suggestionsMap } from './suggestionMeta.ts'

/** What a suggestion does, as it is named everywhere (see suggestionKindOf in @kartu/schema). */
export type SuggestionShape = SuggestionKind
export const SuggestionShape = SuggestionKind

export type SuggestionView = {
  id: string
  /** What it does now, read from the document (the same as `kind`). */
  shape: SuggestionShape
  /** What it does now: the name the panel, the tooltip and the decision log use. */
  kind: SuggestionKind
  inserted: string
  deleted: string
  /** The text a format change or a join is about (a join: the two sides, split by a line break). */
  text: string
  /** For a format change: what it adds, removes, or which block type it changes. */
  format: FormatDelta | null
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
    const other = parts.filter(
      (part) => part.kind === SuggestionKind.Format || part.kind === SuggestionKind.Join,
    )
    const meta = readSuggestionMeta(map.get(id))
    const clientId = clientOfMapEntry(map, id)
    const first = parts[0]
    if (!first) continue
    const kind = suggestionKindOf(parts)
    views.push({
      id,
      shape: kind,
      kind,
      inserted: inserted.map((part) => part.text).join(''),
      deleted: deleted.map((part) => part.text).join(''),
      text: other.map((part) => part.text).join(' '),
      format: mergeFormats(other.flatMap((part) => (part.format ? [part.format] : []))),
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

function mergeFormats(formats: readonly FormatDelta[]): FormatDelta | null {
  if (formats.length === 0) return null
  const union = (pick: (format: FormatDelta) => string[]) => [...new Set(formats.flatMap(pick))]
  const block = formats.find((format) => format.block)?.block
  return {
    added: union((format) => format.added),
    removed: union((format) => format.removed),
    ...(block ? { block } : {}),
  }
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

/**
 * The suggested change as the decision log records it (in no language: the log shows it with
 * its kind, which is translated).
 */
export function suggestionText(view: SuggestionView): string {
  switch (view.kind) {
    case SuggestionKind.Replace:
      return `${view.deleted} → ${view.inserted}`
    case SuggestionKind.Move:
    case SuggestionKind.Insert:
    case SuggestionKind.Split:
      return view.inserted
    case SuggestionKind.Delete:
      return view.deleted
    case SuggestionKind.Join:
      return view.text.replace('\n', ' ¶ ')
    case SuggestionKind.Format: {
      const format = view.format
      const change = format?.block
        ? `${format.block.from} → ${format.block.to}`
        : [
            ...(format?.added ?? []).map((name) => `+${name}`),
            ...(format?.removed ?? []).map((name) => `−${name}`),
          ].join(' ')
      return `${view.text} [${change}]`
    }
  }
}

/** "Name · Ministry" for the record; null when the author is not known yet. */
export function authorLabel(author: Author | null, ministries: readonly Ministry[]): string | null {
  if (!author) return null
  // An author imported from a Word file whose name matched no ministry has none.
  if (author.ministryId === '') return author.name
  const ministry = ministries.find((candidate) => candidate.id === author.ministryId)
  return `${author.name} · ${ministry?.short ?? author.ministryId}`
}
