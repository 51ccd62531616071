/**
 * Who is asking: resolves a session cookie, a bearer token, or a `?token=` on a websocket upgrade
 * to a user. Sessions expire after an idle period and after an absolute lifetime.
 */
import { randomUUID } from 'node:crypto'
import type { Repository, UserRecord } from '../store/types.ts'
import { getDecoyHash, verifyPassword } from './passwords.ts'
import { hashSecret, newSecret, TOKEN_PREFIX } from './secrets.ts'

export const SESSION_COOKIE = 'kartu_session'

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

  async endSession(secret: string): Promise<void> {
    await this.repository.deleteSession(hashSecret(secret))
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

  async fromToken(token: string): Promise<UserRecord | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null
    const found = await this.repository.findToken(hashSecret(token))
    return found ? this.repository.findUserById(found.userId) : null
  }

  /** Issues a personal access token; the secret is returned once and stored only hashed. */
  async issueToken(userId: string, label: string): Promise<{ id: string; token: string }> {
    const token = newSecret(TOKEN_PREFIX)
    const id = randomUUID()
    await this.repository.createToken({ id, userId, tokenHash: hashSecret(token), label })
    return { id, token }
  }
}
