/**
 * Reconnecting with jittered exponential backoff, so that after a server restart a hundred open
 * tabs do not all come back in the same instant.
 *
 * y-websocket 3.1 retries after min(2^n * 100, maxBackoffTime) ms with no jitter: every client
 * dropped by the same restart retries in lock-step. We use "decorrelated jitter" (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"): each delay is drawn uniformly between a floor and three
 * times the previous delay, capped. The first retry is spread over 0.5-2 s.
 *
 * No DOM here: the same module drives a WebsocketProvider in Node (see
 * server/test/reconnect.test.ts).
 */
import type { WebsocketProvider } from 'y-websocket'

export type BackoffOptions = {
  /** No retry sooner than this (ms). */
  minMs?: number
  /** The first retry is drawn from [minMs, firstMaxMs]. */
  firstMaxMs?: number
  /** No delay longer than this (ms). */
  capMs?: number
  /** A number in [0, 1); Math.random by default (tests pass a seeded one). */
  random?: () => number
}

export const DEFAULT_BACKOFF = { minMs: 500, firstMaxMs: 2000, capMs: 30_000 } as const

export class JitteredBackoff {
  readonly #minMs: number
  readonly #firstMaxMs: number
  readonly #capMs: number
  readonly #random: () => number
  #previous = 0
  #attempts = 0

  constructor(options: BackoffOptions = {}) {
    this.#minMs = options.minMs ?? DEFAULT_BACKOFF.minMs
    this.#capMs = Math.max(this.#minMs, options.capMs ?? DEFAULT_BACKOFF.capMs)
    this.#firstMaxMs = Math.min(
      this.#capMs,
      Math.max(this.#minMs, options.firstMaxMs ?? DEFAULT_BACKOFF.firstMaxMs),
    )
    this.#random = options.random ?? Math.random
  }

  /** Retries since the last reset. */
  get attempts(): number {
    return this.#attempts
  }

  /** The delay before the next retry (ms), and counts that retry. */
  next(): number {
    const upper =
      this.#attempts === 0
        ? this.#firstMaxMs
        : Math.min(this.#capMs, Math.max(this.#firstMaxMs, this.#previous * 3))
    const delay = Math.min(this.#capMs, this.#minMs + this.#random() * (upper - this.#minMs))
    this.#previous = delay
    this.#attempts++
    return Math.round(delay)
  }

  /** After a connection that worked: the next retry is a first one again. */
  reset(): void {
    this.#previous = 0
    this.#attempts = 0
  }
}

/**
 * y-websocket computes its retry delay as min(2^n * 100, maxBackoffTime) right after it emits
 * 'connection-close', with n = ++wsUnsuccessfulReconnects. Pinning n this high makes the first
 * term astronomically large, so maxBackoffTime alone (which we set just before) decides.
 */
const PINNED_UNSUCCESSFUL_RECONNECTS = 40

export type JitteredReconnect = {
  readonly backoff: JitteredBackoff
  /** The delay chosen for the retry now pending, or null (connected, or not retrying). */
  readonly pendingDelayMs: number | null
  /** Forget past failures (e.g. the network just came back): the next retry is a first one. */
  reset(): void
  /** Stop steering the provider; it falls back to y-websocket's own backoff. */
  detach(): void
}

/**
 * Makes a WebsocketProvider retry with jittered backoff. Everything else stays y-websocket's:
 * no retry after a final close (4400-4499, see its shouldReconnect) nor after disconnect(), and
 * provider.connect() still connects at once (the caller does that on the browser's 'online').
 */
export function attachJitteredReconnect(
  provider: WebsocketProvider,
  options: BackoffOptions = {},
): JitteredReconnect {
  const backoff = new JitteredBackoff(options)
  let pendingDelayMs: number | null = null
  const onClose = (): void => {
    // provider.disconnect() clears shouldConnect before closing: no retry follows, so no delay is
    // drawn. (After a final close y-websocket clears it only after this event: the delay we set
    // is then ignored, because its retry does nothing without shouldConnect.)
    if (!provider.shouldConnect) {
      pendingDelayMs = null
      return
    }
    pendingDelayMs = backoff.next()
    provider.maxBackoffTime = pendingDelayMs
    provider.wsUnsuccessfulReconnects = PINNED_UNSUCCESSFUL_RECONNECTS
  }
  const onStatus = ({ status }: { status: string }): void => {
    if (status !== 'disconnected') pendingDelayMs = null
  }
  const onSync = (synced: boolean): void => {
    // The same rule as y-websocket's: only a connection that synced did useful work.
    if (synced) backoff.reset()
  }
  provider.on('connection-close', onClose)
  provider.on('status', onStatus)
  provider.on('sync', onSync)
  return {
    backoff,
    get pendingDelayMs() {
      return pendingDelayMs
    },
    reset: () => backoff.reset(),
    detach() {
      provider.off('connection-close', onClose)
      provider.off('status', onStatus)
      provider.off('sync', onSync)
    },
  }
}
