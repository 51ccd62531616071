/**
 * A room's persist queue: what waits to be stored, one commit at a time, in arrival order.
 *
 * The only batching is the store's group commit (store/GroupCommit.ts), which gathers the
 * appends of every room over one turn of the event loop into one transaction. Here nothing waits
 * on a timer: an entry pushed while no commit runs is handed to the store when the room says so
 * (`flush`, at the end of the message that pushed it, so that the server's own changes that
 * follow from a client's update go in the same commit); entries pushed while a commit runs go in
 * the next one. Under load each commit carries what arrived during the one before.
 *
 * On a storage error nothing is acknowledged: the batch goes back to the head of the queue and is
 * retried with backoff, for as long as it takes (the room is kept while anything waits).
 */
import * as Y from 'yjs'
import type { DocumentStore } from '../store/types.ts'
import type { Logger } from './types.ts'

/** One thing to store, or to do once everything before it is stored. */
export type PersistEntry<Ack> = {
  /** An update to append; null for an entry that only waits for what is before it. */
  update: Uint8Array | null
  /** Acknowledged once committed (the room sends Persisted). */
  ack: Ack | null
  /** Updates to relay once this entry is committed, and who must not get them back. */
  relay: Array<{ update: Uint8Array; origin: unknown }>
  /** Runs once everything queued before it is committed (a sync reply waiting for storage). */
  afterCommit?: () => void
}

/**
 * What operators measure of the queue (metrics/), told once per commit. A callback rather than a
 * metrics library here: the room core stays free of it, and costs nothing more when unmeasured.
 */
export type PersistTimings = {
  /** A commit stored `updates` updates in `ms` milliseconds (the store's append, waits included). */
  committed(ms: number, updates: number): void
  /** Persisted went out for a batch, `ms` after the oldest acknowledged update in it arrived. */
  persisted(ms: number): void
}

export type PersistQueueOptions = {
  store: DocumentStore
  logger: Logger
  /** Compact the log into a snapshot after this many appended updates. */
  compactAfterUpdates: number
  /** Past this many stored bytes, the document is logged once as large. */
  docWarnBytes?: number
  timings?: PersistTimings
}

/** What a stored document held when it was loaded. */
export type StoredCounts = { lastSeq: number; bytes: number; updates: number }

const RETRY_BASE_MS = 100
const RETRY_MAX_MS = 5000

export class PersistQueue<Ack> {
  private queue: Array<PersistEntry<Ack>> = []
  private flushing = false
  private retryDelay = 0
  private retryTimer: NodeJS.Timeout | null = null
  private lastStoredSeq: number
  /** Stored bytes of this document: snapshot plus log, an upper bound of its encoded size. */
  private bytes: number
  private warnedSize = false
  private updatesSinceCompaction: number
  private compaction: Promise<void> | null = null
  private drainWaiters: Array<() => void> = []
  private closed = false
  /**
   * When the oldest update queued with an acknowledgement arrived (performance.now()), -1 for
   * none: one clock reading per batch, not one per update, keeps a keystroke's cost as it was.
   */
  private oldestAckAt = -1

  /**
   * `committed` runs after each commit with the entries it stored, in order, and the state
   * vector of the document as stored.
   */
  constructor(
    private readonly name: string,
    private readonly doc: Y.Doc,
    stored: StoredCounts,
    private readonly options: PersistQueueOptions,
    private readonly committed: (
      entries: ReadonlyArray<PersistEntry<Ack>>,
      stateVector: Uint8Array,
      wroteUpdates: boolean,
    ) => void,
  ) {
    this.lastStoredSeq = stored.lastSeq
    this.bytes = stored.bytes
    this.updatesSinceCompaction = stored.updates
  }

  /** Bytes stored for this document (snapshot plus log). */
  get storedBytes(): number {
    return this.bytes
  }

  /** True when nothing waits to be stored. */
  get isDrained(): boolean {
    return this.queue.length === 0 && !this.flushing && !this.retryTimer
  }

  /**
   * Whether the next acknowledged update's arrival time is wanted (it would be the oldest of the
   * next batch): the room reads the clock only then.
   */
  get wantsArrivalTime(): boolean {
    return this.oldestAckAt < 0 && this.options.timings !== undefined
  }

  /**
   * Queues an entry; it is stored at the next `flush` (or after the commit running now).
   * `arrivedAt`: when its update arrived (performance.now()), given when `wantsArrivalTime`.
   */
  push(entry: PersistEntry<Ack>, arrivedAt = -1): void {
    this.queue.push(entry)
    if (arrivedAt >= 0 && this.oldestAckAt < 0) this.oldestAckAt = arrivedAt
  }

