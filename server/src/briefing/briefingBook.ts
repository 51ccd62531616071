/**
 * Gathers what a briefing book or a rakor's minutes print: the deck, its cards in book order
 * with their content, the edition, and for minutes the session's window, its decisions and the
 * ministries present. The writers (Word, PDF) turn the result into bytes; the routes serve it.
 */
import type { Card, Deck } from '@kartu/protocol'
import { AuditAction } from '../audit/auditEvents.ts'
import type { Activity, Cards, Decks, Rakor, RakorSession, Users } from '../store/types.ts'
import type { Book, Minutes } from './book.ts'
import type { BookPerson, CardContent, CardContentReader } from './cardContent.ts'

/** `?session=`: a closed session's id, a date (YYYY-MM-DD), or the session still open. */
export const CURRENT_SESSION = 'current'

export type BookOptions = {
  marking?: string | undefined
  at?: Date
  /** Told after each card is read: cards read, of all. */
  progress?: (done: number, total: number) => void
}

/** Cards in book order: by cluster as the deck lists them, then by their place in the deck. */
export function inBookOrder(deck: Deck, cards: readonly Card[]): Card[] {
  const clusterIndex = new Map(deck.clusters.map((cluster, index) => [cluster.id, index]))
  const rank = (card: Card) => clusterIndex.get(card.cluster) ?? deck.clusters.length
  return [...cards].sort(
    (a, b) => rank(a) - rank(b) || a.position - b.position || a.ref.localeCompare(b.ref),
  )
}

/** Midnight to midnight of `day` (YYYY-MM-DD) in `timeZone`, as epoch milliseconds. */
export function dayWindow(day: string, timeZone: string): { from: number; to: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const utcMidnight = Date.UTC(year, month - 1, date)
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).getUTCDate() !== date) return null
  const offset = zoneOffset(utcMidnight, timeZone)
  // The zone's offset can differ at the local midnight itself (a change of summer time): ask
  // again there. Indonesia has none, but the server's zone is configurable.
  const from = utcMidnight - zoneOffset(utcMidnight - offset, timeZone)
  const nextUtc = Date.UTC(year, month - 1, date + 1)
  const to = nextUtc - zoneOffset(nextUtc - offset, timeZone) - 1
  return { from, to }
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at))
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0)
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  )
  return wall - (at - (at % 1000))
}

export class BriefingBook {
  constructor(
    private readonly repository: Decks & Cards & Rakor & Users & Activity,
    private readonly reader: CardContentReader,
    private readonly settings: { marking: string; timeZone: string },
  ) {}

  /** One card's book; null when the card or its deck is not there. */
  async ofCard(cardId: string, options: BookOptions = {}): Promise<Book | null> {
    const card = await this.repository.getCard(cardId)
    const deck = card ? await this.repository.getDeck(card.deckId) : null
    if (!card || !deck) return null
    return this.book(deck, [card], 'card', options)
  }

  /** The whole deck's book; null when there is no such deck. */
  async ofDeck(deckId: string, options: BookOptions = {}): Promise<Book | null> {
    const deck = await this.repository.getDeck(deckId)
    if (!deck) return null
    const cards = inBookOrder(deck, await this.repository.listCards(deckId))
    return this.book(deck, cards, 'deck', options)
  }

  /**
   * The minutes of a session: `session` is a closed session's id, a date (every session closed
   * that day, or the whole day when none was), or `current` (since the last one closed);
   * undefined: the last one closed, or `current` when none was. Null when there is no such deck
   * or session.
   */
  async minutesOf(
    deckId: string,
    session: string | undefined,
    options: BookOptions = {},
  ): Promise<Minutes | null> {
    const deck = await this.repository.getDeck(deckId)
    if (!deck) return null
    const now = options.at ?? new Date()
    const sessions = await this.repository.listSessions(deckId)
    const last = sessions.at(-1)
    const chosen = session ?? (last ? String(last.seq) : CURRENT_SESSION)
    const window = this.windowOf(sessions, chosen, now.getTime())
    if (!window) return null
    const cards = inBookOrder(deck, await this.repository.listCards(deckId))
    const contents = await this.contents(deck, cards)
    const decisions: Minutes['decisions'] = []
    const present = new Set<string>()
    const inWindow = (at: number) => (window.from === null || at > window.from) && at <= window.to
    for (const content of contents) {
      for (const decision of content.decisions) {
        if (!inWindow(decision.at)) continue
        decisions.push({ ...decision, cardId: content.card.id, cardRef: content.card.ref })
        for (const person of [decision.decidedBy, decision.proposedBy]) {
          if (person) present.add(person.ministryId)
        }
      }
      for (const thread of content.threads) {
        for (const comment of thread.comments) {
          if (comment.author && inWindow(comment.at)) present.add(comment.author.ministryId)
        }
      }
    }
    decisions.sort((a, b) => a.at - b.at)
    const signOff = await this.signOffIn(deck, cards, window, inWindow)
    const active = await this.repository.usersActiveInDeck(deckId, window.from ?? 0, window.to)
    for (const userId of active) {
      const user = await this.repository.findUserById(userId)
      if (user?.ministryId) present.add(user.ministryId)
    }
    const closer = window.closedBy ? await this.repository.findUserById(window.closedBy) : null
    const ministries = deck.ministries
      .filter((ministry) => present.has(ministry.id))
      .map((ministry) => ({ id: ministry.id, short: ministry.short, name: ministry.nameId }))
    return {
      deck,
      session: {
        name: window.name,
        from: window.from === null ? null : new Date(window.from),
        to: new Date(window.to),
        closedBy: closer ? personOf(closer, deck) : null,
      },
      ministries,
      decisions,
      signOff,
      exportedAt: now,
      marking: options.marking ?? this.settings.marking,
      timeZone: this.settings.timeZone,
    }
  }

