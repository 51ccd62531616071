/**
 * Comment threads in the card document: `threads` is a Y.Map from thread id to a thread Y.Map
 * (quote, createdAt, resolved, mentions: Y.Array of ministry ids, comments: Y.Array of comment
 * Y.Maps {id, body, createdAt, editedAt?, deleted?}, and suggestionId for replies on a
 * suggestion). Nested shared types rather than plain values, so that replies, edits and resolving
 * by different people merge instead of overwriting one another. Authors come from clientIDs
 * (authors.ts), never from the maps' fields.
 *
 * A thread on a suggestion has no comment mark: it names the suggestion instead, and is shown
 * with it. Deciding the suggestion resolves it (decisions.ts), in the same transaction.
 */
import { type Author, CommentField, THREADS_FIELD, ThreadField } from '@kartu/schema'
import * as Y from 'yjs'
import { authorOf, clientOfMapEntry, clientOfType, isOwnClient } from './authors.ts'
import type { MarkRange } from './markRanges.ts'

export type CommentView = {
  id: string
  body: string
  createdAt: number
  editedAt: number | null
  deleted: boolean
  author: Author | null
  mine: boolean
  map: Y.Map<unknown>
}

export type ThreadView = {
  id: string
  quote: string
  createdAt: number
  resolved: boolean
  /** Who last set `resolved` to true. */
  resolvedBy: Author | null
  mentions: string[]
  comments: CommentView[]
  /** Who opened the thread: the author of its first comment. */
  author: Author | null
  mine: boolean
  /** Where its comment mark is; null when the anchored text was deleted (orphaned). */
  anchor: MarkRange | null
  /** The suggestion this thread discusses (it has no comment mark then), or null. */
  suggestionId: string | null
  map: Y.Map<unknown>
}

export function threadsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(THREADS_FIELD)
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : '')
const asNumber = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null

function readMentions(value: unknown): string[] {
  const list: unknown = value instanceof Y.Array ? value.toArray() : value
  if (!Array.isArray(list)) return []
  return [...new Set(list.filter((id): id is string => typeof id === 'string'))]
}

function readComment(doc: Y.Doc, map: Y.Map<unknown>, me: Author): CommentView | null {
  const id = asString(map.get(CommentField.Id))
  if (!id) return null
  const clientId = clientOfType(map)
  return {
    id,
    body: asString(map.get(CommentField.Body)),
    createdAt: asNumber(map.get(CommentField.CreatedAt)) ?? 0,
    editedAt: asNumber(map.get(CommentField.EditedAt)),
    deleted: map.get(CommentField.Deleted) === true,
    author: authorOf(doc, clientId, me),
    mine: isOwnClient(doc, clientId, me.userId),
    map,
  }
}

/**
 * Every thread: those anchored in the answer in document order, then the orphaned ones (their
 * text was deleted), oldest first.
 */
export function readThreads(
  doc: Y.Doc,
  anchors: ReadonlyMap<string, MarkRange>,
  me: Author,
): ThreadView[] {
  const threads = threadsMap(doc)
  const views: ThreadView[] = []
  for (const [id, value] of threads.entries()) {
    if (!(value instanceof Y.Map)) continue
    const map = value as Y.Map<unknown>
    const commentsValue = map.get(ThreadField.Comments)
    const comments: CommentView[] = []
    if (commentsValue instanceof Y.Array) {
      for (const entry of commentsValue.toArray()) {
        if (!(entry instanceof Y.Map)) continue
        const comment = readComment(doc, entry as Y.Map<unknown>, me)
        if (comment) comments.push(comment)
      }
    }
    // The opener is the author of the first comment (as the server judges "own thread"); the
    // thread's own entry stands in for a thread whose comments have not arrived.
    const first = commentsValue instanceof Y.Array ? commentsValue.get(0) : undefined
    const clientId = first instanceof Y.Map ? clientOfType(first) : clientOfMapEntry(threads, id)
    const resolved = map.get(ThreadField.Resolved) === true
    views.push({
      id,
      quote: asString(map.get(ThreadField.Quote)),
      createdAt: asNumber(map.get(ThreadField.CreatedAt)) ?? 0,
      resolved,
      resolvedBy: resolved ? authorOf(doc, clientOfMapEntry(map, ThreadField.Resolved), me) : null,
      mentions: readMentions(map.get(ThreadField.Mentions)),
      comments,
      author: authorOf(doc, clientId, me),
      mine: isOwnClient(doc, clientId, me.userId),
      anchor: anchors.get(id) ?? null,
      suggestionId: asString(map.get(ThreadField.SuggestionId)) || null,
      map,
    })
  }
  return views.sort((a, b) => {
    if (a.anchor && b.anchor) return a.anchor.from - b.anchor.from || a.createdAt - b.createdAt
    if (a.anchor) return -1
    if (b.anchor) return 1
    return a.createdAt - b.createdAt
  })
}

function newComment(id: string, body: string, now: number): Y.Map<unknown> {
  const comment = new Y.Map<unknown>()
  comment.set(CommentField.Id, id)
  comment.set(CommentField.Body, body)
  comment.set(CommentField.CreatedAt, now)
  return comment
}

export type NewComment = {
  commentId: string
  body: string
  mentions: readonly string[]
  now: number
}

/**
 * Creates a thread with its first comment. Call in the same transaction as its comment mark, or
 * give the suggestion it discusses (no mark then).
 */
