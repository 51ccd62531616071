/**
 * Limits on failed sign-ins, per account (email) and per remote address, over a sliding window.
 * In memory: one server process holds all of them (a restart forgets them, which only gives an
 * attacker the same few attempts again).
 *
 * An attempt counts as a failure from the moment it starts and is taken back when it succeeds.
 * Counting only after the password check would let a burst of parallel attempts all pass the
 * check before the first one failed (argon2 takes tens of milliseconds each).
 */

export type SignInLimits = {
  windowMs: number
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
}

/** A started attempt; hand it back to `succeeded()` when the password was right. */
export type SignInTicket = {
  accountKey: string
  addressKey: string
  at: number
  /** Counted in Redis, shared by the nodes (SharedSignInLimiter.ts), not in this process. */
  shared?: true
}

export type SignInAttempt =
  | { ok: true; ticket: SignInTicket }
  | { ok: false; scope: 'account' | 'address'; retryAfterSec: number }

/** What the sign-in routes use: this class (one process), or the shared one (several nodes). */
export type SignInGuard = {
  begin(email: string, address: string): SignInAttempt | Promise<SignInAttempt>
  succeeded(ticket: SignInTicket): void | Promise<void>
}

/** Above this many tracked keys, expired ones are swept, then the oldest are dropped. */
const DEFAULT_MAX_KEYS = 100_000

export class SignInLimiter implements SignInGuard {
  /** Failure times per key, oldest first. */
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly limits: SignInLimits,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /**
   * Starts an attempt. Refused, without counting, when either key already has its maximum of
   * failures within the window; the caller must then not check the password at all.
   */
  begin(email: string, address: string): SignInAttempt {
    const now = this.now()
    const accountKey = `account:${email.trim().toLowerCase()}`
    const addressKey = `address:${address}`
    const account = this.recent(accountKey, now)
    const byAddress = this.recent(addressKey, now)
    const accountFull = account.length >= this.limits.maxFailuresPerAccount
    const addressFull = byAddress.length >= this.limits.maxFailuresPerAddress
    if (accountFull || addressFull) {
      // Wait until enough old failures leave the window for every full key.
      const waitMs = Math.max(
        accountFull ? this.waitMs(account, this.limits.maxFailuresPerAccount, now) : 0,
        addressFull ? this.waitMs(byAddress, this.limits.maxFailuresPerAddress, now) : 0,
      )
      return {
        ok: false,
        scope: accountFull ? 'account' : 'address',
        retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)),
      }
    }
    if (this.failures.size > this.maxKeys) this.sweep(now)
    this.push(accountKey, account, now)
    this.push(addressKey, byAddress, now)
    return { ok: true, ticket: { accountKey, addressKey, at: now } }
  }

  /**
   * The password was right: the attempt is not a failure. The account starts afresh; the
   * address keeps its other failures (one valid account must not unlock guessing at others).
   */
  succeeded(ticket: SignInTicket): void {
    this.failures.delete(ticket.accountKey)
    const byAddress = this.failures.get(ticket.addressKey)
    if (!byAddress) return
    const index = byAddress.lastIndexOf(ticket.at)
    if (index >= 0) byAddress.splice(index, 1)
    if (byAddress.length === 0) this.failures.delete(ticket.addressKey)
  }

  /** Number of keys tracked (for tests). */
  get size(): number {
    return this.failures.size
  }

  /** The key's failures still inside the window (older ones are dropped in place). */
  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key)
    if (!times) return []
    const cutoff = now - this.limits.windowMs
    let drop = 0
    while (drop < times.length && (times[drop] as number) <= cutoff) drop++
    if (drop > 0) times.splice(0, drop)
    if (times.length === 0) this.failures.delete(key)
    return times
  }

  private push(key: string, times: number[], now: number): void {
    times.push(now)
    // `recent` may have handed out a fresh array or dropped an emptied one: (re)attach it.
    this.failures.set(key, times)
  }

  /** How long until the key is below `max` again. */
  private waitMs(times: number[], max: number, now: number): number {
    // The failure that must leave the window is the one `max` places from the newest.
    const blocking = times[times.length - max] ?? now
    return blocking + this.limits.windowMs - now
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now)
    // Still too many (a spray of addresses or emails): forget the oldest keys, so that memory
    // stays bounded. Those keys lose their count, which is the lesser harm. Down to 90%, so that
    // the next sweep is thousands of attempts away rather than at the next one.
    const keep = Math.floor(this.maxKeys * 0.9)
    for (const key of this.failures.keys()) {
      if (this.failures.size <= keep) break
      this.failures.delete(key)
    }
  }
}
