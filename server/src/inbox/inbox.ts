/**
 * People's inboxes: what asks for their attention (a mention, a reply, a decision on their
 * suggestion, a stale clearance, an assignment, a due date near), kept per person, counted, and
 * pushed live to their open tabs (server-sent events, api/inboxRoutes.ts).
 *
 * Those who notice an event (threadNotices.ts, signoff/, dueDates.ts) say who it concerns; this
 * is the one place that decides who gets it: members of the card's deck only (a person of
 * another deck never sees it), never the person who did it, and not those who muted its kind.
 *
 * With several nodes a person's tabs may be open on any of them: what this node's streams hear,
 * the other nodes' hear too, through the bus (inboxBusMessage.ts).
 */
import { randomUUID } from 'node:crypto'
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type InboxEvent,
  type InboxItem,
  type InboxKind,
  type NotificationSettings,
  type PersonRef,
} from '@kartu/protocol'
import type { Bus } from '../cluster/clusterBus.ts'
import type { Logger } from '../collab/types.ts'
import type {
  Cards,
  InboxDetails,
  InboxRecord,
  InboxRecords,
  Memberships,
  NewInboxItem,
  SignOffRecords,
  Users,
} from '../store/types.ts'
import { INBOX_TOPIC, type InboxBusMessage, inboxBusMessageSchema } from './inboxBusMessage.ts'

/** Something that happened on a card, for the people it concerns. */
export type Notice = {
  kind: InboxKind
  deckId: string
  cardId: string
  /** Who did it (never notified of it); null for what the server noticed by itself. */
  actorUserId: string | null
  threadId?: string | null
  suggestionId?: string | null
  versionId?: string | null
  details: InboxDetails
  /** A person gets at most one item with this key (a due date swept again, say). */
  dedupeKey?: string | null
  at?: number
}

type Listener = (event: InboxEvent) => void

export class Inbox {
  /** Open event streams by person (tabs). */
  private readonly listeners = new Map<string, Set<Listener>>()

  constructor(
    private readonly records: InboxRecords,
    private readonly people: Memberships & Users & Pick<Cards, 'getCard'>,
    private readonly signOff: Pick<SignOffRecords, 'listFocalPersons'>,
    private readonly logger: Logger,
    /** Several nodes: the other nodes' streams hear what this node's do. Null: one process. */
    private readonly bus: Bus | null = null,
  ) {
    bus?.subscribe(INBOX_TOPIC, {
      receive: (data, from) => this.received(data, from),
      resync: () => this.resync(),
    })
  }

  /**
   * Puts the notice in the inboxes of `userIds` who may have it; returns the items added. Never
   * throws: an inbox that cannot be written is logged, and what caused the notice stands.
   */
  async deliver(notice: Notice, userIds: Iterable<string>): Promise<NewInboxItem[]> {
    try {
      const items: NewInboxItem[] = []
      const at = notice.at ?? Date.now()
      for (const userId of new Set(userIds)) {
        if (userId === notice.actorUserId) continue
        if ((await this.people.getRole(notice.deckId, userId)) === null) continue
        const settings = await this.settingsOf(userId)
        if (settings.muted.includes(notice.kind)) continue
        items.push({
          id: randomUUID(),
          userId,
          deckId: notice.deckId,
          cardId: notice.cardId,
          kind: notice.kind,
          at,
          actorUserId: notice.actorUserId,
          threadId: notice.threadId ?? null,
          suggestionId: notice.suggestionId ?? null,
          versionId: notice.versionId ?? null,
          details: notice.details,
          dedupeKey: notice.dedupeKey ?? null,
        })
      }
      const added = await this.records.addInboxItems(items)
      // This node's streams at once, not through Redis (which may be away); the other nodes'
      // through the bus, where this node ignores its own echo: each stream hears it once.
      for (const item of added) void this.sendToStreams(item)
      if (added.length > 0) this.tellOtherNodes({ kind: 'added', items: added })
      return added
    } catch (error) {
      this.logger.warn({ err: error, kind: notice.kind, card: notice.cardId }, 'inbox not written')
      return []
    }
  }

  /**
   * Who answers for a ministry in a deck: its focal persons there (those still members), or, when
   * it named none, every member of the deck from that ministry.
   */
  async peopleOfMinistry(deckId: string, ministryId: string): Promise<string[]> {
    const members = await this.people.listMembers(deckId)
    const ofMinistry = members.filter((member) => member.ministryId === ministryId)
    const focal = (await this.signOff.listFocalPersons(deckId)).find(
      (entry) => entry.ministryId === ministryId,
    )
    const focalMembers = ofMinistry.filter((member) => focal?.userIds.includes(member.userId))
    return (focalMembers.length > 0 ? focalMembers : ofMinistry).map((member) => member.userId)
  }

