/**
 * At most `size` pieces of work at once; the others wait their turn, first come first served.
 * PgDocumentStore runs compactions through it: each holds one of the pool's connections for a
 * transaction of several round trips, and a hundred cards reaching their threshold together
 * (as cards typed at one pace do) would otherwise take every connection and make the appends,
 * which people wait on, queue behind them for hundreds of milliseconds.
 */
export class Slots {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Slots: size ${size}`)
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) {
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running += 1
    }
    try {
      return await work()
    } finally {
      // The slot passes straight to the next in line (running stays the same), so that no
      // newcomer can take it between this release and that one's start.
      const next = this.waiting.shift()
      if (next) next()
      else this.running -= 1
    }
  }

  /** Work running now and waiting (its tests read it). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }
}
