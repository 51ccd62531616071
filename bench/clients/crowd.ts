/**
 * The client process: many light clients, driven by the benchmark driver over IPC. It measures
 * what the clients see (keystroke -> every other client, Persisted), and reads the server's and
 * its own CPU around each measured window. Commands: run, hold, release, sync, presence (see
 * presence.ts), exit.
 */
import { ANSWER_FIELD } from '@kartu/schema'
import * as Y from 'yjs'
import { cpuByThreadMs, cpuSplitMs, rssBytes } from '../lib/proc.ts'
import { type Summary, summarize } from '../lib/stats.ts'
import { type PresenceJob, runPresence } from './presence.ts'
import { LightClient, type Protocol } from './wire.ts'

/** `baseUrl`: where this card's clients connect, when not the job's (one of several nodes). */
export type Room = { docName: string; tokens: string[]; baseUrl?: string }

export type RunJob = {
  protocol: Protocol
  baseUrl: string
  /** The server's processes: one, or each node of several (CPU and memory are their sums). */
  serverPids: number[]
  rooms: Room[]
  clientsPerRoom: number
  typistsPerRoom: number
  /** Aggregate keystrokes per second, one step each; a ladder stops at the first miss. */
  rates: number[]
  stepSeconds: number
  warmupSeconds: number
  drainSeconds: number
  /** Ladder: stop after a step whose p99 is at least this, or that lost an edit (a miss). */
  stopAtP99Ms?: number
  /** Ladder: stop after this many misses in a row (default 1: the first). */
  missesInARow?: number
}

export type StepResult = {
  targetRate: number
  achievedRate: number
  edits: number
  /** Keystroke -> received by every other client of the card, ms. */
  latency: Summary
  /** Keystroke -> Persisted acknowledgement (Kartu only), ms. */
  persisted: Summary | null
  lost: number
  rejected: number
  closed: number
  serverCpuMsPerEdit: number
  /** The kernel's part of it (socket writes, fsync). */
  serverSystemCpuMsPerEdit: number
  /** The same per thread kind ("main": the event loop; the rest: V8 and libuv helpers). */
  serverCpuMsPerEditByThread: Record<string, number>
  clientCpuMsPerEdit: number
  serverRssBytes: number
}

export type HoldJob = { protocol: Protocol; baseUrl: string; rooms: Room[] }

export type SyncJob = {
  protocol: Protocol
  baseUrl: string
  docs: Array<{ docName: string; token: string }>
}
export type SyncResult = { ms: number; bytes: number }

export type Command =
  | { cmd: 'run'; job: RunJob }
  | { cmd: 'hold'; job: HoldJob }
  | { cmd: 'release' }
  | { cmd: 'sync'; job: SyncJob }
  | { cmd: 'presence'; job: PresenceJob }
  | { cmd: 'exit' }

type Typist = {
  client: LightClient
  text: Y.XmlText
  clientId: number
  receivers: number
  lastUpdate: Uint8Array | null
  sentAt: number[]
  got: number[]
  doneAt: number[]
  seqClock: Map<number, number>
  persistedAt: number[]
  ackedSeq: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run))
}

const typists = new Map<number, Typist>()
let held: LightClient[] = []

function onRange(client: number, from: number, to: number, now: number): void {
  const typist = typists.get(client)
  if (!typist) return
  for (let clock = from; clock < to; clock++) {
    const got = (typist.got[clock] ?? 0) + 1
    typist.got[clock] = got
    if (got === typist.receivers) typist.doneAt[clock] = now
  }
}

