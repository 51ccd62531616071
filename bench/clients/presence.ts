/**
 * Presence at scale (issue 17), the client side: many open dashboards on one deck document, each
 * person moving to another card now and then (an awareness update), and a few of them watching
 * how long each move of the others takes to reach them. Awareness-only clients: no Y.Doc, no
 * y-protocols Awareness (its timers, times hundreds); each person writes its one entry itself.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { cpuSplitMs } from '../lib/proc.ts'
import { median, type Summary, summarize } from '../lib/stats.ts'
import { LightClient, type Protocol } from './wire.ts'

export type PresenceJob = {
  protocol: Protocol
  baseUrl: string
  serverPid: number
  docName: string
  /** One per person (Kartu: each a different bench user). */
  tokens: string[]
  /** The card ids people move between. */
  cardIds: string[]
  people: number
  /** The first this many people also record when the others' moves reach them. */
  observers: number
  moveEverySeconds: number
  warmupSeconds: number
  measureSeconds: number
  drainSeconds: number
}

export type PresenceResult = {
  people: number
  /** Moves sent in the measured window, and moves per second. */
  moves: number
  movesPerSecond: number
  /** Move sent -> that state received by an observer (every observer, every other person), ms. */
  shown: Summary
  /** (move, observer) pairs of the window that never arrived. */
  notShown: number
  /** Server CPU in the window as a share of one core (1 = one core busy). */
  serverCoreShare: number
  clientCoreShare: number
  /** What one observer received in the window, per second (median over observers). */
  observerMessagesPerSecond: number
  observerBytesPerSecond: number
  closed: number
}

type Person = {
  client: LightClient
  clientId: number
  /** sentAt[move]: when each move (1, 2, ...) was sent. */
  sentAt: number[]
  moves: number
}

type Observer = {
  /** Per clientID: the highest move seen, and when each move was first seen. */
  seen: Map<number, number>
  shownAt: Map<number, number[]>
  client: LightClient | null
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One awareness entry in y-protocols' encoding: count 1, clientID, clock, JSON state. */
function awarenessUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, clientId)
  encoding.writeVarUint(encoder, clock)
  encoding.writeVarString(encoder, JSON.stringify(state))
  return encoding.toUint8Array(encoder)
}

function observe(observer: Observer, update: Uint8Array, now: number): void {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    const state = JSON.parse(decoding.readVarString(decoder)) as { move?: unknown } | null
    const move = state?.move
    if (typeof move !== 'number') continue
    const last = observer.seen.get(clientId) ?? 0
    if (move <= last) continue
    // A newer state shows the person where they are now: any move it skipped is shown too.
    let shown = observer.shownAt.get(clientId)
    if (!shown) {
      shown = []
      observer.shownAt.set(clientId, shown)
    }
    for (let m = last + 1; m <= move; m++) shown[m] = now
    observer.seen.set(clientId, move)
  }
}

