/**
 * Which members of the deck the comment field offers after "@": people are mentioned by their
 * full name (the server reads them with parsePersonMentions), so the field finds them by the
 * start of any word of the name and then writes the name whole.
 */
import type { Member } from '@kartu/protocol'

/** A member of the deck as the comment field offers them: the name, and the ministry's badge. */
export type MentionPerson = Pick<Member, 'userId' | 'name' | 'ministryId'>

const wordChar = /[\p{L}\p{N}]/u

/**
 * Case, diacritics and runs of spaces aside: "desi" finds "Désirée" (few keyboards here type an
 * é, and nobody should have to for a colleague's name).
 */
function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('id').replace(/\s+/g, ' ')
}

/** The name from each of its words on: "siti rahma" gives "siti rahma" and "rahma". */
function fromEachWord(name: string): string[] {
  const tails: string[] = []
  for (let at = 0; at < name.length; at++) {
    const char = name[at] as string
    const before = name[at - 1]
    if (wordChar.test(char) && (before === undefined || !wordChar.test(before))) {
      tails.push(name.slice(at))
    }
  }
  return tails
}

/**
 * The people whose name starts with the query, then those with a later word that does
 * ("@rah" finds "Siti Rahma"), each group in alphabetical order. A query with a space goes on
 * across words ("@siti ra"); one that ends with a space wants the word before it whole.
 */
export function matchPeople<P extends MentionPerson>(query: string, people: readonly P[]): P[] {
  const wanted = fold(query)
  const scored: Array<{ person: P; name: string; score: number }> = []
  for (const person of people) {
    const name = fold(person.name.trim())
    if (!name) continue
    let score = -1
    if (name.startsWith(wanted)) score = 2
    else if (fromEachWord(name).some((tail) => tail.startsWith(wanted))) score = 1
    if (score >= 0) scored.push({ person, name, score })
  }
  return scored
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'id'))
    .map((entry) => entry.person)
}

/**
 * Whether the query is the person's whole name already, as the server reads it (case aside, but
 * not diacritics): nothing is left to pick then. A space typed after it is the mention's end.
 */
export function isWholeName(query: string, person: MentionPerson): boolean {
  const name = person.name.trim().toLocaleLowerCase('id')
  return name !== '' && query.trimEnd().toLocaleLowerCase('id') === name
}
