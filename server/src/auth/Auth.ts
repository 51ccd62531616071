/**
 * Who is asking: resolves a session cookie, a bearer token, or a `?token=` on a websocket upgrade
 * to a user. Sessions expire after an idle period and after an absolute lifetime; tokens after
 * their lifetime (90 days unless told), or earlier when revoked.
 */
import { randomUUID } from 'node:crypto'
import type { Repository, UserRecord } from '../store/types.ts'
import { getDecoyHash, verifyPassword } from './passwords.ts'
import { hashSecret, newSecret, TOKEN_PREFIX } from './secrets.ts'

export const SESSION_COOKIE = 'kartu_session'
export const TOKEN_DEFAULT_DAYS = 90
const DAY_MS = 86_400_000

export type AuthOptions = { sessionIdleMs: number; sessionMaxMs: number }

export type Authenticated = { user: UserRecord; via: 'session' | 'token' }

export class Auth {
  constructor(
    private readonly repository: Repository,
    private readonly options: AuthOptions,
  ) {}

  /** Checks email and password; null when either is wrong (the caller cannot tell which). */
  async checkPassword(email: string, password: string): Promise<UserRecord | null> {
    const user = await this.repository.findUserByEmail(email)
    if (!user?.passwordHash) {
      await verifyPassword(await getDecoyHash(), password)
      return null
    }
    return (await verifyPassword(user.passwordHash, password)) ? user : null
  }

  /** Starts a session; returns the secret to put in the cookie. */
  async startSession(userId: string): Promise<string> {
    const secret = newSecret()
    const now = Date.now()
    await this.repository.createSession(hashSecret(secret), {
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.options.sessionMaxMs,
    })
    return secret
  }

  /** Ends the session; returns whose it was (null when there was none). */
  async endSession(secret: string): Promise<string | null> {
    const tokenHash = hashSecret(secret)
    const session = await this.repository.findSession(tokenHash)
    await this.repository.deleteSession(tokenHash)
    return session?.userId ?? null
  }

  async fromSession(secret: string): Promise<UserRecord | null> {
    const tokenHash = hashSecret(secret)
    const session = await this.repository.findSession(tokenHash)
    if (!session) return null
    const now = Date.now()
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.options.sessionIdleMs) {
      await this.repository.deleteSession(tokenHash)
      return null
    }
    // Write at most once a minute: sessions are read on every request.
    if (now - session.lastSeenAt > 60_000) await this.repository.touchSession(tokenHash, now)
    return this.repository.findUserById(session.userId)
  }

  /** The token's user; null for an unknown, revoked or expired token. */
  async fromToken(token: string): Promise<UserRecord | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null
    const found = await this.repository.findToken(hashSecret(token))
    if (!found || found.revokedAt !== null || Date.now() >= found.expiresAt) return null
    return this.repository.findUserById(found.userId)
  }

  /**
   * Issues a personal access token valid for `days` (90 unless told); the secret is returned
   * once and stored only hashed.
   */
  async issueToken(
    userId: string,
    label: string,
    days = TOKEN_DEFAULT_DAYS,
  ): Promise<{ id: string; token: string; expiresAt: number }> {
    const token = newSecret(TOKEN_PREFIX)
    const id = randomUUID()
    const createdAt = Date.now()
    const expiresAt = createdAt + days * DAY_MS
    await this.repository.createToken({
      id,
      userId,
      tokenHash: hashSecret(token),
      label,
      createdAt,
      expiresAt,
    })
    return { id, token, expiresAt }
  }
}
