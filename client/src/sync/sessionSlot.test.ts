import { describe, expect, it } from 'vitest'
import { createSessionSlot, type ReloadCause } from './sessionSlot.ts'

type Refusal = { code: string }

/** A session stand-in: a refusal or a request can be reported, and its fate is recorded. */
class FakeSession {
  readonly listeners = new Set<() => void>()
  cause: ReloadCause<Refusal> | null = null
  destroyed = false
  discarded = false
  detached = false
  cacheAttached: boolean
  halted: { refusal: Refusal; retryAt: number } | null = null
  #ready: (ok: boolean) => void = () => {}
  readonly #readyPromise = new Promise<boolean>((resolve) => {
    this.#ready = resolve
  })
  constructor(
    readonly openedBecause: ReloadCause<Refusal> | null,
    private readonly events: string[],
  ) {
    // A replacement opens without its cache: the old session's holds what was refused.
    this.cacheAttached = openedBecause === null
  }
  /** The server's document arrived. */
  sync(): void {
    this.events.push('synced')
    this.#ready(true)
  }
  ready(): Promise<boolean> {
    return this.#readyPromise
  }
  detach(): void {
    this.events.push('detach')
    this.detached = true
  }
  attachCache(): void {
    this.events.push('attach')
    this.cacheAttached = true
  }
  close(): void {
    this.destroyed = true
    this.#ready(false)
  }
  needsReload(): ReloadCause<Refusal> | null {
    // Like the real session: once halted, only a request of the person counts.
    if (this.halted && this.cause?.kind === 'refused') return null
    return this.cause
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  report(cause: ReloadCause<Refusal>): void {
    this.cause = cause
    for (const listener of [...this.listeners]) listener()
  }
  refuse(refusal: Refusal): void {
    this.report({ kind: 'refused', refusal })
  }
  halt(refusal: Refusal, retryAt: number): void {
    this.events.push('halt')
    this.halted = { refusal, retryAt }
    for (const listener of [...this.listeners]) listener()
  }
  async discard(): Promise<void> {
    this.events.push('discard')
    this.discarded = true
  }
}

type Options = {
  /** Replacements sync by themselves (the server answers at once). */
  autoSync?: boolean
  /** What the page does with the old session (default: carries it over at once). */
  handOver?: (next: FakeSession, previous: FakeSession) => Promise<boolean>
}

