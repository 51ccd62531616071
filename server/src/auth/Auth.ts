/**
 * Who is asking: resolves a session cookie, a bearer token, or a `?token=` on a websocket upgrade
 * to a user and the credential that proved it. Sessions expire after an idle period and after an
 * absolute lifetime; tokens after their lifetime (90 days unless told), or earlier when revoked.
 * A disabled account is refused whatever its credential.
 *
 * The credential is kept with each open websocket and checked again (`check`) by the access
 * watcher, so that signing out, expiry, a password change, disabling an account or revoking a
 * token ends the connections it opened, not only the next request.
 */
import { randomUUID } from 'node:crypto'
import type { Sessions, Tokens, UserRecord, Users } from '../store/types.ts'
import { getDecoyHash, verifyPassword } from './passwords.ts'
import { hashSecret, newSecret, TOKEN_PREFIX } from './secrets.ts'

export const SESSION_COOKIE = 'kartu_session'
export const TOKEN_DEFAULT_DAYS = 90
const DAY_MS = 86_400_000
/** A session's last use is written at most this often: sessions are read on every request. */
const TOUCH_EVERY_MS = 60_000

export type AuthOptions = { sessionIdleMs: number; sessionMaxMs: number }

/** What authenticated a request or a connection; only the secret's hash is kept. */
export type Credential = { kind: 'session' | 'token'; secretHash: string }

export type Authenticated = { user: UserRecord; credential: Credential }

/** Why a credential no longer holds, or `valid`. */
export const CredentialState = {
  Valid: 'valid',
  /** The session was ended: signed out, password changed, ended by an administrator. */
  Ended: 'ended',
  Expired: 'expired',
  Revoked: 'revoked',
  Disabled: 'disabled',
} as const
export type CredentialState = (typeof CredentialState)[keyof typeof CredentialState]

export class Auth {
  /** Sessions whose last use was written recently (hash to time), to write it at most once a minute. */
  private readonly touched = new Map<string, number>()

  constructor(
    private readonly repository: Users & Sessions & Tokens,
    private readonly options: AuthOptions,
  ) {}

  /**
   * Checks email and password; null when either is wrong (the caller cannot tell which). A
   * disabled account with the right password is returned: the caller says it is disabled.
   */
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
    this.touched.delete(tokenHash)
    return session?.userId ?? null
  }

  async fromSession(secret: string): Promise<Authenticated | null> {
    const credential: Credential = { kind: 'session', secretHash: hashSecret(secret) }
    const found = await this.sessionUser(credential.secretHash, Date.now(), true)
    return found.user ? { user: found.user, credential } : null
  }

  /** The token's user; null for an unknown, revoked or expired token, or a disabled account. */
  async fromToken(token: string): Promise<Authenticated | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null
    const credential: Credential = { kind: 'token', secretHash: hashSecret(token) }
    const found = await this.tokenUser(credential.secretHash)
    return found.user ? { user: found.user, credential } : null
  }

  /** Whether a credential seen earlier still holds for `userId` (the access watcher asks). */
  async check(credential: Credential, userId: string): Promise<CredentialState> {
    const found =
      credential.kind === 'session'
        ? await this.sessionUser(credential.secretHash, Date.now(), false)
        : await this.tokenUser(credential.secretHash)
    if (found.user && found.user.id !== userId) return CredentialState.Ended
    return found.state
  }

  /**
   * Records that a session is in use (a person typing on an open websocket makes no REST call
   * for hours): the idle expiry counts from the last use, written at most once a minute.
   */
  async touch(credential: Credential): Promise<void> {
    if (credential.kind !== 'session') return
    const now = Date.now()
    const last = this.touched.get(credential.secretHash) ?? 0
    if (now - last < TOUCH_EVERY_MS) return
    this.touched.set(credential.secretHash, now)
    await this.repository.touchSession(credential.secretHash, now)
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

  /** `use`: a request made with the session (not the watcher looking at it) counts as use. */
  private async sessionUser(
    tokenHash: string,
    now: number,
    use: boolean,
  ): Promise<{ user: UserRecord | null; state: CredentialState }> {
    const session = await this.repository.findSession(tokenHash)
    if (!session) return { user: null, state: CredentialState.Ended }
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.options.sessionIdleMs) {
      await this.repository.deleteSession(tokenHash)
      this.touched.delete(tokenHash)
      return { user: null, state: CredentialState.Expired }
    }
    if (use && now - session.lastSeenAt > TOUCH_EVERY_MS) {
      await this.repository.touchSession(tokenHash, now)
    }
    return this.activeUser(session.userId)
  }

  private async tokenUser(
    tokenHash: string,
  ): Promise<{ user: UserRecord | null; state: CredentialState }> {
    const found = await this.repository.findToken(tokenHash)
    if (!found) return { user: null, state: CredentialState.Ended }
    if (found.revokedAt !== null) return { user: null, state: CredentialState.Revoked }
    if (Date.now() >= found.expiresAt) return { user: null, state: CredentialState.Expired }
    return this.activeUser(found.userId)
  }

  private async activeUser(
    userId: string,
  ): Promise<{ user: UserRecord | null; state: CredentialState }> {
    const user = await this.repository.findUserById(userId)
    if (!user) return { user: null, state: CredentialState.Ended }
    if (user.disabledAt !== null) return { user: null, state: CredentialState.Disabled }
    return { user, state: CredentialState.Valid }
  }
}