export async function runPresence(job: PresenceJob): Promise<PresenceResult> {
  const people: Person[] = []
  const observers: Observer[] = []
  const ids = new Set<number>()
  // Connected in batches, as a deck's dashboards would open over a morning, not all at once.
  for (let start = 0; start < job.people; start += 25) {
    const batch: Promise<void>[] = []
    for (let i = start; i < Math.min(job.people, start + 25); i++) {
      let clientId = 0
      while (clientId === 0 || ids.has(clientId)) clientId = Math.floor(Math.random() * 2 ** 31)
      ids.add(clientId)
      const observer: Observer | null =
        i < job.observers ? { seen: new Map(), shownAt: new Map(), client: null } : null
      if (observer) observers.push(observer)
      const client = new LightClient({
        protocol: job.protocol,
        baseUrl: job.baseUrl,
        docName: job.docName,
        token: job.tokens[i % job.tokens.length],
        keepDoc: false,
        onAwareness: observer ? (update, now) => observe(observer, update, now) : undefined,
      })
      if (observer) observer.client = client
      people.push({ client, clientId, sentAt: [], moves: 0 })
      batch.push(client.connect())
    }
    await Promise.all(batch)
  }
  await sleep(500)

  const move = (person: Person) => {
    person.moves++
    const cardId = job.cardIds[Math.floor(Math.random() * job.cardIds.length)] as string
    const state = {
      user: { id: `person-${person.clientId}`, name: 'Bench person', color: '#30bced' },
      cardId,
      move: person.moves,
    }
    person.sentAt[person.moves] = performance.now()
    person.client.sendAwareness(awarenessUpdate(person.clientId, person.moves, state))
  }

  // Spread evenly: person i moves at i x (period / people), then every period.
  const spacingMs = (job.moveEverySeconds * 1000) / job.people
  const warmMs = job.warmupSeconds * 1000
  const endMs = warmMs + job.measureSeconds * 1000
  const firstMove: number[] = []
  const lastMove: number[] = []
  let cpuServer0 = { user: 0, system: 0 }
  let cpuClient0 = process.cpuUsage()
  let windowT0 = 0
  let windowMs = 0
  let serverMs = 0
  let clientMs = 0
  type Counts = { messages: number; bytes: number }
  const countsOf = (o: Observer): Counts => ({
    messages: o.client?.messagesReceived ?? 0,
    bytes: o.client?.bytesReceived ?? 0,
  })
  let counts0: Counts[] = []
  let counts1: Counts[] = []
  let sent = 0
  let measuring = false
  const t0 = performance.now()
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - t0
      if (!measuring && elapsed >= warmMs) {
        measuring = true
        windowT0 = performance.now()
        people.forEach((p, i) => {
          firstMove[i] = p.moves + 1
        })
        counts0 = observers.map(countsOf)
        cpuServer0 = cpuSplitMs(job.serverPid)
        cpuClient0 = process.cpuUsage()
      }
      const due = Math.floor(Math.min(elapsed, endMs) / spacingMs)
      while (sent < due) {
        move(people[sent % people.length] as Person)
        sent++
      }
      if (elapsed >= endMs) {
        clearInterval(timer)
        // The window closes with the last move sent: what the server does for the window's
        // moves after it (a coalesced flush) is at most one interval, as much as it did before.
        windowMs = performance.now() - windowT0
        const cpu = cpuSplitMs(job.serverPid)
        serverMs = cpu.user + cpu.system - cpuServer0.user - cpuServer0.system
        const client = process.cpuUsage(cpuClient0)
        clientMs = (client.user + client.system) / 1000
        counts1 = observers.map(countsOf)
        people.forEach((p, i) => {
          lastMove[i] = p.moves
        })
        resolve()
      }
    }, 2)
  })

  const missing = () => {
    let n = 0
    observers.forEach((o, oi) => {
      people.forEach((p, pi) => {
        if (pi === oi) return
        const shown = o.shownAt.get(p.clientId)
        for (let m = firstMove[pi] as number; m <= (lastMove[pi] as number); m++) {
          if (shown?.[m] === undefined) n++
        }
      })
    })
    return n
  }
  const drainUntil = performance.now() + job.drainSeconds * 1000
  while (missing() > 0 && performance.now() < drainUntil) await sleep(20)

  const delays: number[] = []
  observers.forEach((o, oi) => {
    people.forEach((p, pi) => {
      if (pi === oi) return
      const shown = o.shownAt.get(p.clientId)
      for (let m = firstMove[pi] as number; m <= (lastMove[pi] as number); m++) {
        const at = shown?.[m]
        if (at !== undefined) delays.push(at - (p.sentAt[m] as number))
      }
    })
  })
  let moves = 0
  people.forEach((_, i) => {
    moves += (lastMove[i] as number) - (firstMove[i] as number) + 1
  })
  const perSecond = (pick: (c: Counts) => number) =>
    median(
      observers.map(
        (_, i) => ((pick(counts1[i] as Counts) - pick(counts0[i] as Counts)) * 1000) / windowMs,
      ),
    )
  const result: PresenceResult = {
    people: people.length,
    moves,
    movesPerSecond: (moves * 1000) / windowMs,
    shown: summarize(delays),
    notShown: missing(),
    serverCoreShare: serverMs / windowMs,
    clientCoreShare: clientMs / windowMs,
    observerMessagesPerSecond: perSecond((c) => c.messages),
    observerBytesPerSecond: perSecond((c) => c.bytes),
    closed: people.filter((p) => p.client.closedEarly).length,
  }
  await Promise.all(people.map((p) => p.client.close()))
  return result
}
