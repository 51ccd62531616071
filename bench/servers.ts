/**
 * Starts each benchmarked server in its own process on 127.0.0.1 and seeds Kartu.
 * - kartu: the real CLI as it runs in production, compiled (`server/dist/cli.js serve`, made by
 *   `pnpm build`, which `pnpm bench` runs first), on a copy of a seeded data folder;
 * - y-websocket and hocuspocus: bench/peers/*.ts.
 * Every process is started with bench/peers/probe.ts preloaded (memory figures over IPC).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cardDocumentName, deckDocumentName, Role } from '@kartu/protocol'
import { Auth } from '../server/src/auth/Auth.ts'
import { hashPassword } from '../server/src/auth/passwords.ts'
import { importDeck } from '../server/src/deckImport.ts'
import { openPostgresStorage } from '../server/src/store/openStore.ts'
import { openDatabase } from '../server/src/store/sqlite/openDatabase.ts'
import { SqliteDocumentStore } from '../server/src/store/sqlite/SqliteDocumentStore.ts'
import { SqliteRepository } from '../server/src/store/sqlite/SqliteRepository.ts'
import type { DocumentStore, Repository } from '../server/src/store/types.ts'
import { SOURCE_NODE_FLAGS } from '../server/src/testing/sourceNode.ts'
import { CARD_TEXT, repoRoot, STATE_FILES, TRACE_PREFIX } from './lib/fixtures.ts'

export type ServerKind = 'kartu' | 'y-websocket' | 'hocuspocus'
export const SERVER_KINDS: readonly ServerKind[] = ['kartu', 'y-websocket', 'hocuspocus']

/**
 * Kartu's per-connection abuse limits, raised for the benchmark: the harness's typists send up
 * to hundreds of keystrokes a second each, and one bench user holds many connections. They are
 * protection against broken or hostile clients, not throughput caps.
 */
export const KARTU_BENCH_ENV: Record<string, string> = {
  KARTU_MAX_MESSAGES_PER_SECOND: '1000000',
  KARTU_MAX_CONNECTIONS_PER_USER: '100000',
}

/** Card slots: names the scenarios use; Kartu maps each to a seeded card id. */
export type Slots = { cards: string[]; traceCards: string[] }

export type Memory = { heapUsed: number; external: number; rss: number }

export type ServerHandle = {
  kind: ServerKind
  pid: number
  /** Every process of it: `pid`, or each node of several (the scale-out scenario). */
  pids: number[]
  baseUrl: string
  port: number
  /** The document name of a slot on this server. */
  docName(slot: string): string
  /** The document a deck's open dashboards share presence on (Kartu: `deck:<deckId>`). */
  presenceDocName: string
  /** Kartu's access tokens (one per bench user); peers accept anyone. */
  tokens: string[]
  memory(): Promise<Memory>
  /** Kartu only: rooms loaded now (from /readyz). */
  loadedRooms(): Promise<number | null>
  stop(): Promise<void>
  output(): string
}

export type KartuSeed = {
  /** The SQLite data folder (copied per server); empty with `databaseUrl`. */
  dir: string
  /** PostgreSQL holds the deck instead (a schema of the bench's own), or null: SQLite. */
  databaseUrl: string | null
  deckId: string
  cardIds: Map<string, string>
  tokens: string[]
}

type Seeded = Omit<KartuSeed, 'dir' | 'databaseUrl'>

/** Seeds a Kartu data folder once (copied per run): the cards of every slot and bench users. */
export async function seedKartu(
  slots: Slots,
  cardState: Uint8Array,
  traceState: Uint8Array | null,
  users: number,
): Promise<KartuSeed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-seed-'))
  const db = openDatabase(dir)
  // Seeding is not measured: no fsync per card here. The server opens it with synchronous=FULL.
  db.pragma('synchronous = OFF')
  try {
    const seeded = await seedDeck(
      new SqliteRepository(db),
      new SqliteDocumentStore(db),
      slots,
      cardState,
      traceState,
      users,
    )
    return { dir, databaseUrl: null, ...seeded }
  } finally {
    db.close()
  }
}

