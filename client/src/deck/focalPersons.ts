/**
 * A deck's focal persons on the members page, as pure logic: who of a ministry is named to get
 * its inbox items, the list the chair sends on ticking or unticking someone, and what a refusal
 * means. The server decides who gets the items (server/src/inbox/inbox.ts `peopleOfMinistry`):
 * the named persons still members of the deck, or every member of the ministry when none is.
 */
import type { FocalPersons, Member } from '@kartu/protocol'
import { ApiError, NetworkError } from '../app/api.ts'

/** The ids a ministry named as its focal persons in the deck; empty when it named none. */
export function focalListOf(focal: readonly FocalPersons[], ministryId: string): string[] {
  return focal.find((entry) => entry.ministryId === ministryId)?.userIds ?? []
}

/** The member is named a focal person of their own ministry in the deck. */
export function isFocal(focal: readonly FocalPersons[], member: Member): boolean {
  return focalListOf(focal, member.ministryId).includes(member.userId)
}

/**
 * The list to send for `member`'s ministry with them added (`on`) or taken off. It keeps only
 * members of the deck from that ministry: someone removed from the deck stays on the stored
 * list, and the server refuses a list that names them (`not_a_member`).
 */
export function withFocalToggled(
  focal: readonly FocalPersons[],
  members: readonly Member[],
  member: Member,
  on: boolean,
): string[] {
  const ofMinistry = new Set(
    members
      .filter((candidate) => candidate.ministryId === member.ministryId)
      .map((candidate) => candidate.userId),
  )
  const kept = focalListOf(focal, member.ministryId).filter(
    (userId) => userId !== member.userId && ofMinistry.has(userId),
  )
  return on ? [...kept, member.userId] : kept
}

/** The focal persons with one ministry's list replaced: the cache before the server answers. */
export function withFocalList(
  focal: readonly FocalPersons[],
  ministryId: string,
  userIds: readonly string[],
): FocalPersons[] {
  const others = focal.filter((entry) => entry.ministryId !== ministryId)
  return userIds.length === 0 ? others : [...others, { ministryId, userIds: [...userIds] }]
}

export const FocalProblem = {
  /** The person is not (or no longer) a member of the deck from that ministry. */
  NotAMember: 'notAMember',
  /** The ministry is not (or no longer) one of the deck's. */
  UnknownMinistry: 'unknownMinistry',
  Forbidden: 'forbidden',
  Network: 'network',
  Other: 'other',
} as const
export type FocalProblem = (typeof FocalProblem)[keyof typeof FocalProblem]

/** A failed change of focal persons as the page says it; `detail` is the server's words. */
export function focalProblemOf(error: unknown): { problem: FocalProblem; detail: string } {
  if (error instanceof ApiError) {
    const detail = error.message
    if (error.code === 'not_a_member') return { problem: FocalProblem.NotAMember, detail }
    if (error.code === 'unknown_ministry') return { problem: FocalProblem.UnknownMinistry, detail }
    if (error.status === 403) return { problem: FocalProblem.Forbidden, detail }
    return { problem: FocalProblem.Other, detail }
  }
  if (error instanceof NetworkError) return { problem: FocalProblem.Network, detail: '' }
  return { problem: FocalProblem.Other, detail: error instanceof Error ? error.message : '' }
}
