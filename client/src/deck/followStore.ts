/**
 * Whether this tab follows the chair, per deck. Kept for the tab's life (sessionStorage), so that
 * it survives the navigation that following itself causes.
 */
import { useCallback, useSyncExternalStore } from 'react'

const listeners = new Set<() => void>()
const memory = new Map<string, boolean>()
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

export function setFollowing(deckId: string, following: boolean): void {
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

export function useFollowing(deckId: string | undefined): [boolean, (following: boolean) => void] {
  const following = useSyncExternalStore(subscribe, () =>
    deckId === undefined ? false : isFollowing(deckId),
  )
  const set = useCallback(
    (next: boolean) => {
      if (deckId !== undefined) setFollowing(deckId, next)
    },
    [deckId],
  )
  return [following, set]
}
