/**
 * One Yjs document kept in sync with the server: the stock y-websocket provider, a y-indexeddb
 * offline cache, and the saved-state tracker fed from the provider's frames and Kartu's Persisted
 * and Rejected messages.
 */
import {
  MessageType,
  type RejectedMessage,
  type Role,
  readPermission,
  readPersisted,
  readRejected,
  roleSchema,
} from '@kartu/protocol'
import { IndexeddbPersistence } from 'y-indexeddb'
import type { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { isTooLargeClose, reconnectsAfter } from './closeCodes.ts'
import { classifySentFrame } from './frames.ts'
import { attachJitteredReconnect } from './reconnectBackoff.ts'
import { type SavedStateSnapshot, SavedStateTracker, SaveState } from './savedState.ts'
import type { ReloadCause } from './sessionSlot.ts'
import { createTrackingWebSocket } from './trackingWebSocket.ts'

export type ServerClose = { code: number; reason: string }

/** Syncing stopped because loading the document afresh would be refused again. */
export type SyncHalt = {
  readonly refusal: RejectedMessage
  /** From when the person may try again (ms since the epoch). */
  readonly retryAt: number
}

export type SyncSnapshot = {
  readonly save: SavedStateSnapshot
  /**
   * The server closed the connection for good (4400-4499, or 1009: too large); the provider will
   * not reconnect by itself.
   */
  readonly closed: ServerClose | null
  /** The code of the last close while we are not connected (e.g. 4503 shutting down). */
  readonly lastCloseCode: number | null
  /** The last update the server refused, until dismissed. */
  readonly rejection: RejectedMessage | null
  /**
   * This session replaced one whose update the server refused: the document was loaded afresh
   * from the server and the refused changes are gone. Shown until dismissed.
   */
  readonly reloadedAfter: RejectedMessage | null
  /**
   * The server refused this session's updates right after a fresh load: loading again would loop,
   * so the session stopped (disconnected, no retry by itself) until the person tries again.
   */
  readonly halted: SyncHalt | null
  /** This session replaced one whose unsaved changes the person discarded. Until dismissed. */
  readonly discarded: boolean
  /**
   * A fresh load is on its way: after a refusal (this session sends nothing more, see detach),
   * or because the person asked (try again, discard).
   */
  readonly reloading: boolean
  /**
   * What the server says this connection may do now (sent on connect and whenever the role, the
   * card's lock or "everyone suggests" changes): newer than what the page loaded over REST.
   */
  readonly permission: { role: Role; locked: boolean; suggestOnly: boolean } | null
}

export type SyncSession = {
  readonly documentName: string
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  readonly awareness: Awareness
  getSnapshot(): SyncSnapshot
  subscribe(listener: () => void): () => void
  /** Try again after a final close (for instance once the user is signed in again). */
  reconnect(): void
  dismissRejection(): void
  /** Why this session must be replaced by a fresh one now, or null (see sessionSlot.ts). */
  needsReload(): ReloadCause<RejectedMessage> | null
  /** Stops syncing: disconnects for good and shows the document read-only (see SyncHalt). */
  halt(refusal: RejectedMessage, retryAt: number): void
  /** After a halt: load the document afresh from the server (the slot replaces this session). */
  tryAgain(): void
  /**
   * Drops every local change not on the server and loads the document afresh: the way out when
   * a change is too large for the server to take.
   */
  discardLocalChanges(): void
  destroy(): void
  /** Destroys the session and deletes its offline cache, which holds what the server refused. */
  discard(): Promise<void>
  /**
   * Sends nothing more and never reconnects (the server would refuse everything that depends on
   * what it refused), while the document and its offline cache stay: the page goes on showing
   * the document, and taking typing, until a fresh one replaces it (sessionSlot.ts).
   */
  detach(): void
  /** Resolves true once the server's document has arrived (the first sync); false if destroyed. */
  ready(): Promise<boolean>
  /** Opens the offline cache of a session opened with `deferCache`. */
  attachCache(): void
  /**
   * The document of the session this one replaced, while the page may still read what the person
   * saw in it (to carry refused text and the caret over); null once let go.
   */
  readonly previousDoc: Y.Doc | null
  /**
   * Keeps `doc` as previousDoc until releasePrevious(), `timeoutMs`, or the end of this session,
   * and says which came first.
   */
  keepPrevious(doc: Y.Doc, timeoutMs: number): Promise<'released' | 'timeout' | 'closed'>
  /** The page has carried over what it needs from previousDoc. */
  releasePrevious(): void
}

export type SyncSessionOptions = {
  /** Base websocket URL; the document name is appended, e.g. wss://host/collab/card:CC-01. */
  collabUrl: string
  /** IndexedDB database name of the offline cache. */
  cacheName: string
  /** How long to wait for the offline cache before connecting anyway. */
  cacheTimeoutMs?: number
  /** The refusal that made us open this document afresh (see SyncSnapshot.reloadedAfter). */
  reloadedAfter?: RejectedMessage | null
  /** The previous session's unsaved changes were discarded (see SyncSnapshot.discarded). */
  discarded?: boolean
  /**
   * Local changes that an earlier page left unsaved (their content is in the offline cache), so
   * that a reload while offline still shows how much is not on the server.
   */
  restoredPending?: number
  /**
   * Connect at once, without the offline cache, until attachCache(): a replacement after a
   * refusal, whose cache still holds what was refused until the old session is let go.
   */
  deferCache?: boolean
}

/**
 * Syncing has stopped until the person acts (try again, or discard what is too large): the
 * editor shows the document read-only meanwhile, since nothing typed could reach the server.
 */
export function syncStopped(snapshot: SyncSnapshot | null): boolean {
  if (snapshot === null) return false
  return (
    snapshot.halted !== null || (snapshot.closed !== null && isTooLargeClose(snapshot.closed.code))
  )
}

/** The websocket URL of the collaboration endpoint on this page's origin. */
export function defaultCollabUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${window.location.host}/collab`
}

export function openSyncSession(documentName: string, options: SyncSessionOptions): SyncSession {
  const listeners = new Set<() => void>()
  let snapshot: SyncSnapshot = {
    save: { state: SaveState.Connecting, pending: 0, waitingSince: null },
    closed: null,
    lastCloseCode: null,
    rejection: null,
    reloadedAfter: options.reloadedAfter ?? null,
    halted: null,
    discarded: options.discarded ?? false,
    reloading: false,
    permission: null,
  }
  let requested: ReloadCause<RejectedMessage> | null = null
  const publish = (next: Partial<SyncSnapshot>): void => {
    snapshot = { ...snapshot, ...next }
    for (const listener of listeners) listener()
  }

  const doc = new Y.Doc()
  const tracker = new SavedStateTracker((save) => publish({ save }))
  // Publishes the restored count (if any) into the snapshot at once.
  tracker.restore(options.restoredPending ?? 0)
  let cache: IndexeddbPersistence | null = null
  const openCache = (): IndexeddbPersistence => {
    cache = new IndexeddbPersistence(options.cacheName, doc)
    return cache
  }
  let connectStarted = false
  let destroyed = false
  /** Sends nothing more (see detach); the provider is disconnected for good. */
  let detached = false
  let synced = false
  const readyWaiters: Array<(ok: boolean) => void> = []
  let previousDoc: Y.Doc | null = null
  let letGo: ((how: 'released' | 'timeout' | 'closed') => void) | null = null

  // ORDER MATTERS: this listener is registered before the provider's own 'update' listener, and
  // Yjs calls listeners in registration order. So a local change is counted before the provider
  // sends the Sync Update that carries it, and that frame then covers it.
  doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin instanceof WebsocketProvider) return
    // Content loaded from the offline cache is already in the cache, but may never have reached
    // the server. Before we connect, the Step2 carries it (and is tracked by its content); if the
    // cache answers after we connected, the provider sends it as an Update: count it then.
    if (origin !== null && origin === cache && !connectStarted) return
    tracker.localChange()
  })

  const provider = new WebsocketProvider(options.collabUrl, documentName, doc, {
    connect: false,
    // 1009 (too large) is final too: y-websocket would resend the same change for ever.
    shouldReconnect: (event) => reconnectsAfter(event.code),
    WebSocketPolyfill: createTrackingWebSocket((frame) => {
      const sent = classifySentFrame(frame)
      tracker.messageSent(sent.documentChanging, sent.isStep2, sent.step2CarriesContent)
    }),
  })

  // y-websocket retries in lock-step (no jitter): after a server restart every tab would come back
  // in the same instant. Retry with jittered exponential backoff instead (0.5-2 s, then up to 30 s).
  const reconnect = attachJitteredReconnect(provider)

  // Handlers write nothing to the encoder: y-websocket sends back whatever a handler writes.
  provider.messageHandlers[MessageType.Persisted] = (_encoder, decoder) => {
    tracker.persisted(readPersisted(decoder).seq)
  }
  provider.messageHandlers[MessageType.Permission] = (_encoder, decoder) => {
    const { role, locked, suggestOnly } = readPermission(decoder)
    const parsed = roleSchema.safeParse(role)
    if (parsed.success) publish({ permission: { role: parsed.data, locked, suggestOnly } })
  }
  provider.messageHandlers[MessageType.Rejected] = (_encoder, decoder) => {
    const rejection = readRejected(decoder)
    // A reader's Step2 is refused too (read_only) even when it holds nothing of ours; only a
    // refusal that loses local changes is worth a banner.
    if (tracker.rejected(rejection.seq) > 0) publish({ rejection })
  }

  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      tracker.connected()
      publish({ lastCloseCode: null, closed: null })
    }
  })
  provider.on('sync', (isSynced: boolean) => {
    if (!isSynced) return
    tracker.synced()
    if (synced) return
    synced = true
    for (const resolve of readyWaiters.splice(0)) resolve(true)
  })
  // 'connection-close' also fires for a socket that never opened, so a first failed attempt
  // shows as offline rather than connecting forever.
  provider.on('connection-close', (event) => {
    tracker.disconnected()
    if (event) publish({ lastCloseCode: event.code })
  })
  provider.on('closed', (event) => {
    publish({ closed: { code: event.code, reason: event.reason } })
  })

  // A dead network often leaves the socket looking open until y-websocket's 30 s watchdog gives
  // up. The browser knows sooner: drop the socket at once (the status turns offline with its
  // count), and retry as soon as the network is back instead of waiting out the backoff.
  const restart = (): void => {
    if (
      !connectStarted ||
      destroyed ||
      detached ||
      snapshot.closed !== null ||
      snapshot.halted !== null
    ) {
      return
    }
    provider.disconnect()
    provider.connect()
  }
  const onOnline = (): void => {
    reconnect.reset()
    if (!provider.wsconnected) restart()
  }
  window.addEventListener('offline', restart)
  window.addEventListener('online', onOnline)

  // Connect once the offline cache is loaded, so that our first Step2 carries what it holds.
  // IndexedDB can hang or fail (private windows); never let it keep us offline.
  const connect = (): void => {
    if (destroyed || detached || connectStarted) return
    connectStarted = true
    provider.connect()
  }
  if (options.deferCache) connect()
  else {
    void openCache().whenSynced.then(connect)
    setTimeout(connect, options.cacheTimeoutMs ?? 1500)
  }

  return {
    documentName,
    doc,
    provider,
    awareness: provider.awareness,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    reconnect() {
      if (destroyed || detached) return
      publish({ closed: null })
      provider.connect()
    },
    dismissRejection() {
      publish({ rejection: null, reloadedAfter: null, discarded: false })
    },
    needsReload() {
      if (requested !== null) return requested
      // Halted, the refusal has been dealt with: only the person's request replaces the session.
      if (snapshot.halted !== null || snapshot.rejection === null) return null
      return { kind: 'refused', refusal: snapshot.rejection }
    },
    halt(refusal, retryAt) {
      if (destroyed || snapshot.halted !== null) return
      // Published before the disconnect, whose events publish again: by then needsReload() must
      // already say that this refusal is dealt with.
      publish({ halted: { refusal, retryAt } })
      provider.disconnect()
    },
    tryAgain() {
      const halted = snapshot.halted
      if (destroyed || halted === null || requested !== null) return
      requested = { kind: 'retry', refusal: halted.refusal }
      publish({ reloading: true })
    },
    discardLocalChanges() {
      if (destroyed || requested !== null) return
      requested = { kind: 'discard' }
      publish({ reloading: true })
    },
    destroy,
    async discard() {
      destroy()
      // The cache closes its database once the doc is destroyed; only then can it be deleted.
      await cache?.destroy()
      await deleteDatabase(options.cacheName)
    },
    detach() {
      if (destroyed || detached) return
      // Published first: the disconnect below publishes the closed socket, which must already
      // read as "reloading", not as "offline".
      publish({ reloading: true })
      detached = true
      provider.disconnect()
    },
    ready() {
      if (synced) return Promise.resolve(true)
      if (destroyed) return Promise.resolve(false)
      return new Promise((resolve) => readyWaiters.push(resolve))
    },
    attachCache() {
      if (destroyed || cache !== null) return
      openCache()
    },
    get previousDoc() {
      return previousDoc
    },
    keepPrevious(previous, timeoutMs) {
      if (destroyed) return Promise.resolve('closed')
      previousDoc = previous
      return new Promise((resolve) => {
        const timer = setTimeout(() => letGo?.('timeout'), timeoutMs)
        letGo = (how) => {
          clearTimeout(timer)
          previousDoc = null
          letGo = null
          resolve(how)
        }
      })
    },
    releasePrevious() {
      letGo?.('released')
    },
  }

  function destroy(): void {
    if (destroyed) return
    destroyed = true
    listeners.clear()
    for (const resolve of readyWaiters.splice(0)) resolve(false)
    letGo?.('closed')
    window.removeEventListener('offline', restart)
    window.removeEventListener('online', onOnline)
    // Leave presence before the socket closes, so that others drop our caret at once.
    provider.awareness.setLocalState(null)
    provider.destroy()
    // Also destroys the awareness (its timer) and the offline cache (after its last write).
    doc.destroy()
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
    // Another tab still has it open: it is deleted once that tab closes it; do not wait.
    request.onblocked = () => resolve()
  })
}
