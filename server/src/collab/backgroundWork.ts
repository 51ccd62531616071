/**
 * Background work on the rooms' event loop, cut into slices so that keystrokes never wait long
 * behind it. Everything here runs on the loop that relays edits: the once-a-second reads and
 * writes of busy cards (their figures, search text, clearance hashes, edits for history), the
 * two-second re-check of every open connection's permissions, and the versions taken when people
 * leave cards or cards go quiet. With a hundred busy cards and five
 * hundred connections (bench scenario 2, 100 cards x 5) each of them held the loop for 10 to 40
 * ms in one go (better-sqlite3 is synchronous, and a chain of awaited synchronous calls never
 * lets the sockets in), and those were the tail of the relay latency, once a second, like
 * clockwork.
 *
 * - backgroundTurn(): one slice of background work per turn of the loop, whoever it belongs to.
 * - SliceClock: a loop of small steps takes a turn when its slice is used up.
 * - PacedWrites: a large batch written as several transactions, each about a slice long.
 */

const DEFAULT_SLICE_MS = 4
/** Items in the first transaction, before the pace of writing is known. */
const FIRST_WRITE_ITEMS = 8

/**
 * The process's background work takes turns, one slice per turn of the event loop, with the
 * sockets read in between. ORDER MATTERS: each turn is queued only once the one before it has
 * been handed out, from inside a check phase callback, so it lands in the next loop iteration:
 * several listeners that each let the loop go between their own slices still ran all their
 * slices in one iteration (they woke on the same one-second tick), and keystrokes waited behind
 * all of them together.
 */
let lastTurn: Promise<void> = Promise.resolve()

/** Resolves when it is the caller's turn to run one slice of background work. */
export function backgroundTurn(): Promise<void> {
  const turn = lastTurn.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
  lastTurn = turn
  return turn
}

/**
 * For a loop of small synchronous steps: `next()` resolves at once while the slice lasts, and
 * waits for a background turn when it is used up (and before the first step).
 */
export class SliceClock {
  private sliceStart = Number.NEGATIVE_INFINITY

  constructor(readonly sliceMs = DEFAULT_SLICE_MS) {}

  async next(): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return
    await backgroundTurn()
    this.sliceStart = performance.now()
  }
}

/**
 * Writes a large batch as several smaller transactions, each about one slice of the event loop
 * long, taking a background turn before each. A transaction holds as many items as fit in a
 * slice at the pace the previous one went: a few commits a second on a busy deck instead of one,
 * still not one per card.
 */
export class PacedWrites {
  /** Milliseconds one item took in the last write; -1 before any. */
  private msPerItem = -1

  constructor(readonly sliceMs = DEFAULT_SLICE_MS) {}

  /**
   * Hands `items` to `write` in order, in parts. A part that fails is passed to `failed` and
   * the rest still goes: a write is independent of the parts before it.
   */
  async write<T>(
    items: readonly T[],
    write: (part: readonly T[]) => Promise<void>,
    failed: (part: readonly T[], error: unknown) => void,
  ): Promise<void> {
    let from = 0
    while (from < items.length) {
      await backgroundTurn()
      const count =
        this.msPerItem < 0
          ? FIRST_WRITE_ITEMS
          : Math.max(1, Math.floor(this.sliceMs / Math.max(this.msPerItem, 0.001)))
      const part = items.slice(from, from + count)
      from += part.length
      const started = performance.now()
      try {
        await write(part)
        this.msPerItem = (performance.now() - started) / part.length
      } catch (error) {
        failed(part, error)
      }
    }
  }
}
