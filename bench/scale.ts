/**
 * Scenario 12 (issue 17): scale-out. Scenario 2's shape (100 cards, 5 people on each, one of
 * them typing) climbs a rate ladder until p99 (keystroke -> the card's four others) reaches
 * 100 ms or an edit is lost, on three Kartu setups started in turn:
 * - `sqlite x1`: one node on the embedded SQLite default;
 * - `postgres x1`: one node on the machine's PostgreSQL;
 * - `postgres x2`: two nodes on that PostgreSQL with Redis (decision 0018). Each card's people
 *   connect to one node, chosen by card, as HAProxy's `balance uri` does in docs/deploy: the
 *   first to open a card makes that node its holder, so nothing is relayed between nodes.
 * Every setup starts from its own copy of the same seeded deck (a PostgreSQL schema of the
 * bench's own, dropped at the end). Server CPU is the nodes' sum; PostgreSQL's own is not in it.
 *
 * Each node runs under a CPU budget of its own (KARTU_BENCH_NODE_CPU cores, 0.4 by default;
 * lib/cpuBudget.ts). Without one, on a machine of two cores, every setup tops out where the
 * machine does (the nodes, the load generator and PostgreSQL together: all three at 3,200/s),
 * which says nothing about what a second node adds; with one, a node is the limit, as when each
 * has a machine of its own. The budget must leave the machine room for two nodes' rate: at 0.5
 * core, two nodes missed at 2,250/s with 83% of their budgets used, the machine's limit again.
 * Below about 0.4 a single node misses at a few hundred edits a second (unbatched commits cost
 * most). `nodes' CPU at the first miss` in the table says which limit a setup met.
 * KARTU_BENCH_NODE_CPU=none measures the machine's limit instead.
 *
 * KARTU_BENCH_SCALE_SETUPS runs some of the setups ("postgres x1,postgres x2").
 * KARTU_BENCH_DATABASE_URL and KARTU_BENCH_REDIS_URL say where PostgreSQL and Redis are
 * (default: the ones on 127.0.0.1 that the tests use).
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { openPool, type PgPool } from '../server/src/store/postgres/database.ts'
import { freePort } from '../server/src/testing/ownRedis.ts'
import type { Room, StepResult } from './clients/crowd.ts'
import { cpuBudget, cpuBudgetsAvailable } from './lib/cpuBudget.ts'
import { type Durations, runCrowd, SATURATION_P99_MS } from './scenarios.ts'
import {
  type KartuSeed,
  type ServerHandle,
  type Slots,
  seedKartu,
  seedKartuPostgres,
  startKartu,
} from './servers.ts'

export const SCALE = { cards: 100, clientsPerCard: 5, typistsPerCard: 1 }
/**
 * From a rate a budgeted node carries easily, in steps of 100 where budgeted setups miss (the
 * ratio of two setups is read off them), coarser above, past where the whole machine was seen to
 * miss without budgets (3,600/s).
 */
export const SCALE_LADDER = [
  200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800,
  1950, 2100, 2250, 2400, 2600, 2800, 3000, 3200, 3600, 4000, 5000,
]
export const SCALE_SETUPS = ['sqlite x1', 'postgres x1', 'postgres x2'] as const
export type ScaleSetup = (typeof SCALE_SETUPS)[number]

export type ScaleFigures = {
  /** Highest ladder rate with p99 under 100 ms and nothing lost (0: not even the first). */
  maxRate: number
  /** At that rate. */
  p99Ms: number
  serverCpuMsPerEdit: number
  clientCpuMsPerEdit: number
  /**
   * At the first step missed above that rate: the nodes' CPU as a share of their budgets. Near
   * 1, the nodes were the limit; well below, something they share (the machine) was.
   */
  budgetUsedAtMiss: number | null
  ladder: StepResult[]
}
export type ScaleResult = {
  /** Each node's CPU budget in cores, or null: none (the machine is the limit). */
  nodeCores: number | null
  setups: Partial<Record<ScaleSetup, ScaleFigures>>
}

const DATABASE_URL =
  process.env.KARTU_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.KARTU_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** KARTU_BENCH_NODE_CPU: cores per node, or `none`. */
function wantedNodeCores(): number | null {
  const text = process.env.KARTU_BENCH_NODE_CPU ?? '0.4'
  if (text === 'none') return null
  const cores = Number(text)
  if (!(cores > 0 && cores <= 64))
    throw new Error(`KARTU_BENCH_NODE_CPU: cores or none, not ${text}`)
  return cores
}

const WARM_SLOTS = ['scale-warm-0', 'scale-warm-1']
const SLOTS: Slots = {
  cards: [...WARM_SLOTS, ...Array.from({ length: SCALE.cards }, (_, i) => `scale-${i}`)],
  traceCards: [],
}
/** Every client of every card is a different person. */
const PEOPLE = SCALE.cards * SCALE.clientsPerCard

