/**
 * `pnpm bench`: Kartu against the servers people would pick instead (the y-websocket server and
 * Hocuspocus), same clients, same edits, each server in its own process on 127.0.0.1, clients in
 * another. Prints one table (medians over runs; ratios against the better peer of the same run)
 * and writes it as JSON to bench/results/bench-<time>.json and bench/results/latest.json.
 *
 *   pnpm bench                      full: 3 runs, about 17 minutes
 *   pnpm bench -- --quick           1 run, short windows (development)
 *   pnpm bench -- --runs 5          more runs
 *   pnpm bench -- --only live,sync  scenarios: live, many, saturation, sync, memory, presence,
 *                                   validation, history, briefing, scale, client (the built
 *                                   app in Chromium: build it first)
 *   pnpm bench -- --only presence   issue 17: 300 dashboards on one deck, a move each 2 s per person
 *                                   (about 40 s per server; 5 s warm-up, 20 s measured)
 *   pnpm bench -- --only scale      issue 17: scenario 2's shape climbing a rate ladder on one
 *                                   SQLite node, one PostgreSQL node and two PostgreSQL nodes
 *                                   with Redis (needs both, see bench/scale.ts)
 *   pnpm bench -- --servers kartu,hocuspocus
 *
 * KARTU_BENCH_TRACE overrides the editing trace (default: the shared fixtures beside the repo).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type BriefingResult, runBriefingBench } from './briefing.ts'
import { SLOW_3G_4X_CPU } from './browser/throttling.ts'
import { CLIENT_TARGETS, type ClientFigures, clientRun } from './client.ts'
import type { StepResult } from './clients/crowd.ts'
import type { PresenceResult } from './clients/presence.ts'
import { type HistoryResult, runHistoryBench } from './history.ts'
import { cardState, shownPath, traceCardState, tracePath } from './lib/fixtures.ts'
import { medianOf } from './lib/stats.ts'
import {
  runScaleBench,
  SCALE,
  SCALE_LADDER,
  SCALE_SETUPS,
  type ScaleResult,
  type ScaleSetup,
} from './scale.ts'
import {
  coldLoad,
  type Durations,
  FULL,
  LADDER,
  LIVE,
  live,
  MEMORY,
  type MemoryFigures,
  many,
  memory,
  PRESENCE,
  presence,
  QUICK,
  type Saturation,
  type SyncFigures,
  saturation,
  slotNames,
  warmUp,
} from './scenarios.ts'
import {
  KARTU_BENCH_ENV,
  SERVER_KINDS,
  type ServerKind,
  seedKartu,
  startServer,
  writePeerStates,
} from './servers.ts'
import { runValidationBench, type ValidationResult } from './validation.ts'

const SCENARIOS = [
  'live',
  'many',
  'saturation',
  'sync',
  'memory',
  'presence',
  'validation',
  'history',
  'client',
  'briefing',
  'scale',
] as const
/**
 * Scenarios that start no benchmarked server of their own kind (client starts its own Kartu, and
 * scale its three Kartu setups).
 */
const WITHOUT_SERVERS: readonly Scenario[] = [
  'validation',
  'history',
  'client',
  'briefing',
  'scale',
]
type Scenario = (typeof SCENARIOS)[number]

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results')

type KindRun = {
  live?: StepResult
  many?: Record<string, StepResult>
  saturation?: Saturation
  sync?: SyncFigures
  memory?: MemoryFigures
  presence?: PresenceResult
}
type Run = {
  order: ServerKind[]
  servers: Partial<Record<ServerKind, KindRun>>
  validation?: ValidationResult[]
  history?: HistoryResult
  client?: ClientFigures
  briefing?: BriefingResult
  scale?: ScaleResult
}

const log = (line: string) => process.stderr.write(`${line}\n`)

/** First visits per run in the client scenario (each in a fresh browser profile). */
const CLIENT_SAMPLES_PER_RUN = 3

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      servers: { type: 'string' },
    },
  })
  const pick = <T extends string>(text: string | undefined, all: readonly T[]): T[] => {
    if (!text) return [...all]
    const wanted = text.split(',').map((s) => s.trim())
    for (const w of wanted) {
      if (!all.includes(w as T)) throw new Error(`unknown "${w}"; one of ${all.join(', ')}`)
    }
    return all.filter((a) => wanted.includes(a))
  }
  const quick = values.quick === true
  return {
    quick,
    runs: values.runs ? Number(values.runs) : quick ? 1 : 3,
    scenarios: pick<Scenario>(values.only, SCENARIOS),
    servers: pick<ServerKind>(values.servers, SERVER_KINDS),
    durations: quick ? QUICK : FULL,
  }
}

