import { useCallback, useSyncExternalStore } from 'react'
import type { SyncSession, SyncSnapshot } from './syncSession.ts'

const noSession = (): null => null
const noSubscription = (): (() => void) => () => {}

/** The live saved state, close and rejection of a session (null without a session). */
export function useSyncState(session: SyncSession | null): SyncSnapshot | null {
  const subscribe = useCallback(
    (listener: () => void) => (session ? session.subscribe(listener) : noSubscription()),
    [session],
  )
  return useSyncExternalStore(subscribe, session ? session.getSnapshot : noSession)
}
