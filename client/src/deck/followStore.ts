/**
 * Whether this tab follows the chair, per deck. Kept for the tab's life (sessionStorage), so that
 * it survives the navigation that following itself causes.
 */
import { useCallback, useMemo, useSyncExternalStore } from 'react'

const listeners = new Set<() => void>()
const memory = new Map<string, boolean>()
/** Decks whose following was stopped by the person typing (said on screen until they follow again). */
const stoppedByTyping = new Set<string>()
const key = (deckId: string): string => `kartu:follow:${deckId}`

export function isFollowing(deckId: string): boolean {
  const known = memory.get(deckId)
  if (known !== undefined) return known
  try {
    return window.sessionStorage.getItem(key(deckId)) === '1'
  } catch {
    return false
  }
}

/** Whether following this deck stopped because the person typed (and was not turned on since). */
export function stoppedForTyping(deckId: string): boolean {
  return stoppedByTyping.has(deckId)
}

/**
 * Stops following because the person typed: their own work wins over the chair's view, and the
 * view says so, so that the button un-pressing is not a silent change.
 */
export function stopForTyping(deckId: string): void {
  if (!isFollowing(deckId)) return
  stoppedByTyping.add(deckId)
  setFollowing(deckId, false)
}

export function setFollowing(deckId: string, following: boolean): void {
  if (following && stoppedByTyping.delete(deckId)) for (const listener of listeners) listener()
  if (isFollowing(deckId) === following) return
  memory.set(deckId, following)
  try {
    if (following) window.sessionStorage.setItem(key(deckId), '1')
    else window.sessionStorage.removeItem(key(deckId))
  } catch {
    // Not kept across reloads; the choice still holds in this page.
  }
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export type Following = {
  following: boolean
  /** Following stopped because the person typed. */
  stoppedByTyping: boolean
  setFollowing: (following: boolean) => void
  stopForTyping: () => void
}

export function useFollowing(deckId: string | undefined): Following {
  const following = useSyncExternalStore(subscribe, () =>
    deckId === undefined ? false : isFollowing(deckId),
  )
  const stopped = useSyncExternalStore(subscribe, () =>
    deckId === undefined ? false : stoppedForTyping(deckId),
  )
  const set = useCallback(
    (next: boolean) => {
      if (deckId !== undefined) setFollowing(deckId, next)
    },
    [deckId],
  )
  const stop = useCallback(() => {
    if (deckId !== undefined) stopForTyping(deckId)
  }, [deckId])
  return useMemo(
    () => ({ following, stoppedByTyping: stopped, setFollowing: set, stopForTyping: stop }),
    [following, stopped, set, stop],
  )
}
