/**
 * Deciding suggestions and the decision log. A decision changes the answer (through the engine's
 * accept or reject), removes the suggestion's metadata entry, appends a Decision to `decisions`
 * and resolves the suggestion's reply threads, all in one Yjs transaction. Who decided is the
 * owner of the decision item's clientID; the record itself names no decider. The log links to
 * the threads through the suggestion id they share.
 */
import type { Ministry } from '@kartu/protocol'
import {
  AUTHORS_FIELD,
  type Author,
  DECISIONS_FIELD,
  type Decision,
  DecisionOutcome,
  type OrphanedSuggestion,
  restoreRecordSchema,
  SuggestionKind,
} from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import type * as Y from 'yjs'
import { authorOf, clientOfMapKeyEver, clientsOfArray } from './authors.ts'
import { decideSuggestions } from './engine.ts'
import { suggestionsMap } from './suggestionMeta.ts'
import { authorLabel, type SuggestionView, suggestionText } from './suggestions.ts'
import { inReviewTransaction } from './syncTransaction.ts'
import { resolveSuggestionThreads } from './threads.ts'

export type DecisionView = Decision & {
  index: number
  decidedBy: Author | null
  /** The suggestion's author as the server recorded it (not the record's own text). */
  suggestedByAuthor: Author | null
}

export function decisionsArray(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray<unknown>(DECISIONS_FIELD)
}

const outcomes: readonly string[] = Object.values(DecisionOutcome)

export function readDecision(value: unknown): Decision | null {
  if (typeof value !== 'object' || value === null) return null
  const r = value as Record<string, unknown>
  if (
    typeof r.suggestionId !== 'string' ||
    !(Object.values(SuggestionKind) as unknown[]).includes(r.kind) ||
    typeof r.outcome !== 'string' ||
    !outcomes.includes(r.outcome) ||
    typeof r.at !== 'number'
  ) {
    return null
  }
  return {
    suggestionId: r.suggestionId,
    kind: r.kind as SuggestionKind,
    outcome: r.outcome as DecisionOutcome,
    text: typeof r.text === 'string' ? r.text : '',
    suggestedBy: typeof r.suggestedBy === 'string' ? r.suggestedBy : null,
    reason: typeof r.reason === 'string' ? r.reason : '',
    at: r.at,
  }
}

/** The decision log, oldest first. */
export function readDecisions(doc: Y.Doc, me: Author): DecisionView[] {
  const array = decisionsArray(doc)
  const clients = clientsOfArray(array)
  const suggestions = suggestionsMap(doc)
  const views: DecisionView[] = []
  array.toArray().forEach((value, index) => {
    const decision = readDecision(value)
    if (!decision) return
    views.push({
      ...decision,
      index,
      decidedBy: authorOf(doc, clients[index] ?? null, me),
      suggestedByAuthor: authorOf(doc, clientOfMapKeyEver(suggestions, decision.suggestionId), me),
    })
  })
  return views
}

/** A restore of a version, recorded by the server in the decision log. */
export type RestoreView = {
  index: number
  versionId: string
  versionName: string | null
  versionAt: number
  beforeVersionId: string
  reason: string
  at: number
  /** The chair: the owner of the entry's clientID (the server binds it to them). */
  restoredBy: Author | null
  orphaned: Array<OrphanedSuggestion & { author: Author | null }>
}

/** The person a user id names in the card's authors map (any of their clients). */
function authorByUserId(doc: Y.Doc, userId: string | null): Author | null {
  if (userId === null) return null
  for (const value of doc.getMap<unknown>(AUTHORS_FIELD).values()) {
    const author = value as Author
    if (author && typeof author === 'object' && author.userId === userId) return author
  }
  return null
}

/** The restores in the decision log, oldest first. */
export function readRestores(doc: Y.Doc, me: Author): RestoreView[] {
  const array = decisionsArray(doc)
  const clients = clientsOfArray(array)
  const views: RestoreView[] = []
  array.toArray().forEach((value, index) => {
    const parsed = restoreRecordSchema.safeParse(value)
    if (!parsed.success) return
    const record = parsed.data
    views.push({
      index,
      versionId: record.versionId,
      versionName: record.versionName,
      versionAt: record.versionAt,
      beforeVersionId: record.beforeVersionId,
      reason: record.reason,
      at: record.at,
      restoredBy: authorOf(doc, clients[index] ?? null, me),
      orphaned: record.orphaned.map((orphan) => ({
        ...orphan,
        author: authorByUserId(doc, orphan.suggestedBy),
      })),
    })
  })
  return views
}

export type DecisionRequest = {
  accept: readonly SuggestionView[]
  /** Rejected: by the chair, or withdrawn by their author. */
  reject: readonly SuggestionView[]
  rejectOutcome: typeof DecisionOutcome.Rejected | typeof DecisionOutcome.Withdrawn
  reason: string
}

/** The log entries for a request (pure). */
export function decisionEntries(
  request: DecisionRequest,
  ministries: readonly Ministry[],
  now: number,
): Decision[] {
  const entry = (view: SuggestionView, outcome: DecisionOutcome): Decision => ({
    suggestionId: view.id,
    kind: view.kind,
    outcome,
    text: suggestionText(view),
    suggestedBy: authorLabel(view.author, ministries),
    reason: request.reason.trim(),
    at: now,
  })
  return [
    ...request.accept.map((view) => entry(view, DecisionOutcome.Accepted)),
    ...request.reject.map((view) => entry(view, request.rejectOutcome)),
  ]
}

/**
 * Applies a decision to the answer and records it. One Yjs transaction of the review origin: the
 * answer change, the metadata removal and the log entries travel (and are refused) together, and
 * undo does not take the change back without its record.
 */
export function decide(
  editor: Editor,
  doc: Y.Doc,
  request: DecisionRequest,
  ministries: readonly Ministry[],
  now = Date.now(),
): void {
  if (request.accept.length + request.reject.length === 0 || editor.isDestroyed) return
  inReviewTransaction(doc, () => {
    const acceptIds = request.accept.map((view) => view.id)
    const rejectIds = request.reject.map((view) => view.id)
    editor.view.dispatch(
      decideSuggestions(editor.state, { accept: acceptIds, reject: rejectIds }).setMeta(
        'addToHistory',
        false,
      ),
    )
    const meta = suggestionsMap(doc)
    for (const id of [...acceptIds, ...rejectIds]) meta.delete(id)
    decisionsArray(doc).push(decisionEntries(request, ministries, now))
    // A withdrawal by its author resolves threads others opened: the server allows exactly this.
    resolveSuggestionThreads(doc, [...acceptIds, ...rejectIds])
  })
}
