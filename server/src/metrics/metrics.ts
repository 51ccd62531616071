/**
 * What operators watch (GET /metrics, docs/operations.md "What operators watch"): the metrics of
 * one app, in a registry of its own rather than prom-client's global one, because the tests build
 * several apps in one process and each must count only its own.
 *
 * The room core and the relay know nothing of prom-client: they call the small observers made
 * here (RoomObserver, ForwardObserver) and a room listener counts applied updates. The live
 * figures (open connections, loaded rooms) are read only when scraped, so they cost nothing
 * between scrapes.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { RoomObserver } from '../collab/Room.ts'
import type { RoomListener } from '../collab/roomListener.ts'
import type { ForwardObserver } from '../http/forwardedConnection.ts'

/**
 * Seconds. A commit or an acknowledgement normally takes a few milliseconds (SQLite with
 * synchronous=FULL, or PostgreSQL's group commit): fine buckets there; past seconds it is an
 * outage, and the last buckets only say how long.
 */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]

/** Seconds to open the internal websocket to another node: one round trip inside the data centre. */
export const CONNECT_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]

/** The figures read at each scrape; given once the services that hold them exist. */
export type LiveCounts = {
  connections(): number
  rooms(): number
}

export type KartuMetricsOptions = {
  /** The `node` label of every metric: the cluster's node id, or 'single' for one process. */
  node: string
  /** prom-client's process metrics (CPU, memory, event loop, GC); on unless turned off. */
  processMetrics?: boolean
}

export class KartuMetrics {
  readonly registry = new Registry()
  /** For RoomOptions.observer: commit and Persisted timings, refusals. */
  readonly roomObserver: RoomObserver
  /** For RoomOptions.listeners: counts the client updates applied. */
  readonly updateCounter: RoomListener
  /** For ClusterRouting.observer: relays to other nodes and the time to open them. */
  readonly forwardObserver: ForwardObserver
  private live: LiveCounts | null = null

  constructor(options: KartuMetricsOptions) {
    this.registry.setDefaultLabels({ node: options.node })
    const registers = [this.registry]
    const live = () => this.live
    new Gauge({
      name: 'kartu_connections',
      help: 'Open websocket connections to documents held here (those relayed from other nodes too).',
      registers,
      collect() {
        this.set(live()?.connections() ?? 0)
      },
    })
    new Gauge({
      name: 'kartu_rooms',
      help: 'Documents loaded in memory on this node.',
      registers,
      collect() {
        this.set(live()?.rooms() ?? 0)
      },
    })
    const forwarded = new Gauge({
      name: 'kartu_forwarded_connections',
      help: 'Connections this node relays to the node holding their document.',
      registers,
    })
    const forwardConnect = new Histogram({
      name: 'kartu_forward_connect_seconds',
      help: 'Time to open the internal websocket to the node holding a document.',
      buckets: [...CONNECT_BUCKETS],
      registers,
    })
    // Counted per keystroke: a plain integer, handed to the counter only at a scrape, since
    // prom-client's inc() allocates on every call.
    let applied = 0
    let reported = 0
    new Counter({
      name: 'kartu_updates_total',
      help: 'Client updates applied to a document (every check passed).',
      registers,
      collect() {
        this.inc(applied - reported)
        reported = applied
      },
    })
    const commits = new Histogram({
      name: 'kartu_commit_seconds',
      help: 'Time to store one commit batch of a document (the store append, group commit included).',
      buckets: [...LATENCY_BUCKETS],
      registers,
    })
    const persisted = new Histogram({
      name: 'kartu_persisted_seconds',
      help: 'Time from the arrival of the oldest client update of a batch to its Persisted being sent.',
      buckets: [...LATENCY_BUCKETS],
      registers,
    })
    const refusals = new Counter({
      name: 'kartu_refusals_total',
      help: 'Client updates refused, by their Rejected code.',
      labelNames: ['code'] as const,
      registers,
    })
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry })

    this.roomObserver = {
      committed: (ms) => commits.observe(ms / 1000),
      persisted: (ms) => persisted.observe(ms / 1000),
      refused: (code) => refusals.inc({ code }),
    }
    this.updateCounter = {
      updateApplied: () => {
        applied++
      },
    }
    this.forwardObserver = {
      connected: (ms) => forwardConnect.observe(ms / 1000),
      relayOpened: () => forwarded.inc(),
      relayClosed: () => forwarded.dec(),
    }
  }

  /** Where the gauges read open connections and loaded rooms at each scrape. */
  countLive(live: LiveCounts): void {
    this.live = live
  }

  /** The Content-Type of `text()` (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType
  }

  /** Every metric in the Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics()
  }
}