async function main() {
  const opts = options()
  const d: Durations = opts.durations
  const wants = (s: Scenario) => opts.scenarios.includes(s)
  const needsServers = opts.scenarios.some((s) => !WITHOUT_SERVERS.includes(s))
  log(
    `Kartu benchmark: ${opts.runs} run(s), scenarios ${opts.scenarios.join(', ')}, servers ${opts.servers.join(', ')}`,
  )

  const card = cardState()
  let trace: ReturnType<typeof traceCardState> | null = null
  if (wants('sync')) {
    log(`building the trace card from ${shownPath(tracePath())} ...`)
    trace = traceCardState()
    log(
      `  ${trace.keystrokes} keystrokes, ${trace.characters} characters, ${trace.state.length} bytes encoded`,
    )
  }
  const slots = slotNames(d)
  const kartuSeed =
    needsServers && opts.servers.includes('kartu')
      ? await seedKartu(
          slots,
          card,
          trace?.state ?? null,
          // Presence: every open dashboard is a different person.
          wants('presence') ? Math.max(LIVE.clients, PRESENCE.people) : LIVE.clients,
        )
      : null
  const peerStateDir = writePeerStates(card, trace?.state ?? null)

  const runs: Run[] = []
  for (let r = 0; r < opts.runs; r++) {
    // Rotate the order so that no server always runs first (or last) on a noisy machine.
    const order = opts.servers.map(
      (_, i) => opts.servers[(i + r) % opts.servers.length] as ServerKind,
    )
    const run: Run = { order, servers: {} }
    runs.push(run)
    if (needsServers) {
      for (const kind of order) {
        log(`run ${r + 1}/${opts.runs}: ${kind}`)
        const start = () =>
          startServer(kind, {
            kartu: kartuSeed ?? {
              dir: '',
              databaseUrl: null,
              deckId: '',
              cardIds: new Map(),
              tokens: [],
            },
            peerStateDir,
          })
        let server = await start()
        const result: KindRun = {}
        run.servers[kind] = result
        try {
          if (wants('live') || wants('many') || wants('saturation')) {
            log(`  warm-up: ${d.serverWarmupSeconds} s of typing on another card (not measured)`)
            await warmUp(server, d.serverWarmupSeconds, log)
          }
          if (wants('live')) {
            log('  live: 1 card x 50 clients, 10 typing, 200 edits/s')
            result.live = await live(server, d, log)
          }
          if (wants('many')) {
            log('  many cards: 100 x 5 and 10 x 20, 200 edits/s')
            result.many = await many(server, d, log)
          }
          if (wants('saturation')) {
            log('  saturation: 1 card x 50 clients, 10 typing, rate ladder')
            result.saturation = await saturation(server, d, log)
            // Past its capacity (the last step) a server may still be working through a backlog
            // for a while: the next scenarios start from a fresh process, as they would anyway.
            if (wants('sync') || wants('memory') || wants('presence')) {
              await server.stop()
              server = await start()
            }
          }
          if (wants('sync') && trace) {
            log('  cold load: the trace card')
            result.sync = await coldLoad(server, d)
            log(
              `    warm ${result.sync.warmMs.toFixed(1)} ms, cold ${result.sync.coldMs.toFixed(1)} ms`,
            )
          }
          if (wants('memory')) {
            log('  memory')
            result.memory = await memory(server, 4000)
          }
          if (wants('presence')) {
            log(
              `  presence: 1 deck x ${PRESENCE.people} dashboards, a move each ${PRESENCE.moveEverySeconds} s (${d.presenceWarmupSeconds} s warm-up, ${d.presenceSeconds} s measured)`,
            )
            result.presence = await presence(server, d, log)
          }
        } catch (error) {
          log(
            `  FAILED: ${(error as Error).message}\n--- server output ---\n${server.output().slice(-3000)}`,
          )
          throw error
        } finally {
          await server.stop()
        }
      }
    }
    if (wants('validation')) {
      log(`run ${r + 1}/${opts.runs}: role validation`)
      run.validation = runValidationBench()
    }
    if (wants('history')) {
      log(`run ${r + 1}/${opts.runs}: history`)
      run.history = await runHistoryBench()
    }
    if (wants('briefing')) {
      log(`run ${r + 1}/${opts.runs}: briefing book (60 cards)`)
      run.briefing = await runBriefingBench()
      log(`  ${JSON.stringify(run.briefing)}`)
    }
    if (wants('scale')) {
      log(
        `run ${r + 1}/${opts.runs}: scale-out (scenario 2's shape on 1 SQLite, 1 and 2 PostgreSQL nodes)`,
      )
      run.scale = await runScaleBench(card, d, r, log)
    }
    if (wants('client')) {
      const samples = opts.quick ? 1 : CLIENT_SAMPLES_PER_RUN
      log(
        `run ${r + 1}/${opts.runs}: client in Chromium (${samples} first visit(s), Slow 3G, 4x CPU slowdown)`,
      )
      run.client = await clientRun(samples, log)
    }
  }
  if (kartuSeed) fs.rmSync(kartuSeed.dir, { recursive: true, force: true })
  fs.rmSync(peerStateDir, { recursive: true, force: true })

  const table = buildTable(runs, opts.servers, trace?.state.length ?? 0)
  const text = renderTable(table)
  process.stdout.write(`\n${text}\n`)
  fs.mkdirSync(resultsDir, { recursive: true })
  const at = new Date().toISOString()
  const json = JSON.stringify(
    {
      at,
      node: process.version,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() },
      options: { ...opts, durations: d },
      trace: trace
        ? { file: shownPath(tracePath()), keystrokes: trace.keystrokes, bytes: trace.state.length }
        : null,
      kartuLimitsRaised: KARTU_BENCH_ENV,
      setup: {
        live: LIVE,
        ladder: LADDER,
        memory: MEMORY,
        presence: PRESENCE,
        scale: { ...SCALE, ladder: SCALE_LADDER, setups: SCALE_SETUPS },
        client: { profile: SLOW_3G_4X_CPU, samplesPerRun: CLIENT_SAMPLES_PER_RUN, CLIENT_TARGETS },
      },
      table,
      runs,
    },
    null,
    2,
  )
  const file = path.join(resultsDir, `bench-${at.replace(/[:.]/g, '-')}.json`)
  fs.writeFileSync(file, json)
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), json)
  process.stdout.write(`written ${shownPath(file)} and bench/results/latest.json\n`)
}

