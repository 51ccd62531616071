/**
 * The session that currently stands for one document, replaced by a fresh one when the server
 * refused an update. After a refusal the local Y.Doc holds content the server never accepted, and
 * every later update depends on it and is refused as well; Yjs cannot take integrated items back
 * out, so the way back is a fresh document loaded from the server. Nothing the person typed is
 * thrown away on the way: the old document stays on screen (and takes typing) until the fresh one
 * has arrived, the page then reads from it what the server lacks and shows it where it was
 * (carryOver.ts), and only then are the old document and its offline cache let go.
 *
 * A fresh load that is itself refused would loop (resyncBudget.ts): then the slot halts the
 * session instead, and replaces it only when the person asks (try again, or discard local
 * changes the server cannot take).
 */
import { ResyncBudget, type ResyncLimits } from './resyncBudget.ts'

/** Why a session is replaced by a fresh one. */
export type ReloadCause<R> =
  /** The server refused an update; replaced unless that would loop. */
  | { readonly kind: 'refused'; readonly refusal: R }
  /** The person tried again after a halt. */
  | { readonly kind: 'retry'; readonly refusal: R }
  /** The person dropped local changes that the server cannot take (too large). */
  | { readonly kind: 'discard' }

export type Replaceable<R> = {
  /** Why this session must be replaced now, or null. */
  needsReload(): ReloadCause<R> | null
  subscribe(listener: () => void): () => void
  /**
   * Sends nothing more, and never reconnects: the server would refuse everything that depends on
   * what it refused. The document and its offline cache stay, so the page can go on showing it.
   */
  detach(): void
  /** Resolves true once the server's document has arrived (the first sync), false if closed. */
  ready(): Promise<boolean>
  /** Opens the offline cache of a replacement (opened without it, see Options.open). */
  attachCache(): void
  /** Closes the session and forgets its offline cache; resolves once the cache is gone. */
  discard(): Promise<void>
  /**
   * Stops syncing for good: a fresh load would be refused again. The person is told, and may ask
   * for a fresh load (a 'retry' cause) from `retryAt` on.
   */
  halt(refusal: R, retryAt: number): void
}

export type SessionSlot<S> = {
  readonly current: S
  /** Called with the new session whenever the slot replaced the previous one. */
  onReplace(listener: (next: S, previous: S) => void): () => void
  /** Closes the current session (keeping its cache) and stops watching it. */
  close(): void
}

type Options<S, R> = {
  /**
   * Opens a session; `cause` is why the previous one was replaced, or null for the first. A
   * replacement must open without its offline cache (the old session's still holds what was
   * refused): the slot attaches it once the old one is gone.
   */
  open(cause: ReloadCause<R> | null): S
  /** A normal close: the offline cache is kept. */
  destroy(session: S): void
  /**
   * Once the page shows `next`: resolves when what the person saw in `previous` is carried over
   * (true; its cache may go), or false when nothing took it (the slot was closed meanwhile: the
   * old cache is kept, and what it holds is refused again, and carried, on the next visit).
   * Without it the old session goes at once.
   */
  handOver?(next: S, previous: S): Promise<boolean>
  /** Called when a replacement fails to discard the old cache. */
  onError?(error: unknown): void
  limits?: Partial<ResyncLimits>
  now?: () => number
}

export function createSessionSlot<S extends Replaceable<R>, R>(
  options: Options<S, R>,
): SessionSlot<S> {
  const now = options.now ?? Date.now
  // One budget per document, across its sessions: that is what a loop goes through.
  const budget = new ResyncBudget(options.limits, now)
  const listeners = new Set<(next: S, previous: S) => void>()
  let current = options.open(null)
  let openedAt = now()
  let afterRefusal = false
  let halted = false
  let unwatch: () => void = () => {}
  let closed = false
  let replacing = false
  /** A replacement waiting for its first sync. */
  let pending: S | null = null

  const watch = (session: S): void => {
    const check = (): void => {
      const cause = session.needsReload()
      if (cause === null || session !== current || replacing) return
      if (cause.kind === 'refused') {
        // A halted session reports no refusal; this guards against one that still would.
        if (halted) return
        const decision = budget.refused({ openedAt, afterRefusal })
        if (!decision.resync) {
          halted = true
          session.halt(cause.refusal, decision.retryAt)
          return
        }
      } else {
        budget.requested()
      }
      void replace(session, cause)
    }
    unwatch = session.subscribe(check)
    // A refusal that arrived before the slot watched (a replacement is watched once it is synced).
    check()
  }

  const replace = async (previous: S, cause: ReloadCause<R>): Promise<void> => {
    replacing = true
    unwatch()
    // ORDER MATTERS. Nothing more goes out from the old document, but the page keeps showing it,
    // and the person keeps typing into it, until the fresh document has arrived. Then the page
    // switches and reads what the person saw from the old document; only then is the old cache
    // deleted and the new one opened (opened earlier, it would load what was refused).
    previous.detach()
    const next = options.open(cause)
    pending = next
    const ready = await next.ready()
    pending = null
    if (closed || !ready) {
      // Left before the fresh document came: the old cache keeps everything.
      options.destroy(next)
      options.destroy(previous)
      replacing = false
      return
    }
    current = next
    openedAt = now()
    afterRefusal = cause.kind !== 'discard'
    halted = false
    replacing = false
    // Asked before the page hears of `next`, so that the old document is there to read when the
    // page builds its editor on the new one.
    const handing = options.handOver ? options.handOver(next, previous) : Promise.resolve(true)
    for (const listener of listeners) listener(next, previous)
    // After the page switched: a refusal of the fresh document is judged like any other.
    watch(next)
    let carried = true
    try {
      carried = await handing
      if (carried) await previous.discard()
      else options.destroy(previous)
    } catch (error) {
      options.onError?.(error)
    }
    if (!closed && carried) next.attachCache()
  }

  watch(current)
  return {
    get current() {
      return current
    },
    onReplace(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      if (closed) return
      closed = true
      unwatch()
      listeners.clear()
      if (!replacing) options.destroy(current)
      // Its ready() then resolves false, and the replacement gives up (see replace).
      else if (pending !== null) options.destroy(pending)
    },
  }
}
