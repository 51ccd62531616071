import { describe, expect, it } from 'vitest'
import { createSessionSlot, type ReloadCause } from './sessionSlot.ts'

type Refusal = { code: string }

/** A session stand-in: a refusal or a request can be reported, and its fate is recorded. */
class FakeSession {
  readonly listeners = new Set<() => void>()
  cause: ReloadCause<Refusal> | null = null
  destroyed = false
  discarded = false
  halted: { refusal: Refusal; retryAt: number } | null = null
  constructor(
    readonly openedBecause: ReloadCause<Refusal> | null,
    private readonly events: string[],
  ) {}
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

function slotOf() {
  const events: string[] = []
  const opened: FakeSession[] = []
  const clock = { now: 1_000_000 }
  const slot = createSessionSlot<FakeSession, Refusal>({
    open: (cause) => {
      events.push('open')
      const session = new FakeSession(cause, events)
      opened.push(session)
      return session
    },
    destroy: (session) => {
      session.destroyed = true
    },
    now: () => clock.now,
  })
  return { slot, opened, events, clock }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('createSessionSlot', () => {
  it('replaces a refused session with a fresh one, after its cache is gone', async () => {
    const { slot, opened, events } = slotOf()
    const replaced: FakeSession[] = []
    slot.onReplace((next) => replaced.push(next))
    const first = slot.current
    first.refuse({ code: 'locked' })
    await flush()
    expect(first.discarded).toBe(true)
    expect(events).toEqual(['open', 'discard', 'open'])
    expect(slot.current).toBe(opened[1])
    expect(slot.current.openedBecause).toEqual({ kind: 'refused', refusal: { code: 'locked' } })
    expect(replaced).toEqual([opened[1]])
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
    expect(events).toEqual(['open', 'discard', 'open', 'halt'])
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

  it('opens nothing new when closed during a replacement, and closes normally otherwise', async () => {
    const { slot, opened } = slotOf()
    slot.current.refuse({ code: 'locked' })
    slot.close()
    await flush()
    expect(opened).toHaveLength(1)

    const other = slotOf()
    other.slot.close()
    expect(other.opened[0]?.destroyed).toBe(true)
    expect(other.opened[0]?.discarded).toBe(false)
  })
})
