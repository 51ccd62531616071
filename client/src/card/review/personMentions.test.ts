import { describe, expect, it } from 'vitest'
import { isWholeName, type MentionPerson, matchPeople } from './personMentions.ts'

const person = (userId: string, name: string, ministryId = 'KP2MI'): MentionPerson => ({
  userId,
  name,
  ministryId,
})

const people = [
  person('u-siti2', 'Siti Rahmawati', 'KEMLU'),
  person('u-siti', 'Siti Rahma'),
  person('u-budi', 'Budi Santoso'),
  person('u-desi', 'Désirée Putri'),
  person('u-rahmat', 'Ahmad Rahmat-Hidayat'),
  person('u-blank', '  '),
]

const ids = (query: string): string[] => matchPeople(query, people).map((p) => p.userId)

describe('matchPeople', () => {
  it('finds the start of the name first, then of a later word, each group alphabetically', () => {
    expect(ids('siti')).toEqual(['u-siti', 'u-siti2'])
    expect(ids('rahm')).toEqual(['u-rahmat', 'u-siti', 'u-siti2'])
    expect(ids('ah')).toEqual(['u-rahmat'])
    expect(ids('SANT')).toEqual(['u-budi'])
  })

  it('goes on across words, and a trailing space wants the word whole', () => {
    expect(ids('siti rahmaw')).toEqual(['u-siti2'])
    expect(ids('siti  rahma')).toEqual(['u-siti', 'u-siti2'])
    expect(ids('siti rahma ')).toEqual([])
    expect(ids('budi ')).toEqual(['u-budi'])
    expect(ids('bud ')).toEqual([])
  })

  it('reads a name without its diacritics, and words after a hyphen', () => {
    expect(ids('desiree')).toEqual(['u-desi'])
    expect(ids('Dési')).toEqual(['u-desi'])
    expect(ids('hidayat')).toEqual(['u-rahmat'])
  })

  it('offers everyone with a name for an empty query, and no one for a part inside a word', () => {
    expect(ids('')).toEqual(['u-rahmat', 'u-budi', 'u-desi', 'u-siti', 'u-siti2'])
    expect(ids('hma')).toEqual([])
    expect(ids('zz')).toEqual([])
  })
})

describe('isWholeName', () => {
  it('is the name as the server reads it: case aside, diacritics kept, a space after it ends it', () => {
    const [siti2, , , desi] = people
    if (!siti2 || !desi) throw new Error('no people')
    expect(isWholeName('siti rahmawati', siti2)).toBe(true)
    expect(isWholeName('Siti Rahmawati ', siti2)).toBe(true)
    expect(isWholeName('Siti Rahma', siti2)).toBe(false)
    expect(isWholeName('Desiree Putri', desi)).toBe(false)
    expect(isWholeName('désirée putri', desi)).toBe(true)
  })
})
