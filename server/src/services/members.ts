/**
 * Deck membership as the REST routes and the command line change it: one place that sets or
 * removes a member, writes the audit entry once, and tells the running server's access watcher,
 * which updates or closes the member's open connections.
 */
import type { Role } from '@kartu/protocol'
import type { AuditLog } from '../audit/AuditLog.ts'
import { memberRemovedEvent, memberSetEvent } from '../audit/auditEvents.ts'
import type { Memberships, UserRecord } from '../store/types.ts'

export type MembersOptions = {
  /** Called after a change of access, before its audit entry is awaited (see below). */
  afterAccessChange?: () => Promise<void>
}

export class Members {
  constructor(
    private readonly repository: Memberships,
    private readonly audit: AuditLog,
    private readonly options: MembersOptions = {},
  ) {}

  /** Adds a member or changes their role; returns the role they had (null: new member). */
  async set(input: {
    actorUserId: string | null
    deckId: string
    user: UserRecord
    role: Role
  }): Promise<Role | null> {
    const previousRole = await this.repository.getRole(input.deckId, input.user.id)
    await this.repository.setMember(input.deckId, input.user.id, input.role)
    const event = memberSetEvent({
      actorUserId: input.actorUserId,
      deckId: input.deckId,
      userId: input.user.id,
      email: input.user.email,
      role: input.role,
      previousRole,
    })
    // Open connections first: access must change even if the entry below cannot be written.
    await this.options.afterAccessChange?.()
    if (event) await this.audit.append(event)
    return previousRole
  }

  /** Removes a member; false when they were not one. */
  async remove(input: {
    actorUserId: string | null
    deckId: string
    userId: string
  }): Promise<boolean> {
    const previousRole = await this.repository.getRole(input.deckId, input.userId)
    if (!previousRole || !(await this.repository.removeMember(input.deckId, input.userId))) {
      return false
    }
    await this.options.afterAccessChange?.()
    await this.audit.append(
      memberRemovedEvent({
        actorUserId: input.actorUserId,
        deckId: input.deckId,
        userId: input.userId,
        previousRole,
      }),
    )
    return true
  }
}
