/**
 * The open sync sessions. Components that show the same document share one session; when the
 * last of them goes, the session stays open until the server has stored every change, so leaving
 * a card right after typing (or while offline) loses nothing. The table itself, and closing and
 * counting what it holds, are in openSessions.ts, which pages without a session use.
 */
import { DocumentKind, parseDocumentName, type RejectedMessage } from '@kartu/protocol'
import {
  clearTimers,
  destroySession,
  openSessions,
  pendingChangeCount,
  type SessionEntry,
} from './openSessions.ts'
import { addRefused } from './refusedStore.ts'
import { SaveState } from './savedState.ts'
import { createSessionSlot } from './sessionSlot.ts'
import { defaultCollabUrl, openSyncSession, type SyncSession } from './syncSession.ts'
import {
  markSaved,
  markUnsaved,
  readPendingCount,
  readUnsavedDocuments,
  writePendingCount,
} from './unsavedDocuments.ts'

/** Keep an unused session this long, so that going back and forth does not reconnect. */
const LINGER_MS = 3000
/** Give up on an unused session that has nothing to save but never got through. */
const GIVE_UP_MS = 30_000
/**
 * How long a page may take to read the old document after a refusal (it does so as soon as it has
 * built its editor on the fresh one); after that the registry keeps the refused text itself.
 */
const HAND_OVER_MS = 10_000

let unloadGuardInstalled = false

const entryKey = (userId: string, documentName: string): string => `${userId}\n${documentName}`

/**
 * The offline cache is per user: a cache holds the structs of whoever wrote them, and sending
 * another person's unsaved edits under one's own session would misattribute them.
 */
const cacheName = (userId: string, documentName: string): string =>
  `kartu:${userId}:${documentName}`

function maybeClose(entry: SessionEntry): void {
  if (entry.refs > 0 || openSessions.get(entry.key) !== entry) return
  const now = Date.now()
  if (now < entry.releasedAt + LINGER_MS) return
  const { save, closed, halted } = entry.slot.current.getSnapshot()
  const idle = save.pending === 0 && save.state !== SaveState.Connecting
  const hopeless = save.pending === 0 && now >= entry.releasedAt + GIVE_UP_MS
  // A final close or a halt is not retried by itself; what is unsaved stays in the cache and the
  // unsaved list.
  if (closed !== null || halted !== null || idle || hopeless) destroySession(entry)
}

function onSnapshot(entry: SessionEntry): void {
  const { save } = entry.slot.current.getSnapshot()
  const documentName = entry.slot.current.documentName
  if (save.pending > 0 && !entry.wasPending) markUnsaved(entry.userId, documentName)
  // Kept per document, so that a reload while offline still shows how much is unsaved.
  writePendingCount(entry.userId, documentName, save.pending)
  if (save.state === SaveState.Saved) markSaved(entry.userId, documentName)
  entry.wasPending = save.pending > 0
  maybeClose(entry)
}

function installUnloadGuard(): void {
  if (unloadGuardInstalled) return
  unloadGuardInstalled = true
  window.addEventListener('beforeunload', (event) => {
    if (pendingChangeCount() === 0) return
    // The cache keeps the changes, but only the server makes them visible to everyone else.
    event.preventDefault()
    event.returnValue = ''
  })
}

/**
 * The document's open session, if there is one (opened ahead, or shown by another component),
 * without joining it: a page can render with it at once and join in an effect.
 */
export function openSession(userId: string, documentName: string): SyncSession | null {
  return openSessions.get(entryKey(userId, documentName))?.slot.current ?? null
}