function makeTypist(client: LightClient, receivers: number): Typist {
  const doc = client.doc as Y.Doc
  const paragraph = doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  const typist: Typist = {
    client,
    text,
    clientId: doc.clientID,
    receivers,
    lastUpdate: null,
    sentAt: [],
    got: [],
    doneAt: [],
    seqClock: new Map(),
    persistedAt: [],
    ackedSeq: 0,
  }
  doc.on('update', (update: Uint8Array) => {
    typist.lastUpdate = update
  })
  return typist
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz '

function type(typist: Typist, index: number): void {
  const doc = typist.client.doc as Y.Doc
  const clock = Y.getState(doc.store, doc.clientID)
  // At the end of what this typist sees: its own run of text after the card's paragraph.
  typist.text.insert(typist.text.length, LETTERS[index % LETTERS.length] as string)
  const update = typist.lastUpdate as Uint8Array
  typist.sentAt[clock] = performance.now()
  const seq = typist.client.sendUpdate(update)
  typist.seqClock.set(seq, clock)
}

async function run(job: RunJob): Promise<StepResult[]> {
  const clients: LightClient[] = []
  const all: Typist[] = []
  typists.clear()
  const receivers = job.clientsPerRoom - 1
  const specs = job.rooms.flatMap((room) =>
    Array.from({ length: job.clientsPerRoom }, (_, i) => ({ room, i })),
  )
  await inBatches(specs, 25, async ({ room, i }) => {
    const isTypist = i < job.typistsPerRoom
    let typist: Typist | null = null
    const client = new LightClient({
      protocol: job.protocol,
      baseUrl: room.baseUrl ?? job.baseUrl,
      docName: room.docName,
      token: room.tokens[i % room.tokens.length],
      keepDoc: isTypist,
      onRange,
      onPersisted: (seq, now) => {
        if (!typist) return
        for (let s = typist.ackedSeq + 1; s <= seq; s++) {
          const clock = typist.seqClock.get(s)
          if (clock !== undefined) {
            typist.persistedAt[clock] = now
            typist.seqClock.delete(s)
          }
        }
        typist.ackedSeq = Math.max(typist.ackedSeq, seq)
      },
    })
    clients.push(client)
    await client.connect()
    if (isTypist) {
      typist = makeTypist(client, receivers)
      typists.set(typist.clientId, typist)
      all.push(typist)
    }
  })
  await sleep(500)
  const results: StepResult[] = []
  let index = 0
  let misses = 0
  for (const rate of job.rates) {
    const step = await runStep(job, rate, all, clients, () => index++)
    results.push(step)
    process.send?.({ type: 'progress', step })
    if (job.stopAtP99Ms !== undefined) {
      const missed = step.lost > 0 || !(step.latency.p99 < job.stopAtP99Ms)
      misses = missed ? misses + 1 : 0
      if (misses >= (job.missesInARow ?? 1)) break
    }
    await sleep(300)
  }
  await Promise.all(clients.map((c) => c.close()))
  typists.clear()
  return results
}

async function runStep(
  job: RunJob,
  rate: number,
  all: Typist[],
  clients: LightClient[],
  nextIndex: () => number,
): Promise<StepResult> {
  const firstClock = all.map((t) => Y.getState((t.client.doc as Y.Doc).store, t.clientId))
  const windowStart: number[] = [...firstClock]
  let sent = 0
  let windowEdits = 0
  let measuring = false
  let cpuServer0 = { user: 0, system: 0 }
  let threads0: Record<string, number> = {}
  let cpuClient0 = process.cpuUsage()
  let windowT0 = 0
  const t0 = performance.now()
  const warmMs = job.warmupSeconds * 1000
  const endMs = warmMs + job.stepSeconds * 1000
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - t0
      if (!measuring && elapsed >= warmMs) {
        measuring = true
        windowT0 = performance.now()
        all.forEach((t, i) => {
          windowStart[i] = Y.getState((t.client.doc as Y.Doc).store, t.clientId)
        })
        cpuServer0 = cpuSplitMs(job.serverPids)
        threads0 = cpuByThreadMs(job.serverPids)
        cpuClient0 = process.cpuUsage()
      }
      const due = Math.floor((Math.min(elapsed, endMs) / 1000) * rate)
      while (sent < due) {
        const typist = all[sent % all.length] as Typist
        if (typist.client.socket.readyState === typist.client.socket.OPEN) {
          type(typist, nextIndex())
          if (measuring) windowEdits++
        }
        sent++
      }
      if (elapsed >= endMs) {
        clearInterval(timer)
        resolve()
      }
    }, 2)
  })
  const windowMs = performance.now() - windowT0
  const windowEnd = all.map((t) => Y.getState((t.client.doc as Y.Doc).store, t.clientId))
  const pending = () => {
    let missing = 0
    all.forEach((t, i) => {
      for (let c = windowStart[i] as number; c < (windowEnd[i] as number); c++) {
        if (t.doneAt[c] === undefined) missing++
        else if (job.protocol === 'kartu' && t.persistedAt[c] === undefined) missing++
      }
    })
    return missing
  }
  const drainUntil = performance.now() + job.drainSeconds * 1000
  while (pending() > 0 && performance.now() < drainUntil) await sleep(20)
  const cpuServer1 = cpuSplitMs(job.serverPids)
  const threads1 = cpuByThreadMs(job.serverPids)
  const serverSystemCpu = cpuServer1.system - cpuServer0.system
  const serverCpu = cpuServer1.user - cpuServer0.user + serverSystemCpu
  const clientCpu = process.cpuUsage(cpuClient0)
  const latencies: number[] = []
  const persisted: number[] = []
  let lost = 0
  all.forEach((t, i) => {
    for (let c = windowStart[i] as number; c < (windowEnd[i] as number); c++) {
      const sentAt = t.sentAt[c] as number
      const done = t.doneAt[c]
      if (done === undefined) lost++
      else latencies.push(done - sentAt)
      const stored = t.persistedAt[c]
      if (stored !== undefined) persisted.push(stored - sentAt)
    }
  })
  const edits = windowEdits
  return {
    targetRate: rate,
    achievedRate: (edits * 1000) / windowMs,
    edits,
    latency: summarize(latencies),
    persisted: job.protocol === 'kartu' ? summarize(persisted) : null,
    lost,
    rejected: clients.reduce((sum, c) => sum + c.rejected, 0),
    closed: clients.filter((c) => c.closedEarly).length,
    serverCpuMsPerEdit: serverCpu / edits,
    serverSystemCpuMsPerEdit: serverSystemCpu / edits,
    serverCpuMsPerEditByThread: Object.fromEntries(
      Object.entries(threads1).map(([name, ms]) => [name, (ms - (threads0[name] ?? 0)) / edits]),
    ),
    clientCpuMsPerEdit: (clientCpu.user + clientCpu.system) / 1000 / edits,
    serverRssBytes: rssBytes(job.serverPids),
  }
}

