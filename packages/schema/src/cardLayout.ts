/**
 * Where things live inside a card's and a deck's Yjs documents. Client and server both read and
 * write these names; changing one is a data migration.
 *
 * Card document (`card:<cardId>`):
 *   answer       Y.XmlFragment   the answer, bound by Tiptap's Collaboration extension. Carries the
 *                                insertion, deletion, format change and comment marks, and on
 *                                textblocks the join and block format suggestion attributes
 *                                (blockSuggestions.ts).
 *   suggestions  Y.Map<id, SuggestionMeta>   one entry per pending suggestion, written in the same
 *                                transaction as its marks. Removed when decided or withdrawn.
 *   decisions    Y.Array<Decision>           append-only record of accepts, rejects, withdrawals;
 *                                and restores of a version (RestoreRecord), written by the
 *                                server alone.
 *   threads      Y.Map<threadId, Y.Map>      comment threads (see ThreadField, CommentField). A
 *                                thread either has a comment mark in the answer (its id is the
 *                                mark's) or names the suggestion it discusses (`suggestionId`:
 *                                replies on a suggestion; no mark, its quote is the suggestion's
 *                                text). Deciding the suggestion resolves its threads in the same
 *                                transaction; a decision's threads are those naming its
 *                                `suggestionId`, which is how the decision log links to them.
 *   authors      Y.Map<clientId, Author>     written ONLY by the server: which person owns each
 *                                Yjs clientID. Every author shown (insertions, suggestions,
 *                                comments, decisions) is looked up here from the clientID of
 *                                the Yjs item that holds the thing, never from a field a client
 *                                wrote. The server refuses client updates that touch this map.
 */

import type * as Y from 'yjs'

/** The Y.XmlFragment that Tiptap's Collaboration extension binds to: the card's answer. */
export const ANSWER_FIELD = 'answer'
export const SUGGESTIONS_FIELD = 'suggestions'
export const DECISIONS_FIELD = 'decisions'
export const THREADS_FIELD = 'threads'
export const AUTHORS_FIELD = 'authors'

/**
 * Gives a card document's fields their Yjs types. A document built from an update holds its
 * roots as untyped placeholders until someone asks for them by type; Yjs then replaces each
 * placeholder with a new object. Code that compares types by identity (the server's policy
 * watching which types an update changed) must ask first, before any update is applied.
 */
export function defineCardFields(doc: Y.Doc): void {
  doc.getXmlFragment(ANSWER_FIELD)
  doc.getMap(SUGGESTIONS_FIELD)
  doc.getArray(DECISIONS_FIELD)
  doc.getMap(THREADS_FIELD)
  doc.getMap(AUTHORS_FIELD)
}

/**
 * What a suggestion does, as the people deciding it see it. A part of a suggestion in the
 * document is an insertion, a deletion, a join or a format change (the marks and attributes it
 * carries); the whole suggestion is named by `suggestionKindOf` in suggest/review.ts.
 */
export const SuggestionKind = {
  Insert: 'insert',
  Delete: 'delete',
  /** Words deleted and others put in their place, decided together. */
  Replace: 'replace',
  /** A paragraph or list item break and nothing else (Enter). */
  Split: 'split',
  /** A textblock joined into the one before it (Backspace at its start). */
  Join: 'join',
  /** Formatting (bold, italic) or a block's type (heading, paragraph) changed. */
  Format: 'format',
  /** The same text in another place in the structure (a list item indented, a list made). */
  Move: 'move',
} as const
export type SuggestionKind = (typeof SuggestionKind)[keyof typeof SuggestionKind]

/** A pending suggestion's metadata. No author field: the author is the entry's clientID's owner. */
export type SuggestionMeta = {
  kind: SuggestionKind
  /** Milliseconds since the epoch, as the author's clock said. */
  createdAt: number
}

export const DecisionOutcome = {
  Accepted: 'accepted',
  Rejected: 'rejected',
  Withdrawn: 'withdrawn',
} as const
export type DecisionOutcome = (typeof DecisionOutcome)[keyof typeof DecisionOutcome]

/** One entry of the decision log. Who decided: the owner of the entry's clientID. */
export type Decision = {
  suggestionId: string
  kind: SuggestionKind
  outcome: DecisionOutcome
  /** The suggested text at the time of the decision. */
  text: string
  /** Author of the suggestion, as resolved when deciding (for the record). */
  suggestedBy: string | null
  reason: string
  at: number
}

/** A pending suggestion a restore left without its text: its record, kept in the restore's entry. */
export type OrphanedSuggestion = {
  suggestionId: string
  kind: SuggestionKind
  text: string
  /** Its author's user id, from the authors binding when the restore was made. */
  suggestedBy: string | null
}

/**
 * An entry of the decision log written by the server alone (a client's is refused): the chair
 * restored a version. Who restored: the owner of the entry's clientID, as for decisions.
 */
export type RestoreRecord = {
  kind: 'restore'
  versionId: string
  /** The restored version's name, or null for an automatic one. */
  versionName: string | null
  /** When the restored version was taken. */
  versionAt: number
  /** The version the text before the restore was kept as. */
  beforeVersionId: string
  reason: string
  at: number
  orphaned: OrphanedSuggestion[]
}

/** Keys of a thread's Y.Map. */
export const ThreadField = {
  Quote: 'quote',
  CreatedAt: 'createdAt',
  Resolved: 'resolved',
  /** Ministry ids mentioned anywhere in the thread (@KP2MI). */
  Mentions: 'mentions',
  /** Y.Array<Y.Map> of comments, the first is the opening comment. */
  Comments: 'comments',
  /**
   * The suggestion this thread discusses (replies on a suggestion), or absent for a thread
   * anchored by a comment mark. Written when the thread is created; only the chair changes it.
   */
  SuggestionId: 'suggestionId',
} as const

/** Keys of a comment's Y.Map. Author: the owner of the clientID that inserted the map. */
export const CommentField = {
  Id: 'id',
  Body: 'body',
  CreatedAt: 'createdAt',
  EditedAt: 'editedAt',
  Deleted: 'deleted',
} as const

/** What the server records for a clientID. */
export type Author = {
  userId: string
  name: string
  ministryId: string
}
