/**
 * What the REST routes and the command line do to accounts: creating them, passwords,
 * disabling, ending sessions. Each action writes its audit entry here, once, and then tells `afterAccessChange`
 * (the running server's access watcher), so that connections opened with a session or by a person
 * that no longer holds are closed at once rather than at the next poll.
 */
import { randomUUID } from 'node:crypto'
import { type Ministry, passwordSchema } from '@kartu/protocol'
import type { AuditLog } from '../audit/AuditLog.ts'
import {
  passwordChangedEvent,
  sessionsEndedEvent,
  userCreatedEvent,
  userDisabledEvent,
} from '../audit/auditEvents.ts'
import { hashPassword } from '../auth/passwords.ts'
import type { Ministries, Sessions, UserRecord, Users } from '../store/types.ts'

export class AccountError extends Error {}

export type AccountsOptions = {
  /** Called after an action that ends access (the server refreshes its open connections). */
  afterAccessChange?: () => Promise<void>
}

export class Accounts {
  constructor(
    private readonly repository: Users & Sessions & Ministries,
    private readonly audit: AuditLog,
    private readonly options: AccountsOptions = {},
  ) {}

  /**
   * Creates an account in a ministry named by its id, short name or one of its aliases (the
   * ministries are the imported decks'). The email is kept in lower case.
   */
  async create(input: {
    email: string
    name: string
    ministry: string
    password: string
  }): Promise<UserRecord> {
    const ministries = await this.repository.listMinistries()
    const ministry = findMinistry(ministries, input.ministry)
    if (!ministry) {
      const known =
        ministries.map((m) => `${m.id} (${m.short})`).join(', ') || 'none: import a deck first'
      throw new AccountError(`unknown ministry "${input.ministry}"; known: ${known}`)
    }
    const email = input.email.trim().toLowerCase()
    if (await this.repository.findUserByEmail(email)) {
      throw new AccountError(`${email} already has an account`)
    }
    const password = passwordSchema.safeParse(input.password)
    if (!password.success) throw new AccountError('the password needs 8 to 1024 characters')
    const id = randomUUID()
    await this.repository.createUser({
      id,
      email,
      name: input.name,
      ministryId: ministry.id,
      passwordHash: await hashPassword(password.data),
    })
    const user = await this.repository.findUserById(id)
    if (!user) throw new AccountError(`the account ${email} was not stored`)
    await this.audit.append(
      userCreatedEvent({ userId: id, email: user.email, ministryId: user.ministryId }),
    )
    return user
  }

  /**
   * Sets a new password and ends the person's sessions, except `keepSessionHash` (the session
   * of a person changing their own password stays signed in; an administrator's reset ends all).
   * Personal access tokens are separate credentials and stay valid: revoke them on their own.
   */
  async setPassword(input: {
    actorUserId: string | null
    userId: string
    password: string
    keepSessionHash?: string
  }): Promise<{ sessionsEnded: number }> {
    const parsed = passwordSchema.safeParse(input.password)
    if (!parsed.success) throw new AccountError('the password needs 8 to 1024 characters')
    await this.repository.setPassword(input.userId, await hashPassword(parsed.data))
    const sessionsEnded = await this.repository.deleteSessionsOf(
      input.userId,
      input.keepSessionHash,
    )
    await this.closeConnectionsWhile(
      this.audit.append(
        passwordChangedEvent({
          actorUserId: input.actorUserId,
          userId: input.userId,
          sessionsEnded,
        }),
      ),
    )
    return { sessionsEnded }
  }

  /**
   * Disables an account (every session ends; its tokens and open connections are refused from
   * now on) or enables it again. Nothing is deleted: its history stays attributed.
   */
  async setDisabled(input: {
    actorUserId: string | null
    userId: string
    disabled: boolean
  }): Promise<{ changed: boolean; sessionsEnded: number }> {
    const user = await this.repository.findUserById(input.userId)
    if (!user) throw new AccountError(`no account ${input.userId}`)
    if ((user.disabledAt !== null) === input.disabled) return { changed: false, sessionsEnded: 0 }
    await this.repository.setUserDisabled(input.userId, input.disabled ? Date.now() : null)
    const sessionsEnded = input.disabled ? await this.repository.deleteSessionsOf(input.userId) : 0
    await this.closeConnectionsWhile(
      this.audit.append(
        userDisabledEvent({
          actorUserId: input.actorUserId,
          userId: input.userId,
          disabled: input.disabled,
          sessionsEnded,
        }),
      ),
    )
    return { changed: true, sessionsEnded }
  }

  /** Ends every session of a person (signed out everywhere); returns how many there were. */
  async endSessions(input: { actorUserId: string | null; userId: string }): Promise<number> {
    const count = await this.repository.deleteSessionsOf(input.userId)
    await this.closeConnectionsWhile(
      this.audit.append(
        sessionsEndedEvent({ actorUserId: input.actorUserId, userId: input.userId, count }),
      ),
    )
    return count
  }

  /**
   * Closes the connections that no longer hold while the audit entry is written, and waits for
   * both. ORDER MATTERS: from the moment the sessions are deleted, a REST call of a signed-out
   * browser gets 401, and its app leaves the card for the sign-in page; its websocket must be
   * closed with 4401 (the banner that says why and keeps the card on screen) before then, not an
   * audit commit (an fsync) later.
   */
  private async closeConnectionsWhile(auditWritten: Promise<unknown>): Promise<void> {
    const closed = this.options.afterAccessChange?.()
    await Promise.all([auditWritten, closed])
  }
}

/** A ministry by id, short name or alias, in any case; an alias also by its part before " (". */
export function findMinistry(ministries: readonly Ministry[], query: string): Ministry | undefined {
  const q = query.trim().toLowerCase()
  return ministries.find(
    (m) =>
      m.id.toLowerCase() === q ||
      m.short.toLowerCase() === q ||
      m.aliases.some(
        (alias) => alias.toLowerCase() === q || alias.toLowerCase().startsWith(`${q} (`),
      ),
  )
}