async function onDatabase<T>(work: (pool: PgPool) => Promise<T>): Promise<T> {
  const pool = openPool(DATABASE_URL, { max: 1 })
  try {
    return await work(pool)
  } finally {
    await pool.end()
  }
}

/** A schema of the bench's own and its URL (search_path), dropped by `drop`. */
async function benchSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `kartu_bench_${randomBytes(6).toString('hex')}`
  await onDatabase(async (pool) => {
    await pool.query(`CREATE SCHEMA ${name}`)
  })
  const url = new URL(DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${name}`)
  return {
    url: url.toString(),
    drop: () =>
      onDatabase(async (pool) => {
        await pool.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
      }),
  }
}

/** The nodes of one setup, as one server: CPU and memory summed, each card on one node. */
type Setup = { nodes: ServerHandle[]; tokens: string[]; docName: (slot: string) => string }

/** Puts each node under a budget of `cores`; returns how to remove the groups once they exit. */
function budgetNodes(nodes: ServerHandle[], cores: number | null): () => void {
  if (cores === null) return () => {}
  const budgets = nodes.map((node, i) => {
    const budget = cpuBudget(`kartu-bench-node-${process.pid}-${i}`, cores)
    budget.add(node.pid)
    return budget
  })
  return () => {
    for (const budget of budgets) budget.remove()
  }
}

async function startSetup(
  setup: ScaleSetup,
  card: Uint8Array,
  cores: number | null,
): Promise<{
  running: Setup
  stop: () => Promise<void>
}> {
  if (setup === 'sqlite x1') {
    const seed = await seedKartu(SLOTS, card, null, PEOPLE)
    const node = await startKartu(seed)
    const unbudget = budgetNodes([node], cores)
    return {
      running: { nodes: [node], tokens: seed.tokens, docName: node.docName },
      stop: async () => {
        await node.stop()
        unbudget()
        fs.rmSync(seed.dir, { recursive: true, force: true })
      },
    }
  }
  const schema = await benchSchema()
  const nodes: ServerHandle[] = []
  try {
    const seed: KartuSeed = await seedKartuPostgres(schema.url, SLOTS, card, PEOPLE)
    if (setup === 'postgres x1') {
      nodes.push(await startKartu(seed))
    } else {
      const secret = randomBytes(24).toString('hex')
      for (const id of ['bench-a', 'bench-b']) {
        const port = await freePort()
        nodes.push(
          await startKartu(seed, {
            PORT: String(port),
            KARTU_REDIS_URL: REDIS_URL,
            KARTU_NODE_ID: id,
            KARTU_NODE_URL: `http://127.0.0.1:${port}`,
            KARTU_CLUSTER_SECRET: secret,
          }),
        )
      }
    }
    const first = nodes[0] as ServerHandle
    const unbudget = budgetNodes(nodes, cores)
    return {
      running: { nodes, tokens: seed.tokens, docName: first.docName },
      stop: async () => {
        await Promise.all(nodes.map((node) => node.stop()))
        unbudget()
        await schema.drop()
      },
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()))
    await schema.drop()
    throw error
  }
}

/** The cards of `slots`, each served by node (index mod nodes), with its people's tokens. */
function roomsOn(running: Setup, slots: string[]): Room[] {
  return slots.map((slot, r) => ({
    docName: running.docName(slot),
    baseUrl: (running.nodes[r % running.nodes.length] as ServerHandle).baseUrl,
    tokens: Array.from(
      { length: SCALE.clientsPerCard },
      (_, i) => running.tokens[(r * SCALE.clientsPerCard + i) % running.tokens.length] as string,
    ),
  }))
}

/** One server handle over all the nodes, for the crowd (which reads every pid's CPU). */
function asOneServer(running: Setup): ServerHandle {
  const first = running.nodes[0] as ServerHandle
  return { ...first, pids: running.nodes.flatMap((node) => node.pids) }
}

