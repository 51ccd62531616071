import type { Member } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '../app/api.ts'
import {
  checkRoleChange,
  findByEmail,
  MemberProblem,
  parseNewMember,
  parseRole,
  problemOf,
  RoleChange,
  sortMembers,
  withMember,
  withoutMember,
} from './members.ts'

const member = (userId: string, role: Member['role'], name = userId): Member => ({
  userId,
  email: `${userId}@kartu.test`,
  name,
  ministryId: 'KP2MI',
  role,
})

const chair = member('chair', 'chair', 'Ratna')
const editor = member('editor', 'editor', 'Budi')
const viewer = member('viewer', 'viewer', 'Agus')

describe('sortMembers', () => {
  it('lists by name, then email, whatever the role', () => {
    const namesake = { ...member('budi2', 'viewer', 'Budi'), email: 'a-budi@kartu.test' }
    const list = sortMembers([chair, editor, viewer, namesake])
    expect(list.map((m) => m.userId)).toEqual(['viewer', 'budi2', 'editor', 'chair'])
  })
})

describe('withMember and withoutMember', () => {
  it('replaces a member by id, or appends a new one', () => {
    const promoted = { ...editor, role: 'chair' as const }
    expect(withMember([chair, editor], promoted)).toEqual([chair, promoted])
    expect(withMember([chair], viewer)).toEqual([chair, viewer])
  })

  it('removes by id', () => {
    expect(withoutMember([chair, editor], 'editor')).toEqual([chair])
    expect(withoutMember([chair], 'nobody')).toEqual([chair])
  })
})

describe('findByEmail', () => {
  it('ignores case and surrounding spaces', () => {
    expect(findByEmail([chair, editor], '  EDITOR@kartu.test ')).toBe(editor)
    expect(findByEmail([chair], 'someone@kartu.test')).toBeUndefined()
  })
})

describe('parseRole and parseNewMember', () => {
  it('accepts the five roles only', () => {
    expect(parseRole('suggester')).toBe('suggester')
    expect(parseRole('owner')).toBeNull()
  })

  it('normalises the email and refuses what is not one', () => {
    expect(parseNewMember('  Kemlu@Kartu.TEST ', 'viewer')).toEqual({
      email: 'kemlu@kartu.test',
      role: 'viewer',
    })
    expect(parseNewMember('kemlu', 'viewer')).toBeNull()
    expect(parseNewMember('', 'viewer')).toBeNull()
  })
})

describe('checkRoleChange', () => {
  it('sends nothing when the role stays', () => {
    expect(checkRoleChange([chair, editor], 'chair', 'editor', 'editor')).toBe(RoleChange.Unchanged)
  })

  it('allows ordinary changes and new members', () => {
    expect(checkRoleChange([chair, editor], 'chair', 'editor', 'viewer')).toBe(RoleChange.Allowed)
    expect(checkRoleChange([chair], 'chair', 'newcomer', 'editor')).toBe(RoleChange.Allowed)
    expect(checkRoleChange([chair, editor], 'chair', 'editor', 'chair')).toBe(RoleChange.Allowed)
  })

  it('refuses to take away the last chair', () => {
    expect(checkRoleChange([chair, editor], 'chair', 'chair', 'editor')).toBe(RoleChange.LastChair)
  })

  it('asks a chair who steps down while another chair remains', () => {
    const second = member('chair2', 'chair')
    expect(checkRoleChange([chair, second], 'chair', 'chair', 'editor')).toBe(
      RoleChange.ConfirmSelf,
    )
    expect(checkRoleChange([chair, second], 'chair', 'chair2', 'viewer')).toBe(RoleChange.Allowed)
  })
})

describe('problemOf', () => {
  it('names the refusals the page explains', () => {
    expect(problemOf(new ApiError(404, 'unknown_user', 'No account for x')).problem).toBe(
      MemberProblem.UnknownUser,
    )
    expect(problemOf(new ApiError(400, 'cannot_remove_self', 'no')).problem).toBe(
      MemberProblem.CannotRemoveSelf,
    )
    expect(problemOf(new ApiError(400, 'invalid_request', 'bad')).problem).toBe(
      MemberProblem.InvalidEmail,
    )
    expect(problemOf(new ApiError(403, 'forbidden', 'role')).problem).toBe(MemberProblem.Forbidden)
    expect(problemOf(new ApiError(404, 'not_found', 'Member not found.')).problem).toBe(
      MemberProblem.NotFound,
    )
    expect(problemOf(new NetworkError('network')).problem).toBe(MemberProblem.Network)
  })

  it("keeps the server's words for anything else", () => {
    expect(problemOf(new ApiError(500, 'internal', 'Internal error.'))).toEqual({
      problem: MemberProblem.Other,
      detail: 'Internal error.',
    })
  })
})