// ---- the table ----

type Better = 'lower' | 'higher'
type Target =
  /** Kartu / the peer of that name (or the better one) at most / at least this. */
  | { kind: 'ratio'; vs: 'better' | ServerKind; max?: number; min?: number }
  /** Kartu's own value below / at most this. */
  | { kind: 'value'; below?: number; atMost?: number; atLeast?: number; unit?: string }

type RowSpec = {
  scenario: string
  figure: string
  better: Better
  digits: number
  pick: (k: KindRun, run: Run) => number | undefined
  /** A figure of the run itself (validation, client), Kartu's alone: `pick` gets no server. */
  ofRun?: boolean
  kartuOnly?: boolean
  peerText?: string
  targets?: Target[]
}

export type TableRow = {
  scenario: string
  figure: string
  values: Partial<Record<ServerKind, number | string>>
  /** Median over runs of Kartu / the better peer of the same run. */
  ratio: number | null
  ratioVs: Partial<Record<ServerKind, number>>
  target: string
  met: boolean | null
}

const s1 = (k: KindRun) => k.live
const rows = (docBytes: number): RowSpec[] => [
  ...(['p50', 'p95', 'p99'] as const).map(
    (p): RowSpec => ({
      scenario: '1 live card (50 clients, 10 typing, 200/s)',
      figure: `keystroke -> all others ${p} (ms)`,
      better: 'lower',
      digits: 1,
      pick: (k) => s1(k)?.latency[p],
      targets: p === 'p99' ? [{ kind: 'ratio', vs: 'better', max: 1 }] : undefined,
    }),
  ),
  {
    scenario: '1 live card',
    figure: 'server CPU per edit (ms)',
    better: 'lower',
    digits: 2,
    pick: (k) => s1(k)?.serverCpuMsPerEdit,
    targets: [
      { kind: 'ratio', vs: 'y-websocket', max: 0.9 },
      { kind: 'ratio', vs: 'hocuspocus', max: 0.6 },
    ],
  },
  {
    scenario: '1 live card',
    figure: 'server RSS at end (MB)',
    better: 'lower',
    digits: 0,
    pick: (k) => (s1(k) ? (s1(k) as StepResult).serverRssBytes / 2 ** 20 : undefined),
  },
  {
    scenario: '1 live card',
    figure: 'client process CPU per edit (ms)',
    better: 'lower',
    digits: 2,
    pick: (k) => s1(k)?.clientCpuMsPerEdit,
  },
  {
    scenario: '1 live card',
    figure: 'edits lost / refused',
    better: 'lower',
    digits: 0,
    pick: (k) => (s1(k) ? (s1(k) as StepResult).lost + (s1(k) as StepResult).rejected : undefined),
    targets: [{ kind: 'value', atMost: 0 }],
  },
  ...(['p50', 'p99'] as const).map(
    (p): RowSpec => ({
      scenario: '5 persisted (scenario 1)',
      figure: `update -> Persisted ${p} (ms)`,
      better: 'lower',
      digits: 1,
      pick: (k) => s1(k)?.persisted?.[p],
      kartuOnly: true,
      peerText: 'none (memory)',
      targets: p === 'p99' ? [{ kind: 'value', below: 50 }] : undefined,
    }),
  ),
  ...(['100x5', '10x20'] as const).flatMap((shape): RowSpec[] => [
    {
      scenario: `2 many cards ${shape.replace('x', ' x ')} (200/s)`,
      figure: 'keystroke -> all others p50 (ms)',
      better: 'lower',
      digits: 1,
      pick: (k) => k.many?.[shape]?.latency.p50,
    },
    {
      scenario: `2 many cards ${shape.replace('x', ' x ')}`,
      figure: 'keystroke -> all others p99 (ms)',
      better: 'lower',
      digits: 1,
      pick: (k) => k.many?.[shape]?.latency.p99,
      targets: [{ kind: 'ratio', vs: 'better', max: 1 }],
    },
    {
      scenario: `2 many cards ${shape.replace('x', ' x ')}`,
      figure: 'server CPU per edit (ms)',
      better: 'lower',
      digits: 2,
      pick: (k) => k.many?.[shape]?.serverCpuMsPerEdit,
    },
  ]),
  {
    scenario: '3 saturation (1 card x 50)',
    figure: 'highest rate with p99 < 100 ms (edits/s)',
    better: 'higher',
    digits: 0,
    pick: (k) => k.saturation?.maxRate,
    targets: [{ kind: 'ratio', vs: 'better', min: 1.5 }],
  },
  {
    scenario: '3 saturation',
    figure: 'at 1.5 x that rate: p99 (ms)',
    better: 'lower',
    digits: 0,
    pick: (k) => k.saturation?.over?.latency.p99,
  },
  {
    scenario: '3 saturation',
    figure: 'at 1.5 x that rate: edits lost',
    better: 'lower',
    digits: 0,
    pick: (k) => k.saturation?.over?.lost,
    targets: [{ kind: 'value', atMost: 0 }],
  },
  {
    scenario: '4 trace card sync',
    figure: 'warm: new client synced (ms)',
    better: 'lower',
    digits: 1,
    pick: (k) => k.sync?.warmMs,
    targets: [{ kind: 'value', below: 50 }],
  },
  {
    scenario: '4 trace card sync',
    figure: 'cold, from storage (ms)',
    better: 'lower',
    digits: 1,
    pick: (k) => k.sync?.coldMs,
    targets: [{ kind: 'value', below: 80 }],
  },
  {
    scenario: '4 trace card sync',
    figure: `bytes sent / encoded size (${docBytes} B)`,
    better: 'lower',
    digits: 3,
    pick: (k) =>
      k.sync && docBytes > 0 ? Math.max(k.sync.warmBytes, k.sync.coldBytes) / docBytes : undefined,
    targets: [{ kind: 'value', atMost: 1.02 }],
  },
  {
    scenario: '6 memory',
    figure: 'per connection (KB, heap+external)',
    better: 'lower',
    digits: 1,
    pick: (k) => (k.memory ? k.memory.perConnectionBytes / 1024 : undefined),
  },
  {
    scenario: '6 memory',
    figure: 'per idle loaded card (KB)',
    better: 'lower',
    digits: 1,
    pick: (k) => (k.memory ? k.memory.perCardBytes / 1024 : undefined),
  },
  {
    scenario: '6 memory',
    figure: 'cards memory kept after all left (%)',
    better: 'lower',
    digits: 0,
    pick: (k) => (k.memory ? Math.max(0, k.memory.retainedAfterLeaving * 100) : undefined),
    targets: [{ kind: 'value', below: 20 }],
  },
  ...(['editor', 'suggester'] as const).flatMap((role) =>
    (['medianMs', 'p99Ms', 'repairMedianMs', 'repairP99Ms'] as const).map(
      (p): RowSpec => ({
        scenario: '7 role validation',
        figure: `${role} keystroke ${p.startsWith('repair') ? 'repair' : 'check'} ${p.endsWith('edianMs') ? 'median' : 'p99'} (ms)`,
        better: 'lower',
        digits: 3,
        pick: (_k, run) => run.validation?.find((x) => x.role === role)?.[p],
        ofRun: true,
        kartuOnly: true,
        peerText: 'none',
      }),
    ),
  ),
  ...(['listMedianMs', 'listP99Ms'] as const).map(
    (p): RowSpec => ({
      scenario: '9 history',
      figure: `list 1,000 versions ${p === 'listMedianMs' ? 'median' : 'p99'} (ms)`,
      better: 'lower',
      digits: 1,
      pick: (_k, run) => run.history?.[p],
      ofRun: true,
      kartuOnly: true,
      peerText: 'none',
      targets: [{ kind: 'value', below: 100 }],
    }),
  ),
  ...(['compareHalfMedianMs', 'compareWholeMedianMs'] as const).map(
    (p): RowSpec => ({
      scenario: '9 history',
      figure: `compare two versions of the trace card, ${p === 'compareHalfMedianMs' ? 'halfway to end' : 'start to end'} (ms)`,
      better: 'lower',
      digits: 1,
      pick: (_k, run) => run.history?.[p] ?? undefined,
      ofRun: true,
      kartuOnly: true,
      peerText: 'none',
      targets: [{ kind: 'value', below: 300 }],
    }),
  ),
  ...(
    [
      ['docxReviewMs', 'Word, review mode (ms)', 3000],
      ['docxCleanMs', 'Word, clean mode (ms)', 3000],
      ['pdfMs', 'PDF cue cards (ms)', 5000],
    ] as const
  ).map(
    ([p, figure, below]): RowSpec => ({
      scenario: '10 briefing book (60 cards)',
      figure,
      better: 'lower',
      digits: 0,
      pick: (_k, run) => run.briefing?.[p],
      ofRun: true,
      kartuOnly: true,
      peerText: 'none',
      targets: [{ kind: 'value', below }],
    }),
  ),
  {
    scenario: '10 briefing book (60 cards)',
    figure: 'LibreOffice Writer: the review file to PDF (ms), for scale',
    better: 'lower',
    digits: 0,
    pick: (_k, run) => run.briefing?.libreOfficePdfMs ?? undefined,
    ofRun: true,
    kartuOnly: true,
    peerText: 'none',
  },
  ...presenceRows(),
  ...scaleRows(),
  ...clientRows(),
]