function slotOf({ autoSync = true, handOver }: Options = {}) {
  const events: string[] = []
  const opened: FakeSession[] = []
  const clock = { now: 1_000_000 }
  const slot = createSessionSlot<FakeSession, Refusal>({
    open: (cause) => {
      events.push('open')
      const session = new FakeSession(cause, events)
      opened.push(session)
      if (cause !== null && autoSync) queueMicrotask(() => session.sync())
      return session
    },
    destroy: (session) => {
      events.push('destroy')
      session.close()
    },
    handOver: async (next, previous) => {
      events.push('hand over')
      return handOver ? handOver(next, previous) : true
    },
    now: () => clock.now,
  })
  return { slot, opened, events, clock }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createSessionSlot', () => {
  it('replaces a refused session once the fresh one is synced, and its cache only after the hand-over', async () => {
    const { slot, opened, events } = slotOf({ autoSync: false })
    const replaced: Array<[FakeSession, FakeSession]> = []
    slot.onReplace((next, previous) => replaced.push([next, previous]))
    const first = slot.current
    first.refuse({ code: 'locked' })
    await flush()
    // The old session stops sending at once, but stays (and stays current) until the fresh one
    // has the server's document.
    expect(first.detached).toBe(true)
    expect(first.discarded).toBe(false)
    expect(slot.current).toBe(first)
    expect(replaced).toEqual([])
    expect(opened[1]?.cacheAttached).toBe(false)

    opened[1]?.sync()
    await flush()
    expect(slot.current).toBe(opened[1])
    expect(slot.current.openedBecause).toEqual({ kind: 'refused', refusal: { code: 'locked' } })
    expect(replaced).toEqual([[opened[1], first]])
    expect(events).toEqual(['open', 'detach', 'open', 'synced', 'hand over', 'discard', 'attach'])
    expect(first.discarded).toBe(true)
    expect(opened[1]?.cacheAttached).toBe(true)
  })

  it('keeps the old document until the page has read it', async () => {
    let release: (carried: boolean) => void = () => {}
    const { slot, opened, events } = slotOf({
      handOver: () => new Promise((resolve) => (release = resolve)),
    })
    const first = slot.current
    first.refuse({ code: 'locked' })
    await flush()
    expect(slot.current).toBe(opened[1])
    expect(first.discarded).toBe(false)
    expect(opened[1]?.cacheAttached).toBe(false)
    release(true)
    await flush()
    expect(first.discarded).toBe(true)
    expect(events.slice(-2)).toEqual(['discard', 'attach'])
  })

  it('keeps the old cache when nothing carried the old document over (closed meanwhile)', async () => {
    let release: (carried: boolean) => void = () => {}
    const { slot, opened } = slotOf({
      handOver: () => new Promise((resolve) => (release = resolve)),
    })
    const first = slot.current
    first.refuse({ code: 'locked' })
    await flush()
    slot.close()
    release(false)
    await flush()
    expect(first.discarded).toBe(false)
    expect(first.destroyed).toBe(true)
    expect(opened[1]?.destroyed).toBe(true)
    expect(opened[1]?.cacheAttached).toBe(false)
  })

  it('leaves a session without a refusal alone', async () => {
    const { slot, opened } = slotOf()
    for (const listener of slot.current.listeners) listener()
    await flush()
    expect(opened).toHaveLength(1)
  })

  it('replaces once, however many refusals arrive meanwhile', async () => {
    const { slot, opened } = slotOf()
    const first = slot.current
    first.refuse({ code: 'locked' })
    first.refuse({ code: 'missing_dependencies' })
    await flush()
    expect(opened).toHaveLength(2)
  })

  it('halts, instead of looping, when the fresh session is refused at once', async () => {
    const { slot, opened, events, clock } = slotOf()
    slot.current.refuse({ code: 'read_only' })
    await flush()
    clock.now += 50
    const second = slot.current
    second.refuse({ code: 'read_only' })
    await flush()
    expect(opened).toHaveLength(2)
    expect(events).toEqual([
      'open',
      'detach',
      'open',
      'synced',
      'hand over',
      'discard',
      'attach',
      'halt',
    ])
    expect(second.halted).toEqual({ refusal: { code: 'read_only' }, retryAt: clock.now + 30_000 })
    expect(second.discarded).toBe(false)
    // Further refusals (there should be none: the provider is disconnected) change nothing.
    second.refuse({ code: 'read_only' })
    await flush()
    expect(opened).toHaveLength(2)
    expect(events.filter((event) => event === 'halt')).toHaveLength(1)
  })

  it('tries again when asked: a fresh session, and a halt with a doubled wait if refused again', async () => {
    const { slot, opened, clock } = slotOf()
    slot.current.refuse({ code: 'read_only' })
    await flush()
    clock.now += 50
    slot.current.refuse({ code: 'read_only' })
    await flush()
    clock.now += 30_000
    const halted = slot.current
    halted.report({ kind: 'retry', refusal: { code: 'read_only' } })
    await flush()
    expect(opened).toHaveLength(3)
    expect(halted.discarded).toBe(true)
    expect(slot.current.openedBecause?.kind).toBe('retry')
    clock.now += 100
    slot.current.refuse({ code: 'read_only' })
    await flush()
    expect(opened).toHaveLength(3)
    expect(slot.current.halted?.retryAt).toBe(clock.now + 60_000)
  })

  it('reloads when the person discards what the server cannot take, and a refusal then resyncs', async () => {
    const { slot, opened, clock } = slotOf()
    const first = slot.current
    first.report({ kind: 'discard' })
    await flush()
    expect(first.discarded).toBe(true)
    expect(slot.current.openedBecause).toEqual({ kind: 'discard' })
    // A session opened after a discard was not opened after a refusal: one resync is fine.
    clock.now += 50
    slot.current.refuse({ code: 'locked' })
    await flush()
    expect(opened).toHaveLength(3)
    expect(opened[1]?.halted).toBeNull()
  })

  it('gives up a replacement closed before it synced, keeping the old cache', async () => {
    const { slot, opened } = slotOf({ autoSync: false })
    const first = slot.current
    first.refuse({ code: 'locked' })
    await flush()
    expect(opened).toHaveLength(2)
    slot.close()
    await flush()
    expect(opened[1]?.destroyed).toBe(true)
    expect(first.destroyed).toBe(true)
    expect(first.discarded).toBe(false)
    expect(slot.current).toBe(first)

    const other = slotOf()
    other.slot.close()
    expect(other.opened[0]?.destroyed).toBe(true)
    expect(other.opened[0]?.discarded).toBe(false)
  })
})