export function createThread(
  doc: Y.Doc,
  threadId: string,
  quote: string,
  first: NewComment,
  suggestionId?: string,
): Y.Map<unknown> {
  const thread = new Y.Map<unknown>()
  if (suggestionId !== undefined) thread.set(ThreadField.SuggestionId, suggestionId)
  thread.set(ThreadField.Quote, quote)
  thread.set(ThreadField.CreatedAt, first.now)
  thread.set(ThreadField.Resolved, false)
  const mentions = new Y.Array<string>()
  mentions.push([...new Set(first.mentions)])
  thread.set(ThreadField.Mentions, mentions)
  const comments = new Y.Array<Y.Map<unknown>>()
  comments.push([newComment(first.commentId, first.body, first.now)])
  thread.set(ThreadField.Comments, comments)
  threadsMap(doc).set(threadId, thread)
  return thread
}

/** Adds ministry ids that the thread does not mention yet. */
export function addMentions(thread: Y.Map<unknown>, ministryIds: readonly string[]): void {
  const current = thread.get(ThreadField.Mentions)
  const known = new Set(readMentions(current))
  const added = [...new Set(ministryIds)].filter((id) => !known.has(id))
  if (added.length === 0) return
  if (current instanceof Y.Array) {
    current.push(added)
  } else {
    const mentions = new Y.Array<string>()
    mentions.push([...known, ...added])
    thread.set(ThreadField.Mentions, mentions)
  }
}

export function addReply(thread: Y.Map<unknown>, reply: NewComment): void {
  const doc = thread.doc
  const run = (): void => {
    let comments = thread.get(ThreadField.Comments)
    if (!(comments instanceof Y.Array)) {
      comments = new Y.Array<Y.Map<unknown>>()
      thread.set(ThreadField.Comments, comments)
    }
    ;(comments as Y.Array<Y.Map<unknown>>).push([
      newComment(reply.commentId, reply.body, reply.now),
    ])
    addMentions(thread, reply.mentions)
  }
  if (doc) doc.transact(run)
  else run()
}

export function editComment(
  thread: Y.Map<unknown>,
  comment: Y.Map<unknown>,
  body: string,
  mentions: readonly string[],
  now: number,
): void {
  const run = (): void => {
    comment.set(CommentField.Body, body)
    comment.set(CommentField.EditedAt, now)
    addMentions(thread, mentions)
  }
  if (comment.doc) comment.doc.transact(run)
  else run()
}

/** Deleting keeps the entry (and its place in the thread), marked deleted; the UI hides it. */
export function deleteComment(comment: Y.Map<unknown>, now: number): void {
  const run = (): void => {
    comment.set(CommentField.Deleted, true)
    comment.set(CommentField.EditedAt, now)
  }
  if (comment.doc) comment.doc.transact(run)
  else run()
}

export function setResolved(thread: Y.Map<unknown>, resolved: boolean): void {
  thread.set(ThreadField.Resolved, resolved)
}

/** The thread maps that discuss one of `suggestionIds`, open ones only if asked. */
function suggestionThreadMaps(
  doc: Y.Doc,
  suggestionIds: ReadonlySet<string>,
  openOnly: boolean,
): Array<[string, Y.Map<unknown>]> {
  const found: Array<[string, Y.Map<unknown>]> = []
  for (const [id, value] of threadsMap(doc).entries()) {
    if (!(value instanceof Y.Map)) continue
    const suggestionId = value.get(ThreadField.SuggestionId)
    if (typeof suggestionId !== 'string' || !suggestionIds.has(suggestionId)) continue
    if (openOnly && value.get(ThreadField.Resolved) === true) continue
    found.push([id, value as Y.Map<unknown>])
  }
  return found
}

/** The longest quote the server takes (cardFieldShapes.ts); a pasted page is suggested too. */
const MAX_QUOTE = 10_000

/** A suggestion's text as a thread's quote: cut, with an ellipsis, where the server would refuse it. */
export function clipQuote(text: string): string {
  return text.length <= MAX_QUOTE ? text : `${text.slice(0, MAX_QUOTE - 1)}…`
}

/**
 * A reply on a suggestion: added to its open thread, or the first comment of a new one (no
 * comment mark; its quote is the suggestion's text). Returns the thread's id. One transaction.
 */
export function replyToSuggestion(
  doc: Y.Doc,
  suggestion: { id: string; quote: string },
  reply: NewComment,
  newThreadId: string,
): string {
  let threadId = newThreadId
  doc.transact(() => {
    // Oldest first: two people who opened one at the same moment keep replying in the first.
    const open = suggestionThreadMaps(doc, new Set([suggestion.id]), true).sort(
      ([, a], [, b]) =>
        (asNumber(a.get(ThreadField.CreatedAt)) ?? 0) -
        (asNumber(b.get(ThreadField.CreatedAt)) ?? 0),
    )
    const existing = open[0]
    if (existing) {
      threadId = existing[0]
      addReply(existing[1], reply)
    } else {
      createThread(doc, newThreadId, clipQuote(suggestion.quote), reply, suggestion.id)
    }
  })
  return threadId
}

/**
 * Resolves the open threads of the decided suggestions. Call inside the decision's transaction:
 * a decision and the end of its discussion travel, and are refused, together.
 */
export function resolveSuggestionThreads(doc: Y.Doc, suggestionIds: readonly string[]): void {
  for (const [, thread] of suggestionThreadMaps(doc, new Set(suggestionIds), true)) {
    setResolved(thread, true)
  }
}

/** Threads by the suggestion they discuss (threads anchored by a mark are left out). */
export function threadsBySuggestion(
  threads: readonly ThreadView[],
): ReadonlyMap<string, ThreadView[]> {
  const bySuggestion = new Map<string, ThreadView[]>()
  for (const thread of threads) {
    if (thread.suggestionId === null) continue
    bySuggestion.set(thread.suggestionId, [
      ...(bySuggestion.get(thread.suggestionId) ?? []),
      thread,
    ])
  }
  for (const list of bySuggestion.values()) list.sort((a, b) => a.createdAt - b.createdAt)
  return bySuggestion
}
