/**
 * The table of open sync sessions, which sessionRegistry.ts fills, and what can be done with it
 * without the sync code: signing in or out closes every session and asks how many changes are
 * unsaved. Those pages must not load Yjs and the websocket provider only to learn that no
 * session is open (the registry is loaded with the first page that opens one).
 */
import type { SessionSlot } from './sessionSlot.ts'
import type { SyncSession } from './syncSession.ts'

export type SessionEntry = {
  readonly key: string
  readonly userId: string
  /**
   * The document's session; replaced by a fresh one after the server refused an update (or
   * halted when that would loop), and when the person asks for a fresh load.
   */
  readonly slot: SessionSlot<SyncSession>
  refs: number
  releasedAt: number
  timers: ReturnType<typeof setTimeout>[]
  wasPending: boolean
}

/** By entryKey(userId, documentName) (sessionRegistry.ts). */
export const openSessions = new Map<string, SessionEntry>()

export function clearTimers(entry: SessionEntry): void {
  for (const timer of entry.timers) clearTimeout(timer)
  entry.timers = []
}

export function destroySession(entry: SessionEntry): void {
  clearTimers(entry)
  openSessions.delete(entry.key)
  entry.slot.close()
}

/** Local changes, over all open sessions, that the server has not acknowledged. */
export function pendingChangeCount(): number {
  let pending = 0
  for (const entry of openSessions.values())
    pending += entry.slot.current.getSnapshot().save.pending
  return pending
}

/** Closes every session at once (sign-in as someone else, sign-out). Caches are kept. */
export function closeAllSessions(): void {
  for (const entry of [...openSessions.values()]) destroySession(entry)
}