async function hold(job: HoldJob): Promise<number> {
  const specs = job.rooms.flatMap((room) => room.tokens.map((token) => ({ room, token })))
  await inBatches(specs, 25, async ({ room, token }) => {
    const client = new LightClient({
      protocol: job.protocol,
      baseUrl: job.baseUrl,
      docName: room.docName,
      token,
      keepDoc: false,
    })
    held.push(client)
    await client.connect()
  })
  return held.length
}

async function sync(job: SyncJob): Promise<SyncResult[]> {
  const results: SyncResult[] = []
  for (const { docName, token } of job.docs) {
    const client = new LightClient({
      protocol: job.protocol,
      baseUrl: job.baseUrl,
      docName,
      token,
      keepDoc: false,
    })
    const start = performance.now()
    await client.connect()
    results.push({ ms: client.syncedAt - start, bytes: client.bytesUntilSynced })
    await client.close()
    await sleep(100)
  }
  return results
}

process.on('message', (message: Command) => {
  const reply = (result: unknown) => process.send?.({ type: 'result', result })
  const fail = (error: unknown) =>
    process.send?.({ type: 'error', message: String((error as Error)?.stack ?? error) })
  switch (message.cmd) {
    case 'run':
      run(message.job).then(reply, fail)
      return
    case 'hold':
      hold(message.job).then(reply, fail)
      return
    case 'release': {
      const closing = held
      held = []
      Promise.all(closing.map((c) => c.close())).then(() => reply(closing.length), fail)
      return
    }
    case 'sync':
      sync(message.job).then(reply, fail)
      return
    case 'presence':
      runPresence(message.job).then(reply, fail)
      return
    case 'exit':
      process.exit(0)
  }
})
process.send?.({ type: 'ready' })