/**
 * Seeds the same deck into PostgreSQL at `databaseUrl` (migrated first), for the scale-out
 * scenario. Each setup gets a schema of its own, so every server starts from the same cards.
 */
export async function seedKartuPostgres(
  databaseUrl: string,
  slots: Slots,
  cardState: Uint8Array,
  users: number,
): Promise<KartuSeed> {
  const storage = await openPostgresStorage(databaseUrl)
  try {
    const seeded = await seedDeck(
      storage.repository,
      storage.documents,
      slots,
      cardState,
      null,
      users,
    )
    return { dir: '', databaseUrl, ...seeded }
  } finally {
    await storage.close()
  }
}

async function seedDeck(
  repository: Repository,
  documents: DocumentStore,
  slots: Slots,
  cardState: Uint8Array,
  traceState: Uint8Array | null,
  users: number,
): Promise<Seeded> {
  const all = [...slots.cards, ...slots.traceCards]
  const deck = {
    title: 'Benchmark',
    ministries: [{ id: 'KP2MI', short: 'KP2MI' }],
    clusters: [{ id: 'bench' }],
    cards: all.map((slot) => ({
      id: slot,
      cluster: 'bench',
      question: `Benchmark card ${slot}`,
      lead_ministry: 'KP2MI',
      draft_answer: CARD_TEXT,
    })),
  }
  const { deckId, cardIds } = await importDeck(repository, documents, deck)
  const bySlot = new Map<string, string>()
  all.forEach((slot, i) => {
    bySlot.set(slot, cardIds[i] as string)
  })
  // The same bytes the peers start from.
  for (const slot of slots.cards) {
    await documents.compact(cardDocumentName(bySlot.get(slot) as string), cardState, 0)
  }
  for (const slot of slots.traceCards) {
    await documents.compact(
      cardDocumentName(bySlot.get(slot) as string),
      traceState ?? cardState,
      0,
    )
  }
  const auth = new Auth(repository, { sessionIdleMs: 3_600_000, sessionMaxMs: 3_600_000 })
  const passwordHash = await hashPassword('benchmark password')
  const tokens: string[] = []
  for (let i = 0; i < users; i++) {
    const id = `bench-${i}`
    await repository.createUser({
      id,
      email: `bench${i}@kartu.test`,
      name: `Bench ${i}`,
      ministryId: 'KP2MI',
      passwordHash,
    })
    await repository.setMember(deckId, id, Role.Editor)
    tokens.push((await auth.issueToken(id, 'bench')).token)
  }
  return { deckId, cardIds: bySlot, tokens }
}

/** Writes the peers' start states. */
export function writePeerStates(cardState: Uint8Array, traceState: Uint8Array | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-peers-'))
  fs.writeFileSync(path.join(dir, STATE_FILES.card), cardState)
  if (traceState) fs.writeFileSync(path.join(dir, STATE_FILES.trace), traceState)
  return dir
}

const PROBE = './bench/peers/probe.ts'

/**
 * Node flags of the compiled Kartu server: tsx only for the probe (TypeScript), and without the
 * `kartu-source` condition, so that the workspace packages load from their dist/ as in production.
 */
const COMPILED_NODE_FLAGS: readonly string[] = ['--import', 'tsx']

