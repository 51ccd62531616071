import { describe, expect, it } from 'vitest'
import { type SignInAttempt, SignInLimiter } from './SignInLimiter.ts'

const MINUTE = 60_000
const limits = { windowMs: 15 * MINUTE, maxFailuresPerAccount: 5, maxFailuresPerAddress: 20 }

function clock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

/** Starts an attempt and leaves it failed (nothing to do: it counts from the start). */
function fail(limiter: SignInLimiter, email: string, address: string): SignInAttempt {
  return limiter.begin(email, address)
}

describe('SignInLimiter', () => {
  it('refuses the 6th attempt on one account within the window, from any address', () => {
    const time = clock()
    const limiter = new SignInLimiter(limits, time.now)
    for (let i = 0; i < 5; i++) {
      expect(fail(limiter, 'siti@kp2mi.go.id', `10.0.0.${i}`).ok).toBe(true)
      time.advance(MINUTE)
    }
    const refused = limiter.begin('Siti@KP2MI.go.id ', '10.9.9.9')
    expect(refused).toEqual({ ok: false, scope: 'account', retryAfterSec: 10 * 60 })
    // Other accounts are not affected.
    expect(limiter.begin('budi@kemlu.go.id', '10.9.9.9').ok).toBe(true)
  })

  it('slides: each failure leaves the window 15 minutes after it happened', () => {
    const time = clock()
    const limiter = new SignInLimiter(limits, time.now)
    for (let i = 0; i < 5; i++) {
      fail(limiter, 'a@x.id', '10.0.0.1')
      time.advance(MINUTE)
    }
    // Now at +5 min; the first failure (at 0) leaves at +15 min.
    time.advance(10 * MINUTE - 1)
    expect(limiter.begin('a@x.id', '10.0.0.1')).toMatchObject({ ok: false, retryAfterSec: 1 })
    time.advance(1)
    expect(limiter.begin('a@x.id', '10.0.0.1').ok).toBe(true)
    // That attempt filled the slot again.
    expect(limiter.begin('a@x.id', '10.0.0.1').ok).toBe(false)
  })

  it('refuses an address after 20 failures over many accounts', () => {
    const limiter = new SignInLimiter(limits, clock().now)
    for (let i = 0; i < 20; i++) expect(fail(limiter, `user${i}@x.id`, '192.0.2.7').ok).toBe(true)
    expect(limiter.begin('someone-new@x.id', '192.0.2.7')).toMatchObject({
      ok: false,
      scope: 'address',
    })
    expect(limiter.begin('someone-new@x.id', '192.0.2.8').ok).toBe(true)
  })

  it('does not count a successful sign-in, and a success clears the account', () => {
    const limiter = new SignInLimiter(limits, clock().now)
    for (let i = 0; i < 4; i++) fail(limiter, 'a@x.id', '10.0.0.1')
    const attempt = limiter.begin('a@x.id', '10.0.0.1')
    if (!attempt.ok) throw new Error('expected the 5th attempt to be allowed')
    limiter.succeeded(attempt.ticket)
    // Five more failures are allowed before the account is refused again.
    for (let i = 0; i < 5; i++) expect(fail(limiter, 'a@x.id', '10.0.0.1').ok).toBe(true)
    expect(limiter.begin('a@x.id', '10.0.0.1').ok).toBe(false)
  })

  it('a success on one account does not clear the address', () => {
    const limiter = new SignInLimiter({ ...limits, maxFailuresPerAddress: 3 }, clock().now)
    fail(limiter, 'victim1@x.id', '10.0.0.1')
    fail(limiter, 'victim2@x.id', '10.0.0.1')
    const own = limiter.begin('attacker@x.id', '10.0.0.1')
    if (!own.ok) throw new Error('expected the attempt to be allowed')
    limiter.succeeded(own.ticket)
    expect(fail(limiter, 'victim3@x.id', '10.0.0.1').ok).toBe(true)
    expect(limiter.begin('victim4@x.id', '10.0.0.1').ok).toBe(false)
  })

  it('counts attempts still in flight, so a parallel burst cannot pass the check', () => {
    const limiter = new SignInLimiter(limits, clock().now)
    // Ten attempts started before any password check finished.
    const burst = Array.from({ length: 10 }, () => limiter.begin('a@x.id', '10.0.0.1'))
    expect(burst.filter((a) => a.ok)).toHaveLength(5)
  })

  it('keeps memory bounded under a spray of addresses', () => {
    const time = clock()
    const limiter = new SignInLimiter(limits, time.now, 1000)
    for (let i = 0; i < 5000; i++) limiter.begin(`u${i}@x.id`, `10.${i >> 8}.${i & 255}.1`)
    expect(limiter.size).toBeLessThanOrEqual(1002)
    // At the next sweep, expired keys go first: only the recent ones stay.
    time.advance(16 * MINUTE)
    for (let i = 0; i < 100; i++) limiter.begin(`late${i}@x.id`, `10.200.0.${i}`)
    expect(limiter.size).toBeLessThanOrEqual(200)
  })
})