/** Opens the document (or joins the open session); pair every call with releaseSession. */
export function acquireSession(userId: string, documentName: string): SyncSession {
  installUnloadGuard()
  const key = entryKey(userId, documentName)
  const existing = openSessions.get(key)
  if (existing) {
    existing.refs++
    clearTimers(existing)
    const session = existing.slot.current
    // Releasing cleared our presence; a caret plugin only adds fields to a non-null state.
    if (session.awareness.getLocalState() === null) session.awareness.setLocalState({})
    return session
  }
  const isCard = parseDocumentName(documentName)?.kind === DocumentKind.Card
  const slot = createSessionSlot<SyncSession, RejectedMessage>({
    open: (cause) =>
      openSyncSession(documentName, {
        collabUrl: defaultCollabUrl(),
        cacheName: cacheName(userId, documentName),
        // A retry the person asked for needs no "reloaded after a refusal" banner: they know.
        reloadedAfter: cause?.kind === 'refused' ? cause.refusal : null,
        discarded: cause?.kind === 'discard',
        // A fresh document after a refusal starts with nothing pending (see onReplace below).
        restoredPending: cause ? 0 : readPendingCount(userId, documentName),
        // The old cache still holds what was refused, until the old session is let go.
        deferCache: cause !== null,
      }),
    destroy: (session) => session.destroy(),
    handOver: async (next, previous) => {
      // Only a card's answer has text to carry over (a deck document holds presence).
      if (!isCard) return true
      const how = await next.keepPrevious(previous.doc, HAND_OVER_MS)
      if (how === 'released') return true
      // Closed meanwhile: the old cache keeps what was refused, for the next visit.
      if (how === 'closed') return false
      // No page read it (a card synced in the background): keep the refused text for the page
      // that opens the card next (refusedStore.ts). What the person chose to discard is gone.
      const { discarded, reloadedAfter } = next.getSnapshot()
      if (!discarded) {
        // Loaded only now: it holds the card's schema (Tiptap, ProseMirror), which a dashboard
        // that merely shows presence must not download.
        const { carryAnswerOver, refusedPieces } = await import('./answerCarryOver.ts')
        const carried = carryAnswerOver(previous.doc, next.doc)
        addRefused(userId, documentName, refusedPieces(carried, reloadedAfter?.code ?? ''))
      }
      return true
    },
    onError: (error) => console.error('Kartu: could not clear the offline cache', error),
  })
  const entry: SessionEntry = {
    key,
    userId,
    slot,
    refs: 1,
    releasedAt: 0,
    timers: [],
    wasPending: false,
  }
  openSessions.set(key, entry)
  slot.current.subscribe(() => onSnapshot(entry))
  slot.onReplace((next) => {
    // What was refused (or discarded) is gone with the old document; the new one starts with
    // nothing pending.
    entry.wasPending = false
    markSaved(userId, documentName)
    next.subscribe(() => onSnapshot(entry))
    onSnapshot(entry)
  })
  return slot.current
}

/**
 * Calls back with the new session when this session's document was loaded afresh (after a
 * refusal, or at the person's request; see sessionSlot.ts). Holders of the old session must
 * switch: it is destroyed.
 */
export function onSessionReplaced(
  session: SyncSession,
  listener: (next: SyncSession) => void,
): () => void {
  const entry = findEntry(session)
  if (!entry) return () => {}
  return entry.slot.onReplace((next, previous) => {
    if (previous === session) listener(next)
  })
}

function findEntry(session: SyncSession): SessionEntry | undefined {
  return [...openSessions.values()].find((candidate) => candidate.slot.current === session)
}

export function releaseSession(session: SyncSession): void {
  const entry = findEntry(session)
  if (!entry || entry.refs === 0) return
  entry.refs--
  if (entry.refs > 0) return
  // Nobody shows this document any more: leave presence now, close when nothing is unsaved.
  session.awareness.setLocalState(null)
  entry.releasedAt = Date.now()
  entry.timers = [
    setTimeout(() => maybeClose(entry), LINGER_MS),
    setTimeout(() => maybeClose(entry), GIVE_UP_MS),
  ]
}

/**
 * Opens, in the background, the documents that had unsaved changes when the app last ran, so that
 * the offline cache sends them; each closes again once the server has stored them.
 */
export function resumeUnsavedDocuments(userId: string): void {
  for (const documentName of readUnsavedDocuments(userId)) {
    if (parseDocumentName(documentName) === null) {
      markSaved(userId, documentName)
      continue
    }
    if (openSessions.has(entryKey(userId, documentName))) continue
    releaseSession(acquireSession(userId, documentName))
  }
}
