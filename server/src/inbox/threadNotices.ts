/**
 * What a card room tells the inbox: a new comment mentioning a person by name (them) or a
 * ministry (its people), a reply in
 * a thread (the thread's earlier writers), a decision on a suggestion (its author). A listener of
 * the room (collab/roomListener.ts), made for each card room: it watches the threads map for
 * comments that clients added, and hears the decisions the policy recorded.
 *
 * Who wrote a comment is the participant whose update added it (the server's binding, never a
 * field a client wrote); who wrote the earlier ones, the owners of their Yjs clientIDs in the
 * authors map. The inbox is written after the room moved on: nothing here delays an edit.
 */
import { DocumentKind, type Ministry, parseDocumentName } from '@kartu/protocol'
import {
  AUTHORS_FIELD,
  CommentField,
  parseMentions,
  parsePersonMentions,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import * as Y from 'yjs'
import type { AppliedUpdate, RoomContext, RoomListener } from '../collab/roomListener.ts'
import type { Decks, Memberships } from '../store/types.ts'
import type { Inbox } from './inbox.ts'

/** How much of a comment an inbox item quotes. */
const EXCERPT_CHARS = 200

type NewComment = { threadId: string; thread: Y.Map<unknown>; comment: Y.Map<unknown> }

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`
}

/** The key of a thread map in the threads map. */
function threadIdOf(thread: Y.Map<unknown>): string | null {
  return thread._item?.parentSub ?? null
}

function commentsOf(thread: Y.Map<unknown>): Y.Map<unknown>[] {
  const list = thread.get(ThreadField.Comments)
  if (!(list instanceof Y.Array)) return []
  return (list.toArray() as unknown[]).filter(
    (entry): entry is Y.Map<unknown> => entry instanceof Y.Map,
  )
}

export function threadNotices(
  context: RoomContext,
  inbox: Inbox,
  decks: Pick<Decks, 'getDeck'> & Pick<Memberships, 'listMembers'>,
): RoomListener | null {
  const parsed = parseDocumentName(context.name)
  if (parsed?.kind !== DocumentKind.Card) return null
  const cardId = parsed.id
  const threads = context.doc.getMap<unknown>(THREADS_FIELD)
  const authors = context.doc.getMap<unknown>(AUTHORS_FIELD)
  /** Comments clients added since the last applied update was heard. */
  let fresh: NewComment[] = []
  let ministries: Promise<readonly Ministry[]> | null = null

  const observer = (
    events: Array<Y.YEvent<Y.AbstractType<unknown>>>,
    transaction: Y.Transaction,
  ) => {
    if (!context.isClientOrigin(transaction.origin)) return
    for (const event of events) {
      if (event.target === threads) {
        // A new thread: its comments came with it.
        for (const [key, change] of event.changes.keys) {
          const thread = threads.get(key)
          if (change.action !== 'add' || !(thread instanceof Y.Map)) continue
          for (const comment of commentsOf(thread)) fresh.push({ threadId: key, thread, comment })
        }
      } else if (event.target instanceof Y.Array && event.target.parent instanceof Y.Map) {
        // Replies appended to a thread's comments.
        const thread = event.target.parent as Y.Map<unknown>
        const threadId = threadIdOf(thread)
        if (threadId === null || thread.parent !== threads) continue
        for (const item of event.changes.added) {
          for (const content of item.content.getContent() as unknown[]) {
            if (content instanceof Y.Map) fresh.push({ threadId, thread, comment: content })
          }
        }
      }
    }
  }
  threads.observeDeep(observer)

  const writerOf = (comment: Y.Map<unknown>): string | null => {
    const client = comment._item?.id.client
    const author = client === undefined ? undefined : authors.get(String(client))
    return typeof author === 'object' && author !== null && 'userId' in author
      ? String((author as { userId: unknown }).userId)
      : null
  }

  const deckMinistries = (deckId: string): Promise<readonly Ministry[]> => {
    ministries ??= decks.getDeck(deckId).then((deck) => deck?.ministries ?? [])
    return ministries
  }

  const noticeComments = async (comments: NewComment[], event: AppliedUpdate): Promise<void> => {
    const { deckId, userId: actorUserId } = event.participant
    const known = await deckMinistries(deckId)
    for (const { threadId, thread, comment } of comments) {
      const body = comment.get(CommentField.Body)
      if (typeof body !== 'string' || comment.get(CommentField.Deleted) === true) continue
      const base = {
        deckId,
        cardId,
        actorUserId,
        threadId,
        details: { excerpt: excerpt(body) },
      }
      const mentioned = new Set<string>()
      // People by name first ("@Siti Rahma"): the deck's members as they are now.
      const members = await decks.listMembers(deckId)
      const named = parsePersonMentions(
        body,
        members.map((member) => ({ id: member.userId, name: member.name })),
      )
      if (named.length > 0) {
        for (const person of named) mentioned.add(person)
        await inbox.deliver(
          { ...base, kind: 'mention', details: { ...base.details, person: true } },
          named,
        )
      }
      for (const ministryId of parseMentions(body, known)) {
        // Those named in person already have this comment in their inbox.
        const people = (await inbox.peopleOfMinistry(deckId, ministryId)).filter(
          (person) => !mentioned.has(person),
        )
        for (const person of people) mentioned.add(person)
        await inbox.deliver(
          { ...base, kind: 'mention', details: { ...base.details, ministry: ministryId } },
          people,
        )
      }
      // Everyone who wrote earlier in the thread, but those the mention reached already.
      const earlier = new Set<string>()
      for (const other of commentsOf(thread)) {
        if (other === comment) break
        const writer = writerOf(other)
        if (writer !== null && !mentioned.has(writer)) earlier.add(writer)
      }
      if (earlier.size > 0) await inbox.deliver({ ...base, kind: 'reply' }, earlier)
    }
  }

  return {
    updateApplied(event) {
      const comments = fresh
      fresh = []
      if (comments.length > 0) void noticeComments(comments, event)
      for (const decision of event.decisions) {
        if (!decision.authorUserId) continue
        void inbox.deliver(
          {
            kind: 'decision',
            deckId: event.participant.deckId,
            cardId,
            actorUserId: event.participant.userId,
            suggestionId: decision.suggestionId,
            details: {
              outcome: decision.outcome,
              suggestionKind: decision.kind,
              text: excerpt(decision.text),
            },
          },
          [decision.authorUserId],
        )
      }
    },
    checkedUpdateFailed() {
      fresh = []
    },
    roomClosed() {
      threads.unobserveDeep(observer)
    },
  }
}