const SCALE_SCENARIO = `12 scale-out (${SCALE.cards} cards x ${SCALE.clientsPerCard}, rate ladder)`

/** Scenario 12 (issue 17): one SQLite node, one PostgreSQL node, two PostgreSQL nodes. */
function scaleRows(): RowSpec[] {
  const row = (
    figure: string,
    pick: (s: ScaleResult) => number | undefined,
    digits: number,
    better: Better,
    targets?: Target[],
  ): RowSpec => ({
    scenario: SCALE_SCENARIO,
    figure,
    better,
    digits,
    pick: (_k, run) => (run.scale ? pick(run.scale) : undefined),
    ofRun: true,
    kartuOnly: true,
    peerText: 'none',
    targets,
  })
  const of = (setup: ScaleSetup): RowSpec[] => [
    row(
      `${setup}: highest rate with p99 < 100 ms (edits/s)`,
      (s) => s.setups[setup]?.maxRate,
      0,
      'higher',
    ),
    row(`${setup}: p99 at that rate (ms)`, (s) => s.setups[setup]?.p99Ms, 1, 'lower'),
    row(
      `${setup}: nodes' CPU per edit (ms)`,
      (s) => s.setups[setup]?.serverCpuMsPerEdit,
      2,
      'lower',
    ),
    row(
      `${setup}: nodes' CPU at the first miss (% of their budget)`,
      (s) => {
        const used = s.setups[setup]?.budgetUsedAtMiss
        return used === null || used === undefined ? undefined : used * 100
      },
      0,
      'lower',
    ),
    row(
      `${setup}: client process CPU per edit (ms)`,
      (s) => s.setups[setup]?.clientCpuMsPerEdit,
      2,
      'lower',
    ),
  ]
  return [
    row(
      'CPU budget per node (cores; 0: none, the machine is the limit)',
      (s) => s.nodeCores ?? 0,
      2,
      'higher',
    ),
    ...SCALE_SETUPS.flatMap(of),
    row(
      'postgres x2 / postgres x1, highest rate',
      (s) => {
        const one = s.setups['postgres x1']?.maxRate
        const two = s.setups['postgres x2']?.maxRate
        return one && two !== undefined ? two / one : undefined
      },
      2,
      'higher',
      [{ kind: 'value', atLeast: 1.7, unit: ' x' }],
    ),
  ]
}