async function climb(
  setup: ScaleSetup,
  card: Uint8Array,
  cores: number | null,
  d: Durations,
  log: (line: string) => void,
): Promise<ScaleFigures> {
  const { running, stop } = await startSetup(setup, card, cores)
  const server = asOneServer(running)
  try {
    // Not measured: each node's hot paths compiled first (as warmUp() does for one server).
    await runCrowd(
      server,
      {
        rooms: roomsOn(running, WARM_SLOTS),
        clientsPerRoom: SCALE.clientsPerCard,
        typistsPerRoom: SCALE.clientsPerCard,
        rates: [400],
        stepSeconds: d.serverWarmupSeconds,
        warmupSeconds: 0,
        drainSeconds: 5,
      },
      () => {},
    )
    const ladder = await runCrowd(
      server,
      {
        rooms: roomsOn(
          running,
          Array.from({ length: SCALE.cards }, (_, i) => `scale-${i}`),
        ),
        clientsPerRoom: SCALE.clientsPerCard,
        typistsPerRoom: SCALE.typistsPerCard,
        rates: SCALE_LADDER,
        stepSeconds: d.ladderStepSeconds,
        warmupSeconds: 0.5,
        drainSeconds: 3,
        stopAtP99Ms: SATURATION_P99_MS,
        // One step over 100 ms at a rate a node carries (a pause of the shared machine) must not
        // end the climb: it stops after two misses in a row, and the highest step passed counts.
        missesInARow: 2,
      },
      log,
    )
    const passes = (s: StepResult) => s.lost === 0 && s.latency.p99 < SATURATION_P99_MS
    const top = ladder.filter(passes).at(-1)
    const miss = ladder.find((s) => s.targetRate > (top?.targetRate ?? 0) && !passes(s))
    const budgetUsedAtMiss =
      miss && cores !== null
        ? (miss.serverCpuMsPerEdit * miss.achievedRate) / 1000 / (cores * running.nodes.length)
        : null
    return {
      budgetUsedAtMiss,
      maxRate: top?.targetRate ?? 0,
      p99Ms: top?.latency.p99 ?? Number.NaN,
      serverCpuMsPerEdit: top?.serverCpuMsPerEdit ?? Number.NaN,
      clientCpuMsPerEdit: top?.clientCpuMsPerEdit ?? Number.NaN,
      ladder,
    }
  } finally {
    for (const line of nodeComplaints(running.nodes)) log(`    ${line}`)
    await stop()
  }
}

/**
 * What the nodes logged as warnings or errors (pino levels 40 and up), counted by message: a
 * setup that misses early for a reason of its own (refused writes, lock waits, reconnections)
 * says so beside its figures. Read from the last 20 KB each node printed.
 */
function nodeComplaints(nodes: readonly ServerHandle[]): string[] {
  const lines: string[] = []
  for (const [index, node] of nodes.entries()) {
    const counts = new Map<string, number>()
    for (const text of node.output().split('\n')) {
      if (!text.startsWith('{')) continue
      try {
        const entry = JSON.parse(text) as { level?: unknown; msg?: unknown; err?: unknown }
        if (typeof entry.level !== 'number' || entry.level < 40) continue
        const cause = (entry.err as { message?: unknown } | undefined)?.message
        const message = `${String(entry.msg ?? '(no message)')}${cause === undefined ? '' : ` (${String(cause)})`}`
        counts.set(message, (counts.get(message) ?? 0) + 1)
      } catch {
        // Not a log line of the node's (a partial line at the 20 KB cut).
      }
    }
    for (const [message, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
      lines.push(`node ${index + 1} logged ${count} x: ${message}`)
    }
  }
  return lines
}

/** KARTU_BENCH_SCALE_SETUPS: some of the setups, comma-separated (default: all three). */
function wantedSetups(): Set<ScaleSetup> {
  const text = process.env.KARTU_BENCH_SCALE_SETUPS
  if (!text) return new Set(SCALE_SETUPS)
  const names = text.split(',').map((name) => name.trim())
  const known = new Set<string>(SCALE_SETUPS)
  const unknown = names.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new Error(
      `KARTU_BENCH_SCALE_SETUPS: ${unknown.join(', ')} unknown; the setups are ${SCALE_SETUPS.join(', ')}`,
    )
  }
  return new Set(names as ScaleSetup[])
}

/** Each setup in turn (the order rotated by `run`, so that none is always first). */
export async function runScaleBench(
  card: Uint8Array,
  d: Durations,
  run: number,
  log: (line: string) => void,
): Promise<ScaleResult> {
  let cores = wantedNodeCores()
  const unavailable = cores === null ? null : cpuBudgetsAvailable()
  if (unavailable) {
    log(
      `  !!! no CPU budget per node (${unavailable}): the machine, not a node, is every setup's limit, and the ratio of two nodes to one says nothing`,
    )
    cores = null
  }
  const result: ScaleResult = { nodeCores: cores, setups: {} }
  const wanted = wantedSetups()
  const order = SCALE_SETUPS.map((_, i) => SCALE_SETUPS[(i + run) % SCALE_SETUPS.length])
  for (const setup of order) {
    if (!setup || !wanted.has(setup)) continue
    log(
      `  ${setup}: ${SCALE.cards} cards x ${SCALE.clientsPerCard}, rate ladder, ${cores === null ? 'no CPU budget' : `${cores} core per node`}`,
    )
    const figures = await climb(setup, card, cores, d, log)
    log(
      `    ${setup}: ${figures.maxRate}/s with p99 ${figures.p99Ms.toFixed(1)} ms, server ${figures.serverCpuMsPerEdit.toFixed(2)} ms/edit; at the miss the nodes used ${figures.budgetUsedAtMiss === null ? '-' : `${Math.round(figures.budgetUsedAtMiss * 100)}%`} of their budget`,
    )
    result.setups[setup] = figures
  }
  return result
}
