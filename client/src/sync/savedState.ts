/**
 * The saved-state tracker: answers "is every change I made stored on the server?" from the events
 * of one document's connection. Pure (no DOM, no Yjs), so that it can be tested event by event.
 *
 * The server acknowledges document-changing messages (Sync Step2 and Sync Update) by their number
 * on the current connection: Persisted(seq) means that messages 1..seq are durably stored. Each
 * local change is therefore "covered by" the number of the first document-changing message sent
 * after it, and it is saved once a Persisted with that number or higher arrives.
 *
 *   localChange()      a Yjs update made here (not from the network, not from the offline cache)
 *   messageSent()      a frame left on the websocket; only document-changing ones are numbered
 *   persisted(seq)     the server stored messages 1..seq of this connection
 *   rejected(seq)      the server refused message seq; its changes will never be stored
 *   connected()        the websocket opened; numbering restarts at 1
 *   synced()           the server's Sync Step2 arrived: we hold everything the server holds
 *   disconnected()     the websocket closed (or failed to open)
 *   restore(count)     changes left unsaved by an earlier page (counted in localStorage), whose
 *                      content the offline cache restored: the next Sync Step2 covers them
 */

export const SaveState = {
  /** Not connected yet, no attempt has failed yet, and nothing to save. */
  Connecting: 'connecting',
  /** Connected, synced, and the server has stored every local change. */
  Saved: 'saved',
  /** Connected, and some local change is not acknowledged as stored yet. */
  Saving: 'saving',
  /** Not connected (after an attempt), or not connected with changes to save. */
  Offline: 'offline',
} as const
export type SaveState = (typeof SaveState)[keyof typeof SaveState]

export type SavedStateSnapshot = {
  readonly state: SaveState
  /** Local changes that the server has not acknowledged as stored. */
  readonly pending: number
  /**
   * When the oldest of the pending changes was made (ms, the tracker's clock), or null. While
   * connected, a change that waits long means the server cannot store it (a full disk, say):
   * the status then says so instead of "Saving…" forever.
   */
  readonly waitingSince: number | null
}

type LocalChange = {
  /** The number of the document-changing message that carries this change, or null if unsent. */
  coveredBy: number | null
  /** When it was made (or, for a restored one, found again). */
  at: number
  /** Made by an earlier page (before a reload), restored from the offline cache. */
  restored?: true
}

export class SavedStateTracker {
  #changes: LocalChange[] = []
  /** Document-changing messages sent on the current connection. */
  #sentSeq = 0
  #connected = false
  #synced = false
  /** A connection has been opened, or has failed to open, at least once. */
  #attempted = false
  #snapshot: SavedStateSnapshot = { state: SaveState.Connecting, pending: 0, waitingSince: null }
  readonly #onChange: ((snapshot: SavedStateSnapshot) => void) | undefined
  readonly #now: () => number

  constructor(onChange?: (snapshot: SavedStateSnapshot) => void, now: () => number = Date.now) {
    this.#onChange = onChange
    this.#now = now
  }

  /** The current state; a new object only when something visible changed. */
  get snapshot(): SavedStateSnapshot {
    return this.#snapshot
  }

  localChange(): void {
    this.#changes.push({ coveredBy: null, at: this.#now() })
    this.#update()
  }

  /**
   * Reports one frame sent on the websocket. `step2CarriesContent` is true when a Sync Step2 holds
   * structs the server lacks: content restored from the offline cache (for example edits made
   * offline before the page was reloaded) that no localChange() of this session describes.
   */
  messageSent(isSyncStep2OrUpdate: boolean, isStep2: boolean, step2CarriesContent = false): void {
    if (!isSyncStep2OrUpdate) return
    // Content from the cache that restore() already counts is not counted a second time.
    const counted = this.#changes.some((change) => change.restored && change.coveredBy === null)
    if (isStep2 && step2CarriesContent && !counted) {
      this.#changes.push({ coveredBy: null, at: this.#now() })
    }
    this.#sentSeq++
    for (const change of this.#changes) {
      if (change.coveredBy === null) change.coveredBy = this.#sentSeq
    }
    this.#update()
  }

  /**
   * Counts `count` changes made before this page loaded (a reload while offline) as pending, so
   * that the status still says how much is unsaved. Like content found in a Step2, they are
   * covered by the next Sync Step2, which carries everything the server lacks.
   */
  restore(count: number): void {
    if (!Number.isInteger(count) || count <= 0) return
    const at = this.#now()
    for (let i = 0; i < count; i++) this.#changes.push({ coveredBy: null, at, restored: true })
    this.#update()
  }

  persisted(seq: number): void {
    this.#changes = this.#changes.filter(
      (change) => change.coveredBy === null || change.coveredBy > seq,
    )
    this.#update()
  }

  /**
   * The server refused message `seq`: the changes it carried will not be stored however often we
   * resend them, so they stop counting as pending. Returns how many changes that were.
   */
  rejected(seq: number): number {
    const before = this.#changes.length
    this.#changes = this.#changes.filter((change) => change.coveredBy !== seq)
    this.#update()
    return before - this.#changes.length
  }

  connected(): void {
    // Both sides count from 1 on each connection (see @kartu/protocol wire.ts).
    this.#sentSeq = 0
    this.#connected = true
    this.#synced = false
    this.#attempted = true
    this.#update()
  }

  synced(): void {
    this.#synced = true
    this.#update()
  }

  disconnected(): void {
    // Acknowledgements for messages of the closed connection will never come. The next
    // connection's Sync Step2 (y-websocket always sends one in reply to the server's Step1) holds
    // everything the server lacks, so it covers these changes again.
    this.#sentSeq = 0
    for (const change of this.#changes) change.coveredBy = null
    this.#connected = false
    this.#synced = false
    this.#attempted = true
    this.#update()
  }

  #compute(): SaveState {
    const pending = this.#changes.length
    if (!this.#connected) {
      return this.#attempted || pending > 0 ? SaveState.Offline : SaveState.Connecting
    }
    if (pending > 0) return SaveState.Saving
    return this.#synced ? SaveState.Saved : SaveState.Connecting
  }

  #update(): void {
    const state = this.#compute()
    const pending = this.#changes.length
    // Changes are kept in the order they were made: the first is the oldest.
    const waitingSince = this.#changes[0]?.at ?? null
    const same = this.#snapshot
    if (state === same.state && pending === same.pending && waitingSince === same.waitingSince) {
      return
    }
    this.#snapshot = { state, pending, waitingSince }
    this.#onChange?.(this.#snapshot)
  }
}