function launch(
  args: string[],
  env: Record<string, string>,
  listening: RegExp,
  flags: readonly string[] = SOURCE_NODE_FLAGS,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  // KARTU_BENCH_SERVER_FLAGS: extra node flags for the servers, e.g. "--cpu-prof" to profile.
  const extra = (process.env.KARTU_BENCH_SERVER_FLAGS ?? '').split(' ').filter((f) => f.length > 0)
  const node = ['--expose-gc', ...extra, ...flags, '--import', PROBE, ...args]
  const child = spawn(process.execPath, node, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let log = ''
  const onData = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000)
    const check = () => {
      const match = listening.exec(log)
      if (match) {
        clearTimeout(timer)
        child.stdout?.off('data', check)
        child.stderr?.off('data', check)
        resolve(Number(match[1]))
      }
    }
    child.stdout?.on('data', check)
    child.stderr?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${log}`))
    })
  })
  return port.then((p) => ({ child, port: p, output: () => log }))
}

let memoryQuestion = 0

function handle(
  kind: ServerKind,
  child: ChildProcess,
  port: number,
  output: () => string,
  docName: (slot: string) => string,
  presenceDocName: string,
  tokens: string[],
  cleanup: () => void,
): ServerHandle {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const baseUrl = `ws://127.0.0.1:${port}`
  return {
    kind,
    pid: child.pid as number,
    pids: [child.pid as number],
    port,
    baseUrl,
    docName,
    presenceDocName,
    tokens,
    output,
    memory: () =>
      new Promise<Memory>((resolve, reject) => {
        const id = ++memoryQuestion
        const timer = setTimeout(() => reject(new Error('no memory answer')), 10_000)
        const onMessage = (message: { type?: string; id?: number } & Memory) => {
          if (message?.type !== 'memory' || message.id !== id) return
          clearTimeout(timer)
          child.off('message', onMessage)
          resolve({ heapUsed: message.heapUsed, external: message.external, rss: message.rss })
        }
        child.on('message', onMessage)
        child.send({ type: 'memory', id })
      }),
    loadedRooms: async () => {
      if (kind !== 'kartu') return null
      const response = await fetch(`http://127.0.0.1:${port}/readyz`)
      const body = (await response.json()) as { rooms: number }
      return body.rooms
    },
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      cleanup()
    },
  }
}

export async function startServer(
  kind: ServerKind,
  context: { kartu: KartuSeed; peerStateDir: string },
): Promise<ServerHandle> {
  if (kind === 'kartu') return startKartu(context.kartu)
  const script = kind === 'y-websocket' ? 'bench/peers/ywebsocket.ts' : 'bench/peers/hocuspocus.ts'
  const { child, port, output } = await launch(
    [script],
    { BENCH_STATE_DIR: context.peerStateDir },
    /listening (\d+)/,
  )
  return handle(
    kind,
    child,
    port,
    output,
    (slot) => (slot.startsWith('trace-') ? `${TRACE_PREFIX}${slot.slice(6)}` : `card:${slot}`),
    'deck:bench',
    ['bench'],
    () => {},
  )
}

/**
 * A Kartu server: the real CLI as it runs in production, compiled, on a copy of the seeded data
 * folder (SQLite) or on the seed's PostgreSQL schema; `env` adds to the bench's settings (the
 * several-node variables, a chosen PORT).
 */
export async function startKartu(
  seed: KartuSeed,
  env: Record<string, string> = {},
): Promise<ServerHandle> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-data-'))
  if (seed.databaseUrl === null) fs.cpSync(seed.dir, dataDir, { recursive: true })
  const cli = path.join(repoRoot, 'server/dist/cli.js')
  if (!fs.existsSync(cli)) throw new Error('server/dist/cli.js is missing: run pnpm build first')
  const { child, port, output } = await launch(
    [cli, 'serve'],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      KARTU_DATA_DIR: dataDir,
      ...(seed.databaseUrl === null ? {} : { KARTU_DATABASE_URL: seed.databaseUrl }),
      KARTU_LOG_LEVEL: 'info',
      KARTU_PUBLIC_ORIGIN: 'http://127.0.0.1',
      ...KARTU_BENCH_ENV,
      ...env,
    },
    /Server listening at http:\/\/127\.0\.0\.1:(\d+)/,
    COMPILED_NODE_FLAGS,
  )
  const ids = seed.cardIds
  return handle(
    'kartu',
    child,
    port,
    output,
    (slot) => {
      const id = ids.get(slot)
      if (!id) throw new Error(`no seeded card for slot ${slot}`)
      return cardDocumentName(id)
    },
    deckDocumentName(seed.deckId),
    seed.tokens,
    () => fs.rmSync(dataDir, { recursive: true, force: true }),
  )
}
