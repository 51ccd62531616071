/**
 * Mentions of ministries in comments (the client completes them as they are typed; the server
 * reads them to put a mention in the ministry's inbox): "@KP2MI", "@BP2MI" (an old name: aliases count), "@Kemenko
 * Polkam". A mention is stored as the ministry's id in the thread's `mentions`, so that the
 * ministry sees the card highlighted on its dashboard. A member of the deck is mentioned by their
 * full name ("@Siti Rahma"): the server finds them in the comment's body, nothing else stores it.
 */

/** What a mention is matched against: a ministry's names (Ministry in @kartu/protocol). */
export type MentionableMinistry = {
  id: string
  short: string
  nameId: string
  nameEn: string
  aliases: readonly string[]
}

type MentionName = { ministryId: string; name: string }

const wordChar = /[\p{L}\p{N}_]/u

function normalise(value: string): string {
  return value.toLocaleLowerCase('id').replace(/[\s._-]+/g, '')
}

/** Every name a ministry can be mentioned by, longest first (so "Kemenko PMK" beats "Kemenko"). */
function mentionNames(ministries: readonly MentionableMinistry[]): MentionName[] {
  const names: MentionName[] = []
  for (const ministry of ministries) {
    for (const name of [ministry.short, ministry.id, ...ministry.aliases]) {
      const trimmed = name.trim()
      if (trimmed) names.push({ ministryId: ministry.id, name: trimmed })
    }
  }
  return names.sort((a, b) => b.name.length - a.name.length)
}

/** Where a mention can start: the text's start or after a character that is not part of a word. */
function canStartMention(text: string, at: number): boolean {
  const before = text[at - 1]
  return at === 0 || before === undefined || !(wordChar.test(before) || before === '@')
}

/** The length of `name` (written as is, or without its spaces) at `text[start]`, or 0. */
function matchLength(text: string, start: number, name: string): number {
  for (const candidate of [name, name.replace(/\s+/g, '')]) {
    const slice = text.slice(start, start + candidate.length)
    if (slice.toLocaleLowerCase('id') !== candidate.toLocaleLowerCase('id')) continue
    const next = text[start + candidate.length]
    if (next === undefined || !wordChar.test(next)) return candidate.length
  }
  return 0
}

/** The ids of the ministries mentioned in `text`, each once, in order of first mention. */
export function parseMentions(text: string, ministries: readonly MentionableMinistry[]): string[] {
  const names = mentionNames(ministries)
  const found: string[] = []
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (!canStartMention(text, at)) continue
    for (const { ministryId, name } of names) {
      if (matchLength(text, at + 1, name) > 0) {
        if (!found.includes(ministryId)) found.push(ministryId)
        break
      }
    }
  }
  return found
}

/** A person who can be mentioned by name ("@Siti Rahma"): a member of the card's deck. */
export type MentionablePerson = { id: string; name: string }

/**
 * The ids of the people mentioned by their full name in `text`, each once, in order. A name is
 * matched whole (case aside, and not followed by a letter), the longest first, so that "@Siti
 * Rahmawati" is not read as "@Siti Rahma". A ministry's name wins over a person's of the same
 * spelling: ministries are matched first by the comment field, and here a person's name must be
 * written as it is.
 */
export function parsePersonMentions(text: string, people: readonly MentionablePerson[]): string[] {
  const names = people
    .map((person) => ({ id: person.id, name: person.name.trim() }))
    .filter((entry) => entry.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length)
  const found: string[] = []
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (!canStartMention(text, at)) continue
    for (const { id, name } of names) {
      const slice = text.slice(at + 1, at + 1 + name.length)
      const next = text[at + 1 + name.length]
      if (
        slice.toLocaleLowerCase('id') === name.toLocaleLowerCase('id') &&
        (next === undefined || !wordChar.test(next))
      ) {
        if (!found.includes(id)) found.push(id)
        break
      }
    }
  }
  return found
}

export type MentionQuery = {
  /** Index of the "@". */
  start: number
  /** What was typed after it, up to the caret. */
  query: string
}

/** The mention being typed just before `caret`, if any ("… tolong @KP|" gives "KP"). */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at === -1 || !canStartMention(text, at)) return null
  const query = before.slice(at + 1)
  // Names are short; a line break or a long run means the mention is over.
  if (query.length > 40 || /[\n@]/.test(query) || /^\s/.test(query)) return null
  return { start: at, query }
}

/**
 * Ministries whose short name, id or an alias matches the query (prefix matches first), then
 * those whose full name contains it.
 */
export function matchMinistries<M extends MentionableMinistry>(
  query: string,
  ministries: readonly M[],
): M[] {
  const wanted = normalise(query)
  const scored: Array<{ ministry: M; score: number }> = []
  for (const ministry of ministries) {
    const names = [ministry.short, ministry.id, ...ministry.aliases].map(normalise).filter(Boolean)
    const fullNames = [ministry.nameId, ministry.nameEn].map(normalise)
    let score = -1
    if (wanted === '') score = 0
    else if (names.some((name) => name.startsWith(wanted))) score = 3
    else if (names.some((name) => name.includes(wanted))) score = 2
    else if (fullNames.some((name) => name.includes(wanted))) score = 1
    if (score >= 0) scored.push({ ministry, score })
  }
  return scored.sort((a, b) => b.score - a.score).map((entry) => entry.ministry)
}

/** The text with the mention being typed replaced by "@" `name` and a space, and the caret. */
function replaceMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `
  const after = text.slice(caret).replace(/^\S*\s?/, '')
  return {
    text: text.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length,
  }
}

/** The text with the mention being typed replaced by the ministry's short name, and the caret. */
export function completeMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  ministry: MentionableMinistry,
): { text: string; caret: number } {
  return replaceMention(text, mention, caret, ministry.short)
}

/**
 * The text with the mention being typed replaced by the person's full name, and the caret. The
 * name is written whole and as spelled (diacritics kept): `parsePersonMentions` reads only that.
 */
export function completePersonMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  person: MentionablePerson,
): { text: string; caret: number } {
  return replaceMention(text, mention, caret, person.name.trim())
}