const PRESENCE_SCENARIO = `11 presence (1 deck, ${PRESENCE.people} dashboards, a move each ${PRESENCE.moveEverySeconds} s)`

/** Scenario 11 (issue 17): what presence at scale costs the server, and how soon it is shown. */
function presenceRows(): RowSpec[] {
  const row = (
    figure: string,
    pick: (p: PresenceResult) => number,
    digits: number,
    targets?: Target[],
  ): RowSpec => ({
    scenario: PRESENCE_SCENARIO,
    figure,
    better: 'lower',
    digits,
    pick: (k) => (k.presence ? pick(k.presence) : undefined),
    targets,
  })
  return [
    row('server CPU (% of one core)', (p) => p.serverCoreShare * 100, 1, [
      { kind: 'value', below: 15, unit: '% of a core' },
    ]),
    row('move -> shown to others p50 (ms)', (p) => p.shown.p50, 1),
    row('move -> shown to others p99 (ms)', (p) => p.shown.p99, 1, [
      { kind: 'value', atMost: 250, unit: ' ms' },
    ]),
    row('one dashboard receives (messages/s)', (p) => p.observerMessagesPerSecond, 0),
    row('one dashboard receives (kB/s)', (p) => p.observerBytesPerSecond / 1024, 1),
    row('moves never shown', (p) => p.notShown, 0, [{ kind: 'value', atMost: 0 }]),
  ]
}

