/**
 * Group commit: items asked for in the same turn of the event loop are committed together, in
 * one transaction, so one fsync covers all of them. Each caller's promise settles only after the
 * commit of its batch (nothing is acknowledged before it is durable), with that item's result, in
 * the order the items were added. A failed commit rejects every waiter of its batch; items added
 * afterwards form the next batch as usual. Used by the document store and the audit log.
 */

/**
 * Commits a batch and returns one result per item, in order: synchronously (better-sqlite3) or
 * as a promise. Throwing or rejecting fails the whole batch.
 */
export type CommitBatch<T, R> = (items: readonly T[]) => readonly R[] | PromiseLike<readonly R[]>

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

  constructor(private readonly commit: CommitBatch<T, R>) {}

  /** Queues `item`; resolves with its result once the batch it joined is committed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // setImmediate, not a microtask: lets every message already read from the sockets in
        // this turn join the same commit.
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits everything queued now, as one batch (the scheduled flush, and shutdown). */
  flush(): void {
    this.scheduled = false
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
    if (isPromiseLike(committed)) committed.then(settle, fail)
    else settle(committed)
  }
}
