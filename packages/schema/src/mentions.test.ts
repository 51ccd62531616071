import { describe, expect, it } from 'vitest'
import {
  completeMention,
  completePersonMention,
  type MentionableMinistry,
  matchMinistries,
  mentionQueryAt,
  parseMentions,
  parsePersonMentions,
} from './mentions.ts'

type Ministry = MentionableMinistry & { color: string }

const ministry = (id: string, short: string, aliases: string[] = []): Ministry => ({
  id,
  short,
  nameId: `Kementerian ${short}`,
  nameEn: `Ministry ${short}`,
  aliases,
  color: '#123456',
})

const ministries = [
  ministry('KP2MI', 'KP2MI', ['BP2MI', 'BNP2TKI', 'KemenP2MI']),
  ministry('KEMLU', 'Kemlu', ['Kemenlu', 'PTRI Jenewa']),
  ministry('KEMENKO_POLKAM', 'Kemenko Polkam', ['Kemenko Polhukam']),
  ministry('KEMENKO_PMK', 'Kemenko PMK'),
]

describe('parseMentions', () => {
  it('finds ministries by short name, alias or id, each once, in order', () => {
    expect(parseMentions('@KP2MI mohon data; @Kemenlu juga. Lagi @bp2mi', ministries)).toEqual([
      'KP2MI',
      'KEMLU',
    ])
    expect(parseMentions('cc @KEMENKO_PMK', ministries)).toEqual(['KEMENKO_PMK'])
  })

  it('reads names with spaces, written as is or joined, and prefers the longest', () => {
    expect(parseMentions('@Kemenko Polkam dan @KemenkoPMK', ministries)).toEqual([
      'KEMENKO_POLKAM',
      'KEMENKO_PMK',
    ])
    expect(parseMentions('@PTRI Jenewa, tolong', ministries)).toEqual(['KEMLU'])
  })

  it('ignores e-mail addresses, unknown names and names that run on', () => {
    expect(parseMentions('kirim ke budi@kemlu.go.id', ministries)).toEqual([])
    expect(parseMentions('@Kemnaker @KP2MIX @', ministries)).toEqual([])
  })
})

describe('mentionQueryAt', () => {
  it('finds the mention being typed before the caret', () => {
    expect(mentionQueryAt('tolong @KP', 10)).toEqual({ start: 7, query: 'KP' })
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQueryAt('@Kemenko Po', 11)).toEqual({ start: 0, query: 'Kemenko Po' })
  })

  it('finds none after a line break, in an e-mail address, or after a space right after @', () => {
    expect(mentionQueryAt('@KP\nlagi', 8)).toBeNull()
    expect(mentionQueryAt('budi@kemlu', 10)).toBeNull()
    expect(mentionQueryAt('@ lagi', 6)).toBeNull()
    expect(mentionQueryAt('tanpa sebutan', 5)).toBeNull()
  })
})

describe('matchMinistries', () => {
  it('matches prefixes of names and aliases first, then inner parts', () => {
    expect(matchMinistries('bp2', ministries).map((m) => m.id)).toEqual(['KP2MI'])
    expect(matchMinistries('kemenko', ministries).map((m) => m.id)).toEqual([
      'KEMENKO_POLKAM',
      'KEMENKO_PMK',
    ])
    expect(matchMinistries('pmk', ministries)[0]?.id).toBe('KEMENKO_PMK')
    expect(matchMinistries('', ministries)).toHaveLength(4)
    expect(matchMinistries('zzz', ministries)).toEqual([])
  })
})

describe('completeMention', () => {
  it('replaces what was typed with the short name and puts the caret after it', () => {
    const text = 'tolong @bp lihat'
    const mention = mentionQueryAt(text, 10)
    if (!mention) throw new Error('no mention')
    const [kp2mi] = ministries
    if (!kp2mi) throw new Error('no ministry')
    expect(completeMention(text, mention, 10, kp2mi)).toEqual({
      text: 'tolong @KP2MI lihat',
      caret: 14,
    })
  })
})

describe('parsePersonMentions', () => {
  const people = [
    { id: 'u-siti', name: 'Siti Rahma' },
    { id: 'u-siti2', name: 'Siti Rahmawati' },
    { id: 'u-budi', name: 'Budi' },
  ]

  it('finds people by their whole name, the longest first, each once', () => {
    expect(
      parsePersonMentions('Tolong @Siti Rahmawati dan @budi cek; @Budi lagi.', people),
    ).toEqual(['u-siti2', 'u-budi'])
    expect(parsePersonMentions('@Siti Rahma, mohon dicek.', people)).toEqual(['u-siti'])
  })

  it('ignores a name inside a word, an e-mail address and a partial name', () => {
    expect(parsePersonMentions('budi@kemlu.go.id', people)).toEqual([])
    expect(parsePersonMentions('@Budiman hadir', people)).toEqual([])
    expect(parsePersonMentions('@Siti saja', people)).toEqual([])
  })
})

describe('completePersonMention', () => {
  const people = [
    { id: 'u-siti', name: 'Siti Rahmawati' },
    { id: 'u-desi', name: ' Désirée Putri ' },
  ]
  const [siti, desi] = people
  if (!siti || !desi) throw new Error('no people')

  it('replaces a query of more than one word with the full name, and the server reads it', () => {
    const text = 'tolong @siti ra lihat'
    const mention = mentionQueryAt(text, 15)
    if (!mention) throw new Error('no mention')
    const completed = completePersonMention(text, mention, 15, siti)
    expect(completed).toEqual({ text: 'tolong @Siti Rahmawati lihat', caret: 23 })
    expect(parsePersonMentions(completed.text, people)).toEqual(['u-siti'])
  })

  it('writes the name as spelled, trimmed, and replaces the rest of the word at the caret', () => {
    const text = '@desi cek'
    const mention = mentionQueryAt(text, 3)
    if (!mention) throw new Error('no mention')
    const completed = completePersonMention(text, mention, 3, desi)
    expect(completed).toEqual({ text: '@Désirée Putri cek', caret: 15 })
    expect(parsePersonMentions(completed.text, people)).toEqual(['u-desi'])
  })

  it('ends a mention at the end of the text with a space', () => {
    const mention = mentionQueryAt('@S', 2)
    if (!mention) throw new Error('no mention')
    expect(completePersonMention('@S', mention, 2, siti)).toEqual({
      text: '@Siti Rahmawati ',
      caret: 16,
    })
  })
})