const CLIENT_SCENARIO = '8 client (Chromium, Slow 3G, 4x CPU)'

/** Scenario 8: the app in the browser; Kartu's alone (the peers serve no app). */
function clientRows(): RowSpec[] {
  const row = (
    figure: string,
    pick: (c: ClientFigures) => number,
    digits: number,
    targets?: Target[],
  ): RowSpec => ({
    scenario: CLIENT_SCENARIO,
    figure,
    better: 'lower',
    digits,
    pick: (_k, run) => (run.client ? pick(run.client) : undefined),
    ofRun: true,
    kartuOnly: true,
    peerText: 'none',
    targets,
  })
  return [
    row('sign-in page usable, from navigation (ms)', (c) => c.signInUsableMs, 0),
    row('dashboard listed, from sign-in click (ms)', (c) => c.dashboardListedMs, 0),
    row('card editable and synced, from click (ms)', (c) => c.cardEditableMs, 0, [
      { kind: 'value', below: CLIENT_TARGETS.cardEditableMs },
    ]),
    row(
      'JS transferred before dashboard listed, page (kB)',
      (c) => c.pageScriptKbBeforeDashboard,
      1,
      [{ kind: 'value', below: CLIENT_TARGETS.scriptKbBeforeDashboard }],
    ),
    row(
      'JS transferred before dashboard listed, service worker (kB)',
      (c) => c.workerScriptKbBeforeDashboard,
      1,
    ),
    row(
      'return visit after a change: editable, highlights off (ms)',
      (c) => c.returnPlainEditableMs,
      0,
    ),
    row(
      'return visit after a change: highlighted, highlights on (ms)',
      (c) => c.returnHighlightsShownMs,
      0,
    ),
    row(
      'return visit: what the highlights add (ms)',
      (c) => c.returnHighlightsShownMs - c.returnPlainEditableMs,
      0,
      [{ kind: 'value', below: CLIENT_TARGETS.highlightsCostMs }],
    ),
    row('JS transferred before card editable, page (kB)', (c) => c.pageScriptKbBeforeEditable, 1),
    row(
      'JS transferred before card editable, service worker (kB)',
      (c) => c.workerScriptKbBeforeEditable,
      1,
    ),
  ]
}

