import { useEffect, useState } from 'react'
import {
  acquireSession,
  onSessionReplaced,
  openSession,
  releaseSession,
} from './sessionRegistry.ts'
import type { SyncSession } from './syncSession.ts'

/**
 * The shared sync session of a document while the component is mounted; null until opened. After
 * the server refused an update the document is loaded afresh, and this returns the new session.
 */
export function useSyncSession(userId: string, documentName: string | null): SyncSession | null {
  // A session already open (the card opened ahead as it was clicked) is shown from the first
  // render: a second render, once the effect has joined it, would build the editor later.
  const [session, setSession] = useState<SyncSession | null>(() =>
    documentName === null ? null : openSession(userId, documentName),
  )
  useEffect(() => {
    if (documentName === null) return
    let current = acquireSession(userId, documentName)
    setSession(current)
    let unsubscribe = (): void => {}
    const follow = (): void => {
      unsubscribe = onSessionReplaced(current, (next) => {
        unsubscribe()
        current = next
        setSession(next)
        follow()
      })
    }
    follow()
    return () => {
      unsubscribe()
      setSession(null)
      releaseSession(current)
    }
  }, [userId, documentName])
  return session
}
