/**
 * The metadata bridge: every suggestion mark in the answer has an entry in the card document's
 * `suggestions` map ({kind, createdAt}), written in the same Yjs transaction as the marks, so the
 * entry's clientID (and with it the author) is the suggester's.
 *
 * Only what a local transaction changed is considered: a mark id that it introduced gets an
 * entry, and an entry of ours whose marks it removed (we deleted our own insertion, or undid our
 * suggestion) is dropped. Marks that arrive from others are never given an entry here: that
 * would make us their author.
 */
import {
  collectSuggestions,
  SUGGESTIONS_FIELD,
  SuggestionKind,
  type SuggestionMeta,
  type SuggestionSpan,
  suggestionKindOf,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import type * as Y from 'yjs'
import { clientOfMapEntry, isOwnClient } from './authors.ts'

export type MetaPlan = {
  add: Array<[id: string, meta: SuggestionMeta]>
  remove: string[]
}

export type MetaEntries = {
  has(id: string): boolean
  /** The entry was written by us. */
  isOwn(id: string): boolean
}

/**
 * The suggestion ids in a document (marks and block attributes alike) with what each does, in
 * document order.
 */
export function suggestionKinds(doc: PMNode): Map<string, SuggestionKind> {
  const parts = new Map<string, SuggestionSpan[]>()
  for (const span of collectSuggestions(doc))
    parts.set(span.id, [...(parts.get(span.id) ?? []), span])
  const kinds = new Map<string, SuggestionKind>()
  for (const [id, spans] of parts) kinds.set(id, suggestionKindOf(spans))
  return kinds
}

export function planSuggestionMeta(
  before: PMNode,
  after: PMNode,
  entries: MetaEntries,
  now: number,
): MetaPlan {
  const plan: MetaPlan = { add: [], remove: [] }
  if (before.eq(after)) return plan
  const previous = suggestionKinds(before)
  const next = suggestionKinds(after)
  for (const [id, kind] of next) {
    if (!previous.has(id) && !entries.has(id)) plan.add.push([id, { kind, createdAt: now }])
  }
  for (const id of previous.keys()) {
    if (!next.has(id) && entries.has(id) && entries.isOwn(id)) plan.remove.push(id)
  }
  return plan
}

export function isEmptyPlan(plan: MetaPlan): boolean {
  return plan.add.length === 0 && plan.remove.length === 0
}

export function suggestionsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(SUGGESTIONS_FIELD)
}

export function metaEntries(doc: Y.Doc, myUserId: string): MetaEntries {
  const map = suggestionsMap(doc)
  return {
    has: (id) => map.has(id),
    isOwn: (id) => isOwnClient(doc, clientOfMapEntry(map, id), myUserId),
  }
}

/** Call inside a Yjs transaction. */
export function applyMetaPlan(doc: Y.Doc, plan: MetaPlan): void {
  const map = suggestionsMap(doc)
  for (const [id, meta] of plan.add) map.set(id, meta)
  for (const id of plan.remove) map.delete(id)
}

/** A metadata entry as it arrived from the network, checked. */
export function readSuggestionMeta(value: unknown): SuggestionMeta | null {
  if (typeof value !== 'object' || value === null) return null
  const record = value as Record<string, unknown>
  const kinds: readonly unknown[] = Object.values(SuggestionKind)
  const kind = kinds.includes(record.kind)
  if (!kind || typeof record.createdAt !== 'number') return null
  return { kind: record.kind as SuggestionKind, createdAt: record.createdAt }
}