  /** Clearances and finals of the session's window, from the audit log, oldest first. */
  private async signOffIn(
    deck: Deck,
    cards: readonly Card[],
    window: { from: number | null },
    inWindow: (at: number) => boolean,
  ): Promise<Minutes['signOff']> {
    const rows = await this.repository.listActivity({
      deckId: deck.id,
      cardId: null,
      ministryId: null,
      after: window.from ?? 0,
      actions: [
        AuditAction.ClearanceGiven,
        AuditAction.ClearanceWithdrawn,
        AuditAction.CardFinalized,
      ],
      limit: 10_000,
    })
    const refs = new Map(cards.map((card) => [card.id, card.ref]))
    const shortOf = (id: unknown) =>
      typeof id === 'string' ? (deck.ministries.find((m) => m.id === id)?.short ?? id) : null
    const entries: Minutes['signOff'] = []
    for (const row of rows) {
      if (row.source !== 'audit' || !inWindow(row.at)) continue
      const user = row.userId ? await this.repository.findUserById(row.userId) : null
      const { details } = row
      const missing = typeof details.missing === 'string' && details.missing !== ''
      entries.push({
        at: row.at,
        cardId: row.cardId,
        cardRef: refs.get(row.cardId) ?? row.cardId,
        kind:
          row.action === AuditAction.CardFinalized
            ? 'final'
            : row.action === AuditAction.ClearanceGiven
              ? 'given'
              : 'withdrawn',
        ministry: shortOf(details.ministry),
        person: user ? personOf(user, deck) : null,
        override: typeof details.override === 'string' ? details.override : null,
        missing: missing
          ? String(details.missing)
              .split(',')
              .map(shortOf)
              .filter((m): m is string => m !== null)
          : [],
      })
    }
    return entries.sort((a, b) => a.at - b.at)
  }

  private windowOf(
    sessions: readonly RakorSession[],
    session: string,
    now: number,
  ): { from: number | null; to: number; name: string; closedBy: string | null } | null {
    const last = sessions.at(-1)
    if (session === CURRENT_SESSION) {
      return { from: last?.at ?? null, to: now, name: '', closedBy: null }
    }
    if (/^\d+$/.test(session)) {
      const index = sessions.findIndex((candidate) => candidate.seq === Number(session))
      const found = sessions[index]
      if (!found) return null
      return {
        from: sessions[index - 1]?.at ?? null,
        to: found.at,
        name: found.name,
        closedBy: found.closedBy,
      }
    }
    const day = dayWindow(session, this.settings.timeZone)
    if (!day) return null
    const closed = sessions.filter(
      (candidate) => candidate.at >= day.from && candidate.at <= day.to,
    )
    const first = closed[0]
    const lastOfDay = closed.at(-1)
    if (!first || !lastOfDay)
      return { from: day.from - 1, to: day.to, name: session, closedBy: null }
    // The day's sessions: from the one closed before the first of them, to the last.
    const before = sessions[sessions.indexOf(first) - 1]
    return {
      from: before?.at ?? null,
      to: lastOfDay.at,
      name: closed.map((candidate) => candidate.name).join(', '),
      closedBy: lastOfDay.closedBy,
    }
  }

  private async book(
    deck: Deck,
    cards: readonly Card[],
    scope: Book['scope'],
    options: BookOptions,
  ): Promise<Book> {
    const sessions = await this.repository.listSessions(deck.id)
    return {
      deck,
      cards: await this.contents(deck, cards, options.progress),
      scope,
      edition: sessions.length + 1,
      final:
        cards.length > 0 &&
        cards.every((card) => card.status === 'agreed' || card.status === 'final'),
      exportedAt: options.at ?? new Date(),
      marking: options.marking ?? this.settings.marking,
      timeZone: this.settings.timeZone,
    }
  }

  private async contents(
    deck: Deck,
    cards: readonly Card[],
    progress?: (done: number, total: number) => void,
  ): Promise<CardContent[]> {
    const contents: CardContent[] = []
    progress?.(0, cards.length)
    // One card at a time: a 60-card deck must not hold 60 Yjs documents at once.
    for (const card of cards) {
      contents.push(await this.reader.read(card, deck))
      progress?.(contents.length, cards.length)
    }
    return contents
  }

  /** The deck's edition: sessions closed, plus one. */
  async editionOf(deckId: string): Promise<number> {
    return (await this.repository.listSessions(deckId)).length + 1
  }

  /** The deck's closed sessions, newest first (to choose the minutes to print). */
  async sessionsOf(deckId: string): Promise<RakorSession[]> {
    return (await this.repository.listSessions(deckId)).reverse()
  }
}

function personOf(
  user: { id: string; name: string; ministryId: string | null },
  deck: Deck,
): BookPerson {
  const ministryId = user.ministryId ?? ''
  return {
    userId: user.id,
    name: user.name,
    ministryId,
    ministry: deck.ministries.find((ministry) => ministry.id === ministryId)?.short ?? ministryId,
  }
}