function buildTable(runs: Run[], kinds: ServerKind[], docBytes: number): TableRow[] {
  const peers = kinds.filter((k) => k !== 'kartu')
  const out: TableRow[] = []
  for (const spec of rows(docBytes)) {
    const figureOf = (run: Run, kind: ServerKind) => {
      const k = run.servers[kind]
      if (kind !== 'kartu' && spec.kartuOnly) return undefined
      if (spec.ofRun) return kind === 'kartu' ? spec.pick({}, run) : undefined
      return k ? spec.pick(k, run) : undefined
    }
    const values: TableRow['values'] = {}
    let any = false
    for (const kind of kinds) {
      const m = medianOf(runs, (run) => figureOf(run, kind))
      if (Number.isFinite(m)) any = true
      values[kind] = Number.isFinite(m)
        ? Number(m.toFixed(spec.digits))
        : kind !== 'kartu' && spec.peerText
          ? spec.peerText
          : '-'
    }
    if (!any) continue
    const ratioAgainst = (vs: 'better' | ServerKind) =>
      medianOf(runs, (run) => {
        const kartu = figureOf(run, 'kartu')
        const candidates =
          vs === 'better'
            ? peers.map((p) => figureOf(run, p)).filter((v): v is number => v !== undefined)
            : [figureOf(run, vs)].filter((v): v is number => v !== undefined)
        if (kartu === undefined || candidates.length === 0) return undefined
        const peer = spec.better === 'lower' ? Math.min(...candidates) : Math.max(...candidates)
        return peer === 0 ? undefined : kartu / peer
      })
    const ratio = spec.kartuOnly || peers.length === 0 ? Number.NaN : ratioAgainst('better')
    const ratioVs: TableRow['ratioVs'] = {}
    for (const p of peers) {
      const v = ratioAgainst(p)
      if (Number.isFinite(v)) ratioVs[p] = Number(v.toFixed(3))
    }
    let met: boolean | null = null
    const texts: string[] = []
    for (const t of spec.targets ?? []) {
      let ok: boolean | null
      if (t.kind === 'ratio') {
        const r = t.vs === 'better' ? ratio : ratioAgainst(t.vs)
        const name = t.vs === 'better' ? 'better peer' : t.vs
        texts.push(t.max !== undefined ? `<= ${t.max} x ${name}` : `>= ${t.min} x ${name}`)
        ok = Number.isFinite(r) ? (t.max !== undefined ? r <= t.max : r >= (t.min as number)) : null
      } else {
        const k = values.kartu
        texts.push(
          `${t.below !== undefined ? `< ${t.below}` : t.atLeast !== undefined ? `>= ${t.atLeast}` : `<= ${t.atMost}`}${t.unit ?? ''}`,
        )
        ok =
          typeof k === 'number'
            ? t.below !== undefined
              ? k < t.below
              : t.atLeast !== undefined
                ? k >= t.atLeast
                : k <= (t.atMost as number)
            : null
      }
      met = ok === null ? met : (met ?? true) && ok
    }
    out.push({
      scenario: spec.scenario,
      figure: spec.figure,
      values,
      ratio: Number.isFinite(ratio) ? Number(ratio.toFixed(2)) : null,
      ratioVs,
      target: texts.join(', '),
      met,
    })
  }
  return out
}

function renderTable(table: TableRow[]): string {
  const lines = [
    '| scenario | figure | Kartu | y-websocket | Hocuspocus | Kartu / better peer | target | met |',
    '|---|---|---:|---:|---:|---:|---|---|',
  ]
  const show = (v: number | string | undefined) =>
    v === undefined ? '-' : typeof v === 'number' ? v.toLocaleString('en-US') : v
  for (const row of table) {
    lines.push(
      `| ${row.scenario} | ${row.figure} | ${show(row.values.kartu)} | ${show(row.values['y-websocket'])} | ${show(row.values.hocuspocus)} | ${row.ratio === null ? '' : `${row.ratio.toFixed(2)}x`} | ${row.target} | ${row.met === null ? '' : row.met ? 'met' : '**missed**'} |`,
    )
  }
  return lines.join('\n')
}

main().catch((error: unknown) => {
  log(String((error as Error)?.stack ?? error))
  process.exit(1)
})
