/**
 * The session that currently stands for one document, replaced by a fresh one when the server
 * refused an update. After a refusal the local Y.Doc holds content the server never accepted, and
 * every later update depends on it and is refused as well; the only way back is to drop the
 * document (and its offline cache, which holds the same content) and load it again from the server.
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
  /** Opens a session; `cause` is why the previous one was replaced, or null for the first. */
  open(cause: ReloadCause<R> | null): S
  /** A normal close: the offline cache is kept. */
  destroy(session: S): void
  /** Called when a replacement fails to discard the old cache (it is opened anyway). */
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

  const watch = (session: S): void => {
    unwatch = session.subscribe(() => {
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
    })
  }

  const replace = async (previous: S, cause: ReloadCause<R>): Promise<void> => {
    replacing = true
    unwatch()
    try {
      // The cache must be gone before the new session opens, or it would load the refused content.
      await previous.discard()
    } catch (error) {
      options.onError?.(error)
    }
    replacing = false
    if (closed) return
    const next = options.open(cause)
    current = next
    openedAt = now()
    afterRefusal = cause.kind !== 'discard'
    halted = false
    watch(next)
    for (const listener of listeners) listener(next, previous)
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
    },
  }
}
