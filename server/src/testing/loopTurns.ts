/**
 * For tests of background work (collab/backgroundWork.ts): holding the thread as a synchronous
 * database call does, and seeing where the event loop got a turn in between.
 */

/** Holds the thread for `ms` milliseconds, as better-sqlite3 or walking a large card does. */
export function busyFor(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // spinning on purpose
  }
}

/**
 * Pushes 'tick' into `events` once per turn of the event loop (as the sockets get read once per
 * turn) until the returned function is called.
 */
export function markLoopTurns(events: string[]): () => void {
  let done = false
  const tick = (): void => {
    events.push('tick')
    if (!done) setImmediate(tick)
  }
  setImmediate(tick)
  return () => {
    done = true
  }
}
