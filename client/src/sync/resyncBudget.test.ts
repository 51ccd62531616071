import { describe, expect, it } from 'vitest'
import { RESYNC_LIMITS, ResyncBudget } from './resyncBudget.ts'

function budgetAt(start = 1_000_000) {
  let now = start
  const budget = new ResyncBudget({}, () => now)
  return {
    budget,
    get now() {
      return now
    },
    advance(ms: number) {
      now += ms
    },
  }
}

describe('ResyncBudget', () => {
  it('reloads after a first refusal', () => {
    const clock = budgetAt()
    expect(clock.budget.refused({ openedAt: clock.now - 50, afterRefusal: false })).toEqual({
      resync: true,
    })
  })

  it('halts when the session opened after a refusal is refused at once, retry after 30 s', () => {
    const clock = budgetAt()
    clock.budget.refused({ openedAt: clock.now - 50, afterRefusal: false })
    const opened = clock.now
    clock.advance(40)
    expect(clock.budget.refused({ openedAt: opened, afterRefusal: true })).toEqual({
      resync: false,
      retryAt: clock.now + 30_000,
    })
  })

  it('reloads a session opened after a refusal that lived past the quick window', () => {
    const clock = budgetAt()
    clock.budget.refused({ openedAt: clock.now, afterRefusal: false })
    const opened = clock.now
    clock.advance(RESYNC_LIMITS.quickRefusalMs)
    expect(clock.budget.refused({ openedAt: opened, afterRefusal: true }).resync).toBe(true)
  })

  it('allows at most 3 resyncs a minute, then halts until the window has room', () => {
    const clock = budgetAt()
    const decisions: boolean[] = []
    for (let i = 0; i < 5; i++) {
      // Each session lived 11 s: none was refused "at once".
      decisions.push(
        clock.budget.refused({ openedAt: clock.now - 11_000, afterRefusal: i > 0 }).resync,
      )
      clock.advance(11_000)
    }
    expect(decisions).toEqual([true, true, true, false, false])
    // A minute after the first resync, one more fits.
    clock.advance(60_000)
    expect(clock.budget.refused({ openedAt: clock.now - 11_000, afterRefusal: true }).resync).toBe(
      true,
    )
  })

  it('doubles the wait after each halt in a row, up to 5 minutes', () => {
    const clock = budgetAt()
    clock.budget.refused({ openedAt: clock.now, afterRefusal: false })
    const waits: number[] = []
    for (let i = 0; i < 7; i++) {
      const opened = clock.now
      clock.advance(100)
      const decision = clock.budget.refused({ openedAt: opened, afterRefusal: true })
      if (decision.resync) throw new Error('expected a halt')
      waits.push(decision.retryAt - clock.now)
      // The person waits, then tries again: a requested reload.
      clock.advance(decision.retryAt - clock.now)
      clock.budget.requested()
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000])
  })

  it('starts the wait over after a healthy session', () => {
    const clock = budgetAt()
    clock.budget.refused({ openedAt: clock.now, afterRefusal: false })
    clock.advance(100)
    const first = clock.budget.refused({ openedAt: clock.now - 100, afterRefusal: true })
    expect(first).toEqual({ resync: false, retryAt: clock.now + 30_000 })
    clock.advance(30_000)
    clock.budget.requested()
    // The retried session works for an hour, then is refused (the card got locked, say): a
    // resync, and if the fresh session is refused at once, the wait is 30 s again.
    const retried = clock.now
    clock.advance(3_600_000)
    expect(clock.budget.refused({ openedAt: retried, afterRefusal: true }).resync).toBe(true)
    const opened = clock.now
    clock.advance(200)
    expect(clock.budget.refused({ openedAt: opened, afterRefusal: true })).toEqual({
      resync: false,
      retryAt: clock.now + 30_000,
    })
  })

  it('counts requested reloads in the window', () => {
    const clock = budgetAt()
    clock.budget.requested()
    clock.budget.requested()
    clock.budget.requested()
    expect(clock.budget.refused({ openedAt: clock.now - 20_000, afterRefusal: false }).resync).toBe(
      false,
    )
  })

  it('takes other limits', () => {
    let now = 0
    const budget = new ResyncBudget(
      { perWindow: 1, firstRetryMs: 1000, maxRetryMs: 1500 },
      () => now,
    )
    expect(budget.refused({ openedAt: -20_000, afterRefusal: false }).resync).toBe(true)
    now = 20_000
    expect(budget.refused({ openedAt: 0, afterRefusal: false })).toEqual({
      resync: false,
      retryAt: 21_000,
    })
    now = 21_000
    expect(budget.refused({ openedAt: 20_500, afterRefusal: true })).toEqual({
      resync: false,
      retryAt: 22_500,
    })
  })
})
