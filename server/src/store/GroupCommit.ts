/**
 * Group commit: items asked for in the same turn of the event loop are committed together, in
 * one transaction, so one fsync covers all of them. Each caller's promise settles only after the
 * commit of its batch (nothing is acknowledged before it is durable), with that item's result, in
 * the order the items were added. A failed commit rejects every waiter of its batch; items added
 * afterwards form the next batch as usual. Used by the document stores and the audit log.
 *
 * With `serial`, at most one commit is in flight: items added while a batch commits wait, and
 * form the next batch once it has settled (committed or failed). An asynchronous store needs
 * this for its batches to reach the database in the order they were formed (see
 * postgres/PgDocumentStore.ts); a synchronous commit (better-sqlite3) is never in flight, so the
 * option changes nothing there.
 */

/**
 * Commits a batch and returns one result per item, in order: synchronously (better-sqlite3) or
 * as a promise. Throwing or rejecting fails the whole batch.
 */
export type CommitBatch<T, R> = (items: readonly T[]) => readonly R[] | PromiseLike<readonly R[]>

export type GroupCommitOptions = {
  /** One commit in flight at a time; what is added meanwhile waits for it to settle. */
  serial?: boolean
}

type Waiter<T, R> = {
  item: T
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

function isPromiseLike<V>(value: V | PromiseLike<V>): value is PromiseLike<V> {
  return typeof (value as { then?: unknown }).then === 'function'
}

export class GroupCommit<T, R = void> {
  private pending: Waiter<T, R>[] = []
  private scheduled = false
  /** Asynchronous commits not settled yet (at most one when serial); they never reject. */
  private readonly inFlight = new Set<Promise<void>>()
  private readonly serial: boolean

  constructor(
    private readonly commit: CommitBatch<T, R>,
    options: GroupCommitOptions = {},
  ) {
    this.serial = options.serial ?? false
  }

  /** Queues `item`; resolves with its result once the batch it joined is committed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject })
      // While a serial commit is in flight, its end schedules the next flush (settled()).
      if (!this.blocked()) this.schedule()
    })
  }

  /**
   * Commits everything queued now, as one batch (the scheduled flush, and shutdown). When serial
   * and a commit is in flight, does nothing: the queued items go once that commit has settled.
   */
  flush(): void {
    this.scheduled = false
    if (this.blocked()) return
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const fail = (error: unknown): void => {
      for (const waiter of batch) waiter.reject(error)
    }
    const settle = (results: readonly R[]): void => {
      if (results.length !== batch.length) {
        fail(new Error(`group commit: ${results.length} results for ${batch.length} items`))
        return
      }
      batch.forEach((waiter, index) => {
        waiter.resolve(results[index] as R)
      })
    }
    let committed: readonly R[] | PromiseLike<readonly R[]>
    try {
      committed = this.commit(batch.map((waiter) => waiter.item))
    } catch (error) {
      fail(error)
      return
    }
    if (!isPromiseLike(committed)) {
      settle(committed)
      return
    }
    const done: Promise<void> = Promise.resolve(committed)
      .then(settle, fail)
      .then(() => {
        this.inFlight.delete(done)
        this.settled()
      })
    this.inFlight.add(done)
  }

  /**
   * Commits what is queued and waits until nothing is queued or in flight (shutdown: before the
   * connection is closed). Never rejects: a failed batch rejects its own waiters.
   */
  async drain(): Promise<void> {
    for (;;) {
      if (this.pending.length > 0) this.flush()
      if (this.pending.length === 0 && this.inFlight.size === 0) return
      // Serial: what flush() left queued goes after the commit in flight; the loop takes it then.
      await Promise.all(this.inFlight)
    }
  }

  private blocked(): boolean {
    return this.serial && this.inFlight.size > 0
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // setImmediate, not a microtask: lets every message already read from the sockets in this
    // turn join the same commit.
    setImmediate(() => this.flush())
  }

  /** A commit settled: when serial, what gathered meanwhile is the next batch. */
  private settled(): void {
    // Scheduled rather than flushed at once: callers whose promise just settled (a room's
    // persist queue) add their next items in microtasks that run before the immediate, so those
    // join this batch instead of waiting a whole commit for the next.
    if (this.serial && this.pending.length > 0) this.schedule()
  }
}
