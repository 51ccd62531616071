/**
 * The session that currently stands for one document, replaced by a fresh one when the server
 * refused an update. After a refusal the local Y.Doc holds content the server never accepted, and
 * every later update depends on it and is refused as well; the only way back is to drop the
 * document (and its offline cache, which holds the same content) and load it again from the server.
 */

export type Replaceable<R> = {
  /** The refusal that calls for a reload, or null. */
  needsReload(): R | null
  subscribe(listener: () => void): () => void
  /** Closes the session and forgets its offline cache; resolves once the cache is gone. */
  discard(): Promise<void>
}

export type SessionSlot<S> = {
  readonly current: S
  /** Called with the new session whenever the slot replaced the previous one. */
  onReplace(listener: (next: S, previous: S) => void): () => void
  /** Closes the current session (keeping its cache) and stops watching it. */
  close(): void
}

type Options<S, R> = {
  /** Opens a session; `reloadedAfter` is the refusal that made us reload, if any. */
  open(reloadedAfter: R | null): S
  /** A normal close: the offline cache is kept. */
  destroy(session: S): void
  /** Called when a replacement fails to discard the old cache (it is opened anyway). */
  onError?(error: unknown): void
}

export function createSessionSlot<S extends Replaceable<R>, R>(
  options: Options<S, R>,
): SessionSlot<S> {
  const listeners = new Set<(next: S, previous: S) => void>()
  let current = options.open(null)
  let unwatch: () => void = () => {}
  let closed = false
  let replacing = false

  const watch = (session: S): void => {
    unwatch = session.subscribe(() => {
      const rejection = session.needsReload()
      if (rejection !== null && session === current && !replacing) void replace(session, rejection)
    })
  }

  const replace = async (previous: S, rejection: R): Promise<void> => {
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
    const next = options.open(rejection)
    current = next
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
