/**
 * Deck membership on the members page, as pure logic: the order of the list, the cache after a
 * change, what a role change would do, and what a failed request means to the chair. The server
 * decides for real; this keeps the page from offering what it would refuse or regret.
 */
import {
  type Member,
  type MemberUpsertRequest,
  memberUpsertRequestSchema,
  type Role,
  roleSchema,
} from '@kartu/protocol'
import { ApiError, NetworkError } from '../app/api.ts'

/** Roles from the most to the least rights: the order of the role selects and of the list. */
export const roles: readonly Role[] = roleSchema.options

export function parseRole(value: string): Role | null {
  const parsed = roleSchema.safeParse(value)
  return parsed.success ? parsed.data : null
}

/**
 * By name, then email. Not by role: a row must stay where it is when its role changes, or the
 * keyboard user changing it would lose their place.
 */
export function sortMembers(members: readonly Member[]): Member[] {
  return [...members].sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email))
}

/** The list with `member` added, or its entry replaced. */
export function withMember(members: readonly Member[], member: Member): Member[] {
  const found = members.some((candidate) => candidate.userId === member.userId)
  return found
    ? members.map((candidate) => (candidate.userId === member.userId ? member : candidate))
    : [...members, member]
}

export function withoutMember(members: readonly Member[], userId: string): Member[] {
  return members.filter((member) => member.userId !== userId)
}

const normalEmail = (email: string): string => email.trim().toLowerCase()

export function findByEmail(members: readonly Member[], email: string): Member | undefined {
  const wanted = normalEmail(email)
  return members.find((member) => normalEmail(member.email) === wanted)
}

/** The request for "add by email", or null when the email is not one. */
export function parseNewMember(email: string, role: Role): MemberUpsertRequest | null {
  const parsed = memberUpsertRequestSchema.safeParse({ email, role })
  return parsed.success ? parsed.data : null
}

export const RoleChange = {
  /** Nothing to send. */
  Unchanged: 'unchanged',
  /** Fine as it is. */
  Allowed: 'allowed',
  /** The chair gives up their own chair: ask first, they cannot take it back themselves. */
  ConfirmSelf: 'confirmSelf',
  /** The only chair would go: nobody could manage the deck from the app any more. */
  LastChair: 'lastChair',
} as const
export type RoleChange = (typeof RoleChange)[keyof typeof RoleChange]

export function checkRoleChange(
  members: readonly Member[],
  actorUserId: string,
  userId: string,
  role: Role,
): RoleChange {
  const member = members.find((candidate) => candidate.userId === userId)
  if (member?.role === role) return RoleChange.Unchanged
  if (member?.role === 'chair' && role !== 'chair') {
    const chairs = members.filter((candidate) => candidate.role === 'chair').length
    if (chairs <= 1) return RoleChange.LastChair
    if (userId === actorUserId) return RoleChange.ConfirmSelf
  }
  return RoleChange.Allowed
}

export const MemberProblem = {
  UnknownUser: 'unknownUser',
  CannotRemoveSelf: 'cannotRemoveSelf',
  InvalidEmail: 'invalidEmail',
  Forbidden: 'forbidden',
  NotFound: 'notFound',
  LastChair: 'lastChair',
  Network: 'network',
  Other: 'other',
} as const
export type MemberProblem = (typeof MemberProblem)[keyof typeof MemberProblem]

/** A failed request as the page says it; `detail` is the server's own words for the rest. */
export function problemOf(error: unknown): { problem: MemberProblem; detail: string } {
  if (error instanceof ApiError) {
    const detail = error.message
    if (error.code === 'unknown_user') return { problem: MemberProblem.UnknownUser, detail }
    if (error.code === 'cannot_remove_self') {
      return { problem: MemberProblem.CannotRemoveSelf, detail }
    }
    if (error.code === 'invalid_request') return { problem: MemberProblem.InvalidEmail, detail }
    if (error.status === 403) return { problem: MemberProblem.Forbidden, detail }
    if (error.status === 404) return { problem: MemberProblem.NotFound, detail }
    return { problem: MemberProblem.Other, detail }
  }
  if (error instanceof NetworkError) return { problem: MemberProblem.Network, detail: '' }
  return { problem: MemberProblem.Other, detail: error instanceof Error ? error.message : '' }
}
