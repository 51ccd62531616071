/**
 * When loading a document afresh after a refusal would only be refused again. Pure (no DOM, no
 * Yjs): the session slot asks it, with its clock, each time the server refuses an update.
 *
 * After a refusal the slot drops the document and loads it from the server (sessionSlot.ts). That
 * heals a refusal of something the person did (typing into a card locked meanwhile), but not one
 * that the fresh document provokes by itself: content the editor's schema cannot read is dropped
 * by y-prosemirror, which writes the deletion back, which a viewer may not do; and the next fresh
 * load does the same, in a loop as fast as the network (seen: ~300 connections in 15 s). So:
 *
 * - a session opened after a refusal and refused again within `quickRefusalMs` halts: the fresh
 *   document itself is refused, and loading it again would be refused again;
 * - at most `perWindow` resyncs per `windowMs` in any case;
 * - a halt offers "try again" only after a delay that doubles with each halt in a row, from
 *   `firstRetryMs` up to `maxRetryMs`. A session that lived `quickRefusalMs` without a refusal
 *   was healthy: the next halt starts from `firstRetryMs` again.
 */

export type ResyncLimits = {
  readonly perWindow: number
  readonly windowMs: number
  readonly quickRefusalMs: number
  readonly firstRetryMs: number
  readonly maxRetryMs: number
}

export const RESYNC_LIMITS: ResyncLimits = {
  perWindow: 3,
  windowMs: 60_000,
  quickRefusalMs: 10_000,
  firstRetryMs: 30_000,
  maxRetryMs: 5 * 60_000,
}

/** The session that the server refused: when it opened, and whether a refusal opened it. */
export type RefusedSession = {
  readonly openedAt: number
  readonly afterRefusal: boolean
}

export type ResyncDecision =
  | { readonly resync: true }
  /** Stop; the person may try again from `retryAt` (ms, the budget's clock). */
  | { readonly resync: false; readonly retryAt: number }

export class ResyncBudget {
  readonly #limits: ResyncLimits
  readonly #now: () => number
  /** When each resync of the current window happened, oldest first. */
  #resyncs: number[] = []
  /** Halts in a row, without a healthy session between them. */
  #halts = 0

  constructor(limits: Partial<ResyncLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...RESYNC_LIMITS, ...limits }
    this.#now = now
  }

  /** The server refused an update of `session`: load the document afresh, or halt. */
  refused(session: RefusedSession): ResyncDecision {
    const now = this.#now()
    const lived = now - session.openedAt
    if (lived >= this.#limits.quickRefusalMs) this.#halts = 0
    this.#resyncs = this.#resyncs.filter((at) => at > now - this.#limits.windowMs)
    const refusedAtOnce = session.afterRefusal && lived < this.#limits.quickRefusalMs
    if (refusedAtOnce || this.#resyncs.length >= this.#limits.perWindow) {
      const delay = Math.min(this.#limits.maxRetryMs, this.#limits.firstRetryMs * 2 ** this.#halts)
      this.#halts++
      return { resync: false, retryAt: now + delay }
    }
    this.#resyncs.push(now)
    return { resync: true }
  }

  /**
   * The person asked for a fresh load (try again after a halt, or drop what the server cannot
   * take). It counts against the window like any resync; a refusal soon after it halts again,
   * with the next, longer delay.
   */
  requested(): void {
    this.#resyncs.push(this.#now())
  }
}
