import { useEffect, useState } from 'react'
import { acquireSession, releaseSession } from './sessionRegistry.ts'
import type { SyncSession } from './syncSession.ts'

/** The shared sync session of a document while the component is mounted; null until opened. */
export function useSyncSession(userId: string, documentName: string | null): SyncSession | null {
  const [session, setSession] = useState<SyncSession | null>(null)
  useEffect(() => {
    if (documentName === null) return
    const opened = acquireSession(userId, documentName)
    setSession(opened)
    return () => {
      setSession(null)
      releaseSession(opened)
    }
  }, [userId, documentName])
  return session
}
