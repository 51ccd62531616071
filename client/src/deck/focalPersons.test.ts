import type { FocalPersons, Member } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '../app/api.ts'
import {
  FocalProblem,
  focalListOf,
  focalProblemOf,
  isFocal,
  withFocalList,
  withFocalToggled,
} from './focalPersons.ts'

const member = (userId: string, ministryId: string): Member => ({
  userId,
  email: `${userId}@kartu.test`,
  name: userId,
  ministryId,
  role: 'editor',
})

const sari = member('sari', 'KEMLU')
const dewi = member('dewi', 'KEMLU')
const budi = member('budi', 'KP2MI')
const members = [sari, dewi, budi]
const focal: FocalPersons[] = [{ ministryId: 'KEMLU', userIds: ['sari'] }]

describe('focalListOf and isFocal', () => {
  it("reads a ministry's list, empty when it named none", () => {
    expect(focalListOf(focal, 'KEMLU')).toEqual(['sari'])
    expect(focalListOf(focal, 'KP2MI')).toEqual([])
  })

  it('names a member focal for their own ministry only', () => {
    expect(isFocal(focal, sari)).toBe(true)
    expect(isFocal(focal, dewi)).toBe(false)
    // Named under another ministry's list (they moved ministry): not focal for theirs.
    expect(isFocal([{ ministryId: 'KP2MI', userIds: ['sari'] }], sari)).toBe(false)
  })
})

describe('withFocalToggled', () => {
  it("adds a member to their ministry's list, after those named already", () => {
    expect(withFocalToggled(focal, members, dewi, true)).toEqual(['sari', 'dewi'])
    expect(withFocalToggled(focal, members, budi, true)).toEqual(['budi'])
  })

  it('takes a member off, down to an empty list (every member gets the items again)', () => {
    expect(withFocalToggled(focal, members, sari, false)).toEqual([])
  })

  it('never names someone twice, and unticking someone not named changes nothing', () => {
    expect(withFocalToggled(focal, members, sari, true)).toEqual(['sari'])
    expect(withFocalToggled(focal, members, dewi, false)).toEqual(['sari'])
  })

  it('drops those no longer members of the deck from that ministry, which the server refuses', () => {
    const stored: FocalPersons[] = [{ ministryId: 'KEMLU', userIds: ['gone', 'sari', 'budi'] }]
    expect(withFocalToggled(stored, members, dewi, true)).toEqual(['sari', 'dewi'])
  })
})

describe('withFocalList', () => {
  it("replaces one ministry's list and leaves the others", () => {
    const both: FocalPersons[] = [...focal, { ministryId: 'KP2MI', userIds: ['budi'] }]
    expect(withFocalList(both, 'KEMLU', ['dewi'])).toEqual([
      { ministryId: 'KP2MI', userIds: ['budi'] },
      { ministryId: 'KEMLU', userIds: ['dewi'] },
    ])
  })

  it('leaves out a ministry whose list is now empty, as the server does', () => {
    expect(withFocalList(focal, 'KEMLU', [])).toEqual([])
  })
})

describe('focalProblemOf', () => {
  it('names the refusals the page explains', () => {
    expect(focalProblemOf(new ApiError(400, 'not_a_member', 'x')).problem).toBe(
      FocalProblem.NotAMember,
    )
    expect(focalProblemOf(new ApiError(400, 'unknown_ministry', 'x')).problem).toBe(
      FocalProblem.UnknownMinistry,
    )
    expect(focalProblemOf(new ApiError(403, 'forbidden', 'x')).problem).toBe(FocalProblem.Forbidden)
    expect(focalProblemOf(new NetworkError('network')).problem).toBe(FocalProblem.Network)
  })

  it("keeps the server's words for anything else", () => {
    expect(focalProblemOf(new ApiError(500, 'internal', 'Internal error.'))).toEqual({
      problem: FocalProblem.Other,
      detail: 'Internal error.',
    })
  })
})
