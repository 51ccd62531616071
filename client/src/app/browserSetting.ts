/**
 * A person's on/off choice remembered in this browser (localStorage), the same in all its tabs:
 * on unless they turned it off. When storage is disabled the choice holds in the page alone.
 */
import { useSyncExternalStore } from 'react'

export type BrowserSetting = {
  get(): boolean
  set(on: boolean): void
  /** The choice, live (this tab and the others). */
  use(): boolean
}

export function browserSetting(storageKey: string): BrowserSetting {
  const listeners = new Set<() => void>()
  /** The choice made in this page, when storage cannot keep it. */
  let inPage: boolean | null = null

  const get = (): boolean => {
    try {
      const stored = window.localStorage.getItem(storageKey)
      if (stored !== null) return stored !== 'off'
    } catch {
      // Storage disabled: the page's own choice, if any.
    }
    return inPage ?? true
  }

  const set = (on: boolean): void => {
    inPage = on
    try {
      window.localStorage.setItem(storageKey, on ? 'on' : 'off')
    } catch {
      // Not kept across reloads; the choice still holds in this page.
    }
    for (const listener of listeners) listener()
  }

  const subscribe = (listener: () => void): (() => void) => {
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

  return { get, set, use: () => useSyncExternalStore(subscribe, get) }
}