  async list(userId: string, query: { unreadOnly: boolean; limit: number }): Promise<InboxItem[]> {
    const records = await this.records.listInbox(userId, query)
    const people = new Map<string, PersonRef | null>()
    const items: InboxItem[] = []
    for (const record of records) items.push(await this.describe(record, people))
    return items
  }

  unread(userId: string): Promise<number> {
    return this.records.countUnread(userId)
  }

  /** Marks items read; every open tab of the person hears the new count. */
  async markRead(userId: string, ids: readonly string[] | 'all'): Promise<number> {
    await this.records.markRead(userId, ids, Date.now())
    const unread = await this.records.countUnread(userId)
    this.emit(userId, { unread })
    this.tellOtherNodes({ kind: 'read', userId, unread })
    return unread
  }

  async settingsOf(userId: string): Promise<NotificationSettings> {
    return (await this.records.getNotificationSettings(userId)) ?? DEFAULT_NOTIFICATION_SETTINGS
  }

  async changeSettings(
    userId: string,
    change: Partial<NotificationSettings>,
  ): Promise<NotificationSettings> {
    const settings = { ...(await this.settingsOf(userId)), ...change }
    await this.records.setNotificationSettings(userId, settings)
    return settings
  }

  /** Listens to the person's inbox (one call per open stream); returns how to stop. */
  subscribe(userId: string, listener: Listener): () => void {
    const set = this.listeners.get(userId) ?? new Set<Listener>()
    set.add(listener)
    this.listeners.set(userId, set)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(userId)
    }
  }

  /** Open streams, for readiness and tests. */
  get streamCount(): number {
    let count = 0
    for (const set of this.listeners.values()) count += set.size
    return count
  }

  private tellOtherNodes(message: InboxBusMessage): void {
    this.bus?.publish(INBOX_TOPIC, message)
  }

  /** What another node's inbox told its streams (see deliver and markRead). */
  private received(data: unknown, from: string): void {
    // This node's own: its streams heard it when it happened.
    if (from === this.bus?.nodeId) return
    const message = inboxBusMessageSchema.safeParse(data)
    if (!message.success) {
      this.logger.warn({ from, issues: message.error.issues.length }, 'inbox event not understood')
      return
    }
    if (message.data.kind === 'read') {
      this.emit(message.data.userId, { unread: message.data.unread })
    } else {
      for (const item of message.data.items) void this.sendToStreams(item)
    }
  }

  /**
   * The bus was away (Redis down, or this node just subscribed): what other nodes said meanwhile
   * is lost. Every open stream is told to read its count and items again.
   */
  private resync(): void {
    for (const userId of [...this.listeners.keys()]) this.emit(userId, { resync: true })
  }

  /** The item, described, with the new unread count, to the person's streams on this node. */
  private async sendToStreams(item: NewInboxItem): Promise<void> {
    if (!this.listeners.has(item.userId)) return
    try {
      const card = await this.people.getCard(item.cardId)
      const record: InboxRecord = {
        ...item,
        cardRef: card?.ref ?? '',
        readAt: null,
        emailedAt: null,
      }
      const unread = await this.records.countUnread(item.userId)
      this.emit(item.userId, { unread, item: await this.describe(record, new Map()) })
    } catch (error) {
      this.logger.warn({ err: error }, 'inbox event not sent')
    }
  }

  private emit(userId: string, event: InboxEvent): void {
    for (const listener of this.listeners.get(userId) ?? []) {
      try {
        listener(event)
      } catch (error) {
        this.logger.warn({ err: error }, 'inbox listener failed')
      }
    }
  }

  private async describe(
    record: InboxRecord,
    people: Map<string, PersonRef | null>,
  ): Promise<InboxItem> {
    let actor: PersonRef | null = null
    if (record.actorUserId !== null) {
      if (!people.has(record.actorUserId)) {
        const user = await this.people.findUserById(record.actorUserId)
        people.set(
          record.actorUserId,
          user ? { userId: user.id, name: user.name, ministryId: user.ministryId } : null,
        )
      }
      actor = people.get(record.actorUserId) ?? null
    }
    return {
      id: record.id,
      kind: record.kind,
      at: record.at,
      deckId: record.deckId,
      cardId: record.cardId,
      cardRef: record.cardRef,
      actor,
      threadId: record.threadId,
      suggestionId: record.suggestionId,
      versionId: record.versionId,
      details: record.details,
      readAt: record.readAt,
    }
  }
}
