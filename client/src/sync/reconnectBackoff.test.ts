import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { attachJitteredReconnect, DEFAULT_BACKOFF, JitteredBackoff } from './reconnectBackoff.ts'

/** A small deterministic generator (mulberry32), so that the spread checks never flake. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('JitteredBackoff', () => {
  it('spreads the first retry over 0.5-2 s', () => {
    const random = seeded(1)
    const firsts = Array.from({ length: 1000 }, () => new JitteredBackoff({ random }).next())
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(500)
    expect(Math.max(...firsts)).toBeLessThanOrEqual(2000)
    // Spread out, not bunched: every quarter of the range gets a fair share.
    for (let quarter = 0; quarter < 4; quarter++) {
      const from = 500 + quarter * 375
      const inQuarter = firsts.filter((delay) => delay >= from && delay < from + 375).length
      expect(inQuarter).toBeGreaterThan(150)
    }
  })

  it('grows while failures go on, never beyond the cap, never below the floor', () => {
    const backoff = new JitteredBackoff({ random: seeded(2) })
    const delays = Array.from({ length: 200 }, () => backoff.next())
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.minMs)
    expect(Math.max(...delays)).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs)
    const late = delays.slice(100)
    const mean = late.reduce((sum, delay) => sum + delay, 0) / late.length
    expect(mean).toBeGreaterThan(8000)
    expect(backoff.attempts).toBe(200)
  })

  it('follows the extremes of its random source', () => {
    const high = new JitteredBackoff({ random: () => 0.999999 })
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([
      2000, 6000, 18_000, 30_000, 30_000,
    ])
    const low = new JitteredBackoff({ random: () => 0 })
    expect([low.next(), low.next()]).toEqual([500, 500])
  })

  it('starts over after a reset', () => {
    const backoff = new JitteredBackoff({ random: () => 0.999999 })
    backoff.next()
    backoff.next()
    backoff.reset()
    expect(backoff.attempts).toBe(0)
    expect(backoff.next()).toBe(2000)
  })
})

type FakeCloseEvent = { code: number; reason: string }

/** Stands in for WebSocket: records each connection attempt; the test opens or closes it. */
class FakeSocket {
  static created: FakeSocket[] = []
  readonly OPEN = 1
  readyState = 0
  binaryType = 'blob'
  onopen: (() => void) | null = null
  onclose: ((event: FakeCloseEvent) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onmessage: ((event: unknown) => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.created.push(this)
  }
  send(): void {}
  close(): void {
    this.readyState = 3
  }
  fail(code = 1006): void {
    this.readyState = 3
    this.onclose?.({ code, reason: '' })
  }
}

const lastSocket = (): FakeSocket => {
  const socket = FakeSocket.created.at(-1)
  if (!socket) throw new Error('no socket yet')
  return socket
}

describe('attachJitteredReconnect', () => {
  let doc: Y.Doc
  let provider: WebsocketProvider

  beforeEach(() => {
    vi.useFakeTimers()
    FakeSocket.created = []
    doc = new Y.Doc()
    provider = new WebsocketProvider('ws://kartu.test/collab', 'card:CC-01', doc, {
      connect: false,
      disableBc: true,
      WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
    })
  })
  afterEach(() => {
    provider.destroy()
    doc.destroy()
    vi.useRealTimers()
  })

  it('retries after the jittered delay instead of y-websocket’s fixed one', () => {
    const delays = [0.5, 0.999999, 0.1]
    const reconnect = attachJitteredReconnect(provider, {
      random: () => delays.shift() ?? 0,
    })
    provider.connect()
    expect(FakeSocket.created).toHaveLength(1)

    lastSocket().fail()
    expect(reconnect.pendingDelayMs).toBe(1250) // 500 + 0.5 * 1500
    vi.advanceTimersByTime(1249)
    expect(FakeSocket.created).toHaveLength(1) // stock y-websocket would have retried at 200 ms
    vi.advanceTimersByTime(1)
    expect(FakeSocket.created).toHaveLength(2)
    expect(reconnect.pendingDelayMs).toBeNull()

    lastSocket().fail()
    expect(reconnect.pendingDelayMs).toBe(3750) // up to 3 x 1250
    vi.advanceTimersByTime(3749)
    expect(FakeSocket.created).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.created).toHaveLength(3)
  })

  it('does not reconnect after a final close (4400-4499) or a local disconnect', () => {
    const reconnect = attachJitteredReconnect(provider, { random: () => 0 })
    const closed: number[] = []
    provider.on('closed', (event) => closed.push(event.code))
    provider.connect()
    lastSocket().fail(4401)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.created).toHaveLength(1)
    expect(closed).toEqual([4401])

    provider.connect() // a deliberate connect (signed in again) still works
    expect(FakeSocket.created).toHaveLength(2)
    provider.disconnect()
    expect(reconnect.pendingDelayMs).toBeNull()
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.created).toHaveLength(2)
  })

  it('connects at once on provider.connect() while a retry is pending (the online event)', () => {
    attachJitteredReconnect(provider, { random: () => 0.999999 })
    provider.connect()
    lastSocket().fail()
    // What syncSession does on the browser's 'online' event.
    provider.disconnect()
    provider.connect()
    expect(FakeSocket.created).toHaveLength(2)
    // The retry that was pending finds a socket and does nothing.
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.created).toHaveLength(2)
  })

  it('starts over after a connection that synced', () => {
    const reconnect = attachJitteredReconnect(provider, { random: () => 0.999999 })
    provider.connect()
    lastSocket().fail()
    vi.advanceTimersByTime(2000)
    lastSocket().fail()
    expect(reconnect.pendingDelayMs).toBe(6000)
    vi.advanceTimersByTime(6000)
    provider.synced = true
    lastSocket().fail()
    expect(reconnect.pendingDelayMs).toBe(2000)
  })
})
