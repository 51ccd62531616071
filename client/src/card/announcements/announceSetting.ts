/**
 * Whether the card page announces other people’s activity (ActivityAnnouncer.tsx): on unless the
 * person turned it off, remembered in this browser (localStorage) and the same in all its tabs.
 */
import { useSyncExternalStore } from 'react'

const storageKey = 'kartu:announce-activity'
const listeners = new Set<() => void>()
/** The choice made in this page, when storage cannot keep it. */
let inPage: boolean | null = null

export function announcesActivity(): boolean {
  try {
    const stored = window.localStorage.getItem(storageKey)
    if (stored !== null) return stored !== 'off'
  } catch {
    // Storage disabled: the page's own choice, if any.
  }
  return inPage ?? true
}

export function setAnnouncesActivity(on: boolean): void {
  inPage = on
  try {
    window.localStorage.setItem(storageKey, on ? 'on' : 'off')
  } catch {
    // Not kept across reloads; the choice still holds in this page.
  }
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // Another tab of this browser changed it.
  const onStorage = (event: StorageEvent): void => {
    if (event.key === storageKey) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

export function useAnnouncesActivity(): boolean {
  return useSyncExternalStore(subscribe, announcesActivity)
}
