import type { PresenceUser } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { CARET_SLACK, type Peer, whoEdited } from './whoEdited.ts'

const user = (id: string, name: string): PresenceUser => ({
  id,
  name,
  ministryId: 'KEMLU',
  ministry: 'Kemlu',
  color: '#1f6f43',
})
const budi = user('u-budi', 'Budi')
const rina = user('u-rina', 'Rina')

const peers: Peer[] = [
  { clientId: 11, user: budi, caret: 40 },
  // Budi's second tab.
  { clientId: 12, user: budi, caret: 10 },
  { clientId: 21, user: rina, caret: 10 },
]

describe('whoEdited', () => {
  it('names the writers of inserted text by their client, each person once', () => {
    expect(whoEdited({ from: 5, to: 8 }, peers, new Set([11, 12]))).toEqual([budi])
    expect(whoEdited({ from: 5, to: 8 }, peers, new Set([21]))).toEqual([rina])
  })

  it('names nobody for text written by no one present, even with a caret right there', () => {
    expect(whoEdited({ from: 10, to: 10 }, peers, new Set([99]))).toEqual([])
  })

  it('names whoever’s caret is at a deletion (a deletion names no writer)', () => {
    expect(whoEdited({ from: 40, to: 40 }, peers, new Set())).toEqual([budi])
    expect(whoEdited({ from: 10 - CARET_SLACK, to: 10 - CARET_SLACK }, peers, new Set())).toEqual([
      budi,
      rina,
    ])
    expect(whoEdited({ from: 20, to: 20 }, peers, new Set())).toEqual([])
    expect(
      whoEdited({ from: 20, to: 20 }, [{ clientId: 3, user: rina, caret: null }], new Set()),
    ).toEqual([])
  })
})
