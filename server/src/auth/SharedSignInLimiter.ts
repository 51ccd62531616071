/**
 * Limits on failed sign-ins counted in Redis, shared by every node (decision 0018): with counts
 * in each process, an attacker spreading attempts over N nodes would get N times the attempts.
 * Same limits and window as SignInLimiter, and the same rules: an attempt counts from the moment
 * it starts (a parallel burst cannot pass the check), a refused one does not count, a success
 * takes its own attempt back and clears the account but not the address.
 *
 * A counter per account and per address (INCR), which expires a window after its first failure
 * (PEXPIRE): a fixed window rather than SignInLimiter's sliding one, so that Redis holds one
 * number per key, and Retry-After is the key's time to live. Check and count are one Lua script,
 * atomic in Redis, so two nodes cannot both pass the last free attempt.
 *
 * When Redis does not answer, the attempt is counted in this process instead (SignInLimiter),
 * and that is logged: during the outage each node limits on its own.
 */
import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { z } from 'zod'
import { type ThrottledWarning, throttledWarning } from '../cluster/throttledWarning.ts'
import type { Logger } from '../collab/types.ts'
import {
  type SignInAttempt,
  type SignInGuard,
  SignInLimiter,
  type SignInLimits,
  type SignInTicket,
} from './SignInLimiter.ts'

/**
 * KEYS: account, address. ARGV: window (ms), max per account, max per address.
 * Returns {1} when counted, or {0, account full (0/1), its ms left, address full, its ms left}.
 */
const BEGIN = `
local account = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
local accountFull = account >= tonumber(ARGV[2])
local addressFull = address >= tonumber(ARGV[3])
if accountFull or addressFull then
  return {0,
    accountFull and 1 or 0, accountFull and redis.call('PTTL', KEYS[1]) or 0,
    addressFull and 1 or 0, addressFull and redis.call('PTTL', KEYS[2]) or 0}
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  -- The window starts at the key's first failure; a key left without one gets one too.
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return {1}
`

/**
 * KEYS: account, address. The account starts afresh; the address loses this one attempt only
 * (one valid account must not unlock guessing at others). DECR only on a key that exists: on a
 * missing one it would make a key of -1 without expiry.
 */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 and redis.call('DECR', KEYS[2]) <= 0 then
  redis.call('DEL', KEYS[2])
end
return 1
`

const beginReplySchema = z.union([
  z.tuple([z.literal(1)]),
  z.tuple([z.literal(0), z.number(), z.number(), z.number(), z.number()]),
])

export type SharedSignInLimiterOptions = {
  /** A connection that fails at once while Redis is away (ClusterBus.commands). */
  redis: Redis
  /** Starts every key (the bus's prefix, e.g. `kartu:`). */
  keyPrefix: string
  logger: Logger
}

export class SharedSignInLimiter implements SignInGuard {
  /** Where attempts are counted while Redis does not answer. */
  private readonly local: SignInLimiter
  private readonly warn: ThrottledWarning

  constructor(
    private readonly limits: SignInLimits,
    private readonly options: SharedSignInLimiterOptions,
  ) {
    this.local = new SignInLimiter(limits)
    this.warn = throttledWarning(options.logger)
  }

  async begin(email: string, address: string): Promise<SignInAttempt> {
    const accountKey = this.key('account', email.trim().toLowerCase())
    const addressKey = this.key('address', address)
    let reply: z.infer<typeof beginReplySchema>
    try {
      reply = beginReplySchema.parse(
        await this.options.redis.eval(
          BEGIN,
          2,
          accountKey,
          addressKey,
          this.limits.windowMs,
          this.limits.maxFailuresPerAccount,
          this.limits.maxFailuresPerAddress,
        ),
      )
    } catch (error) {
      this.warn({ err: error }, 'Redis unreachable: failed sign-ins counted by this node alone')
      return this.local.begin(email, address)
    }
    if (reply[0] === 1) {
      return { ok: true, ticket: { accountKey, addressKey, at: Date.now(), shared: true } }
    }
    const [, accountFull, accountMs, addressFull, addressMs] = reply
    // Wait until every full key's window is over.
    const waitMs = Math.max(accountFull ? accountMs : 0, addressFull ? addressMs : 0)
    return {
      ok: false,
      scope: accountFull ? 'account' : 'address',
      retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)),
    }
  }

  async succeeded(ticket: SignInTicket): Promise<void> {
    if (!ticket.shared) {
      this.local.succeeded(ticket)
      return
    }
    try {
      await this.options.redis.eval(SUCCEEDED, 2, ticket.accountKey, ticket.addressKey)
    } catch (error) {
      // The attempt stays counted until its window ends: the lesser harm.
      this.warn({ err: error }, 'Redis unreachable: a successful sign-in still counts as failed')
    }
  }

  /**
   * Hashed: Redis is shared infrastructure, its memory and dumps are not the database's, and
   * they should not hold people's e-mail and network addresses; a key is also of one length
   * whatever was typed.
   */
  private key(scope: 'account' | 'address', value: string): string {
    const digest = createHash('sha256').update(value).digest('base64url').slice(0, 32)
    return `${this.options.keyPrefix}signin:${scope}:${digest}`
  }
}

/** Counts in Redis when the nodes share a bus; in this process otherwise (one process). */
export function signInLimiterFor(
  limits: SignInLimits,
  bus: { commands: Redis; prefix: string } | null,
  logger: Logger,
): SignInGuard {
  if (!bus) return new SignInLimiter(limits)
  return new SharedSignInLimiter(limits, { redis: bus.commands, keyPrefix: bus.prefix, logger })
}