  /** Resolves once everything queued so far is stored (waits through retries). */
  drain(): Promise<void> {
    if (this.isDrained) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  /**
   * Hands what is queued to the store, unless a commit runs (what is queued then goes next) or a
   * retry waits. One commit at a time, so acknowledgements go out in the order messages came.
   */
  flush(): void {
    if (this.flushing || this.retryTimer || this.closed) return
    if (this.queue.length === 0) {
      this.notifyDrained()
      return
    }
    void this.commit()
  }

  private async commit(): Promise<void> {
    this.flushing = true
    const batch = this.queue
    this.queue = []
    // Every update applied so far is either stored already or in this batch, so once the batch
    // is committed the document as of now is stored: its state vector is the persisted one.
    const stateVector = Y.encodeStateVector(this.doc)
    const updates = batch.flatMap((entry) => (entry.update ? [entry.update] : []))
    const arrivedAt = this.oldestAckAt
    this.oldestAckAt = -1
    const timings = this.options.timings
    let commitMs = -1
    try {
      if (updates.length > 0) {
        const startedAt = timings ? performance.now() : 0
        this.lastStoredSeq = await this.options.store.appendUpdates(this.name, updates)
        if (timings) commitMs = performance.now() - startedAt
        this.updatesSinceCompaction += updates.length
        this.bytes += updates.reduce((sum, u) => sum + u.length, 0)
        const warnAt = this.options.docWarnBytes
        if (warnAt !== undefined && this.bytes > warnAt && !this.warnedSize) {
          this.warnedSize = true
          this.options.logger.warn({ room: this.name, bytes: this.bytes }, 'large document')
        }
      }
    } catch (error) {
      this.queue = batch.concat(this.queue)
      // The batch is at the head again: its oldest update is older than anything queued since.
      if (arrivedAt >= 0) this.oldestAckAt = arrivedAt
      this.flushing = false
      this.retryDelay = Math.min(Math.max(this.retryDelay * 2, RETRY_BASE_MS), RETRY_MAX_MS)
      this.options.logger.error(
        { room: this.name, err: error, retryInMs: this.retryDelay },
        'storing updates failed; nothing acknowledged, will retry',
      )
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.flush()
      }, this.retryDelay)
      return
    }
    this.retryDelay = 0
    this.flushing = false
    try {
      this.committed(batch, stateVector, updates.length > 0)
      // After `committed`, which sent the acknowledgements: Persisted's latency includes that.
      if (timings) {
        if (commitMs >= 0) timings.committed(commitMs, updates.length)
        if (arrivedAt >= 0) timings.persisted(performance.now() - arrivedAt)
      }
    } catch (error) {
      // Stored all the same; what waits behind this batch must not wait forever.
      this.options.logger.error({ room: this.name, err: error }, 'after a commit: a step failed')
    }
    if (updates.length > 0 && this.updatesSinceCompaction >= this.options.compactAfterUpdates) {
      // In the background: the next commit does not wait for it.
      setImmediate(() => void this.compact())
    }
    this.flush()
  }

  /** Writes the document as one snapshot and drops the log entries it covers. */
  async compact(): Promise<void> {
    if (this.compaction) return this.compaction
    if (this.updatesSinceCompaction === 0 || this.closed) return
    const run = async () => {
      // Taken together, synchronously: the snapshot holds every update stored up to this seq.
      const throughSeq = this.lastStoredSeq
      const counted = this.updatesSinceCompaction
      const bytesAtSnapshot = this.bytes
      const snapshot = Y.encodeStateAsUpdate(this.doc)
      try {
        await this.options.store.compact(this.name, snapshot, throughSeq)
        this.updatesSinceCompaction -= counted
        // What was appended while the snapshot was written stays in the log, and counts.
        this.bytes = snapshot.length + (this.bytes - bytesAtSnapshot)
      } catch (error) {
        this.options.logger.error({ room: this.name, err: error }, 'compaction failed')
      }
    }
    this.compaction = run().finally(() => {
      this.compaction = null
    })
    return this.compaction
  }

  /** Stops retrying (the room is destroyed); what was not stored is given up. */
  close(): void {
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private notifyDrained(): void {
    if (!this.isDrained) return
    const waiters = this.drainWaiters
    this.drainWaiters = []
    for (const resolve of waiters) resolve()
  }
}
