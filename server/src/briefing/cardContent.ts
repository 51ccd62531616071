/**
 * A card as the briefing book prints it: the card's record and briefing, its answer as a
 * ProseMirror document (suggestion and comment marks included), who made each pending suggestion
 * and when, and its comment threads with their replies. Read from the card document as stored
 * (every Persisted update), never from a room: an export must not open 60 rooms.
 *
 * Every person shown is looked up in the card's `authors` binding from the clientID of the Yjs
 * item that holds the thing (cardLayout.ts), as the client does, never from a field a client
 * wrote. The Word export writes them as "Name (Ministry)".
 */
import { type Card, cardDocumentName, type Deck, type Ministry } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  CommentField,
  collectSuggestions,
  DECISIONS_FIELD,
  type Decision,
  getAnswerSchema,
  type RestoreRecord,
  SUGGESTIONS_FIELD,
  type SuggestionKind,
  type SuggestionSpan,
  suggestionKindOf,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import { restoreDocument } from '../collab/restoreDocument.ts'
import type { Logger } from '../collab/types.ts'
import type { DocumentStore } from '../store/types.ts'

/** A person as the briefing book names them. */
export type BookPerson = {
  userId: string
  name: string
  ministryId: string
  /** The ministry's short name (KP2MI), or its id when the deck does not list it. */
  ministry: string
}

export type BookSuggestion = {
  id: string
  kind: SuggestionKind
  /** Null when the binding has no entry for its clientID (never shown as someone else). */
  author: BookPerson | null
  /** When it was made, as its author's clock said (cardLayout.ts SuggestionMeta). */
  at: number
}

export type BookComment = { author: BookPerson | null; body: string; at: number }

export type BookThread = {
  id: string
  /** The words it is about, as they were when it was opened. */
  quote: string
  resolved: boolean
  /** Replies on a suggestion name it; a thread anchored by a comment mark has null. */
  suggestionId: string | null
  /** Opening comment first, then the replies; deleted comments are left out. */
  comments: BookComment[]
}

/** A decision of the log, with who decided it and who had proposed it. */
export type BookDecision = Decision & {
  decidedBy: BookPerson | null
  proposedBy: BookPerson | null
}

export type CardContent = {
  card: Card
  /** The answer as stored: pending suggestions and comment anchors are marks in it. */
  answer: PMNode
  /** Pending suggestions by id. */
  suggestions: Map<string, BookSuggestion>
  threads: BookThread[]
  decisions: BookDecision[]
}

/** The ministry's short name for a person, from the deck's list. */
function personOf(author: Author, ministries: readonly Ministry[]): BookPerson {
  const ministry = ministries.find((candidate) => candidate.id === author.ministryId)
  return {
    userId: author.userId,
    name: author.name,
    ministryId: author.ministryId,
    ministry: ministry?.short ?? author.ministryId,
  }
}

/** "Name (Ministry)", as tracked changes and comments are authored in Word. */
export function personLabel(person: BookPerson | null, unknown = 'Kartu'): string {
  if (!person) return unknown
  return person.ministry ? `${person.name} (${person.ministry})` : person.name
}

const isAuthor = (value: unknown): value is Author =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Author).userId === 'string' &&
  typeof (value as Author).name === 'string' &&
  typeof (value as Author).ministryId === 'string'

/** Reads card documents as the briefing book needs them. */
export class CardContentReader {
  private readonly schema = getAnswerSchema()

  constructor(
    private readonly documents: DocumentStore,
    private readonly logger: Logger,
  ) {}

  async read(card: Card, deck: Deck): Promise<CardContent> {
    const name = cardDocumentName(card.id)
    const doc = restoreDocument(name, await this.documents.loadDocument(name), this.logger)
    try {
      return contentOf(doc, card, deck, new AnswerDocument(this.schema))
    } finally {
      doc.destroy()
    }
  }
}

/** The content of a card document already in memory (tests, and the reader above). */
export function contentOf(
  doc: Y.Doc,
  card: Card,
  deck: Deck,
  answers: AnswerDocument,
): CardContent {
  const authors = doc.getMap<unknown>(AUTHORS_FIELD)
  const who = (clientId: number | undefined): BookPerson | null => {
    if (clientId === undefined) return null
    const recorded = authors.get(String(clientId))
    return isAuthor(recorded) ? personOf(recorded, deck.ministries) : null
  }
  const byUser = (userId: string | null): BookPerson | null => {
    if (!userId) return null
    for (const value of authors.values()) {
      if (isAuthor(value) && value.userId === userId) return personOf(value, deck.ministries)
    }
    return null
  }
  const answer = answers.of(doc.getXmlFragment(ANSWER_FIELD))
  const spans = new Map<string, SuggestionSpan[]>()
  for (const span of collectSuggestions(answer)) {
    const parts = spans.get(span.id) ?? []
    parts.push(span)
    spans.set(span.id, parts)
  }
  const metaMap = doc.getMap<unknown>(SUGGESTIONS_FIELD)
  const suggestions = new Map<string, BookSuggestion>()
  for (const [id, parts] of spans) {
    const item = metaMap._map.get(id)
    const meta = metaMap.get(id) as { createdAt?: unknown } | undefined
    suggestions.set(id, {
      id,
      kind: suggestionKindOf(parts),
      author: who(item && !item.deleted ? item.id.client : undefined),
      at: typeof meta?.createdAt === 'number' ? meta.createdAt : 0,
    })
  }
  const threads: BookThread[] = []
  for (const [id, value] of doc.getMap<unknown>(THREADS_FIELD).entries()) {
    if (!(value instanceof Y.Map)) continue
    const comments: BookComment[] = []
    const list = value.get(ThreadField.Comments)
    if (list instanceof Y.Array) {
      for (const comment of list.toArray() as unknown[]) {
        if (!(comment instanceof Y.Map) || comment.get(CommentField.Deleted) === true) continue
        const body = comment.get(CommentField.Body)
        const at = comment.get(CommentField.CreatedAt)
        comments.push({
          author: who(comment._item?.id.client),
          body: typeof body === 'string' ? body : '',
          at: typeof at === 'number' ? at : 0,
        })
      }
    }
    const quote = value.get(ThreadField.Quote)
    const suggestionId = value.get(ThreadField.SuggestionId)
    threads.push({
      id,
      quote: typeof quote === 'string' ? quote : '',
      resolved: value.get(ThreadField.Resolved) === true,
      suggestionId: typeof suggestionId === 'string' ? suggestionId : null,
      comments,
    })
  }
  // Who decided: the owner of each entry's clientID (the Yjs items of the log, in order).
  const log = doc.getArray<Decision | RestoreRecord>(DECISIONS_FIELD)
  const clients: number[] = []
  for (let item = log._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    for (let i = 0; i < item.length; i++) clients.push(item.id.client)
  }
  const decisions: BookDecision[] = []
  log.toArray().forEach((entry, index) => {
    if ((entry as RestoreRecord).kind === 'restore') return
    const decision = entry as Decision
    decisions.push({
      ...decision,
      decidedBy: who(clients[index]),
      proposedBy: byUser(decision.suggestedBy),
    })
  })
  return { card, answer, suggestions, threads, decisions }
}
