import { describe, expect, it } from 'vitest'
import { createSessionSlot } from './sessionSlot.ts'

type Refusal = { code: string }

/** A session stand-in: a refusal can be reported, and its fate (destroyed, discarded) is recorded. */
class FakeSession {
  readonly listeners = new Set<() => void>()
  refusal: Refusal | null = null
  destroyed = false
  discarded = false
  constructor(
    readonly reloadedAfter: Refusal | null,
    private readonly events: string[],
  ) {}
  needsReload(): Refusal | null {
    return this.refusal
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  refuse(refusal: Refusal): void {
    this.refusal = refusal
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
  const slot = createSessionSlot<FakeSession, Refusal>({
    open: (reloadedAfter) => {
      events.push('open')
      const session = new FakeSession(reloadedAfter, events)
      opened.push(session)
      return session
    },
    destroy: (session) => {
      session.destroyed = true
    },
  })
  return { slot, opened, events }
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
    expect(slot.current.reloadedAfter).toEqual({ code: 'locked' })
    expect(replaced).toEqual([opened[1]])
  })

  it('leaves a session without a refusal alone', async () => {
    const { slot, opened } = slotOf()
    for (const listener of slot.current.listeners) listener()
    await flush()
    expect(opened).toHaveLength(1)
  })

  it('replaces once, however many refusals arrive meanwhile, and watches the new session', async () => {
    const { slot, opened } = slotOf()
    const first = slot.current
    first.refuse({ code: 'locked' })
    first.refuse({ code: 'missing_dependencies' })
    await flush()
    expect(opened).toHaveLength(2)
    slot.current.refuse({ code: 'text_change_not_allowed' })
    await flush()
    expect(opened).toHaveLength(3)
    expect(slot.current.reloadedAfter).toEqual({ code: 'text_change_not_allowed' })
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
