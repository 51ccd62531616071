/**
 * The search index over cards' questions and answers on PostgreSQL full-text search, answering
 * as sqlite/SqliteSearch.ts (FTS5) does (see search/deckSearch.ts): every word must appear, as a
 * word or the start of one, in any of the question, its Indonesian text or the answer; diacritics
 * and case do not count; best first, then in deck order; each hit says which text matched and
 * shows a snippet of it with the words marked [[ ]].
 *
 * Matching and ranking run in the database, on card_search.document: the three texts folded by
 * kartu_search_fold() (see migrations.ts) and weighted A, B, C, so that one query per text tells
 * which of them matched. The query's words go through the same function, so both sides fold
 * alike. The rank is FTS5's bm25 rather than ts_rank, so that hits come in the same order.
 *
 * Snippets are cut here rather than by ts_headline. ts_headline re-parses the stored text as it
 * is, unfolded: it would not mark "Bogotá" for "bogota", nor "sosial" in "ekonomi/sosial", though
 * both matched. snippet() below reads the text as FTS5's unicode61 tokenizer does and picks the
 * window as FTS5's snippet() does (16 tokens, ellipses where the text goes on), so a hit reads the
 * same on either engine.
 */
import type { SearchField } from '@kartu/protocol'
import type { SearchIndex, SearchRow } from '../types.ts'
import type { PgPool } from './database.ts'

/**
 * The texts in the order a hit names them (as SqliteSearch: question, its Indonesian, answer),
 * with the column telling whether one of the words is in it (weights A, B, C in the query).
 */
const FIELDS: ReadonlyArray<{ field: SearchField; flag: MatchFlag }> = [
  { field: 'question', flag: 'in_question' },
  { field: 'questionId', flag: 'in_question_id' },
  { field: 'answer', flag: 'in_answer' },
]

type MatchFlag = 'in_question' | 'in_question_id' | 'in_answer'

type HitRow = {
  card_id: string
  ref: string
  question: string
  question_id: string
  answer: string | null
} & Record<MatchFlag, boolean>

/** Tokens in a snippet, as SqliteSearch asks of FTS5. */
const SNIPPET_TOKENS = 16

export class PgSearch implements SearchIndex {
  constructor(private readonly pool: PgPool) {}

  async setAnswerTexts(entries: ReadonlyArray<{ cardId: string; text: string }>): Promise<void> {
    // The last text given for a card is the one kept, as SQLite's updates one after the other.
    const texts = new Map(entries.map(({ cardId, text }) => [cardId, text]))
    if (texts.size === 0) return
    await this.pool.query(
      `UPDATE card_search SET answer = e.text
       FROM unnest($1::text[], $2::text[]) AS e(card_id, text)
       WHERE card_search.card_id = e.card_id`,
      [[...texts.keys()], [...texts.values()]],
    )
  }

  async cardsWithoutAnswerText(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ card_id: string }>(
      'SELECT card_id FROM card_search WHERE answer IS NULL LIMIT $1',
      [limit],
    )
    return rows.map((row) => row.card_id)
  }

  async searchDeck(deckId: string, words: readonly string[], limit: number): Promise<SearchRow[]> {
    if (words.length === 0) return []
    // Each word becomes a quoted prefix term ('word':*), folded by the index's own function;
    // folding turns quotes and backslashes into spaces, so no word can break out of its quotes
    // or be read as tsquery syntax. `every` needs all the words; a text's query (weight A, B or
    // C) any of them, as a word marked in an FTS5 snippet of that text. A word that folds to no
    // term at all (empty, or only symbols) can never be found, so nothing matches, as in FTS5
    // (and '':* would be a tsquery syntax error: hence NULL for it).
    //
    // The rank is FTS5's bm25(), what SqliteSearch orders by, computed as FTS5 does: over the
    // whole index (every deck), k1 = 1.2, b = 0.75, a word's frequency in a card the number of
    // its words that start with it, summed word by word in the query's order (so that two equal
    // cards score exactly equal, and deck order decides between them; then the order the cards
    // were added in, as FTS5's rowids do in SQLite). The steps are MATERIALIZED: inlined, the
    // planner would count a word's cards once per card that holds it instead of once.
    const { rows } = await this.pool.query<HitRow>(
      `WITH term AS MATERIALIZED (
         SELECT n, prefix, t, to_tsquery('simple', t) AS tq
         FROM unnest($2::text[]) WITH ORDINALITY AS x(w, n),
           LATERAL (SELECT nullif(kartu_search_fold(w), '') AS prefix) AS folded,
           LATERAL (SELECT '''' || prefix || ''':*' AS t) AS quoted
       ), q AS (
         SELECT to_tsquery('simple', string_agg(t, ' & ')) AS every,
           to_tsquery('simple', string_agg(t || 'A', ' | ')) AS a,
           to_tsquery('simple', string_agg(t || 'B', ' | ')) AS b,
           to_tsquery('simple', string_agg(t || 'C', ' | ')) AS c,
           bool_and(coalesce(numnode(tq) > 0, false)) AS complete
         FROM term
       ), hit AS MATERIALIZED (
         SELECT s.card_id, s.seq, c.ref, c.position, s.question, s.question_id, s.answer,
           s.document, s.size, s.document @@ q.a AS in_question,
           s.document @@ q.b AS in_question_id, s.document @@ q.c AS in_answer
         FROM q, card_search s JOIN cards c ON c.id = s.card_id
         WHERE q.complete AND s.deck_id = $1 AND s.document @@ q.every
       ), total AS MATERIALIZED (
         SELECT count(*)::float8 AS cards, coalesce(sum(size), 0)::float8 AS words
         FROM card_search
       ), idf AS MATERIALIZED (
         SELECT term.n, term.prefix, CASE WHEN found.x <= 0 THEN 1e-6 ELSE found.x END AS weight
         FROM term, total, LATERAL (
           SELECT ln((total.cards - count(*) + 0.5) / (count(*) + 0.5)) AS x
           FROM card_search s WHERE s.document @@ term.tq
         ) AS found
       ), freq AS MATERIALIZED (
         SELECT hit.card_id, idf.n, idf.weight, sum(cardinality(u.positions))::float8 AS f
         FROM hit, idf, unnest(hit.document) AS u
         WHERE starts_with(u.lexeme, idf.prefix)
         GROUP BY hit.card_id, idf.n, idf.weight
       ), score AS MATERIALIZED (
         SELECT freq.card_id, sum(freq.weight * ((freq.f * (1.2::float8 + 1.0)) /
             (freq.f + 1.2::float8 * (1 - 0.75::float8 + 0.75::float8 * hit.size /
               (total.words / total.cards))))
           ORDER BY freq.n) AS bm25
         FROM freq JOIN hit ON hit.card_id = freq.card_id, total
         GROUP BY freq.card_id
       )
       SELECT hit.card_id, hit.ref, hit.question, hit.question_id, hit.answer, hit.in_question,
         hit.in_question_id, hit.in_answer
       FROM hit LEFT JOIN score ON score.card_id = hit.card_id
       ORDER BY coalesce(score.bm25, 0) DESC, hit.position, hit.seq
       LIMIT $3`,
      [deckId, [...words], limit],
    )
    const folded = words.map(fold)
    return rows.map((row) => {
      const chosen = FIELDS.find(({ flag }) => row[flag]) ?? FIELDS[0]
      const field = chosen?.field ?? 'question'
      const text =
        field === 'question' ? row.question : field === 'questionId' ? row.question_id : row.answer
      return {
        cardId: row.card_id,
        ref: row.ref,
        field,
        snippet: snippet(text ?? '', folded, SNIPPET_TOKENS),
      }
    })
  }
}

/** Lower case without diacritics: what kartu_search_fold() does to a word's letters. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
}

/** Words as FTS5's unicode61 tokenizer cuts them: letters, digits, private use, marks. */
const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu

type Token = { start: number; end: number; hit: boolean }

/**
 * An FTS5 snippet(): at most `size` tokens of `text`, the tokens that start with one of the
 * (folded) words wrapped in [[ ]], '…' where the text is cut. The window is chosen as FTS5 does:
 * for each matched token, the window from it, scored 1000 per distinct word in it and 1 per
 * repeat, then centred on its hits; and the sentence that token is in, from its start, with a
 * bonus of 100 (120 for the first sentence). The best score wins, the first of equals.
 */
function snippet(text: string, words: readonly string[], size: number): string {
  const tokens: Token[] = []
  // Per token, the indexes of the words it matches (a token can match several prefixes).
  const matches: number[][] = []
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index
    const end = start + match[0].length
    const token = fold(match[0])
    const which = words.flatMap((word, index) => (word && token.startsWith(word) ? [index] : []))
    tokens.push({ start, end, hit: which.length > 0 })
    matches.push(which)
  }
  const count = tokens.length
  // A sentence starts at the first token, and at a token after '.' or ':' and white space.
  const sentences: number[] = []
  tokens.forEach((token, index) => {
    if (index === 0) {
      sentences.push(0)
      return
    }
    // Back over the white space before it (at least one character of it) to what precedes.
    let before = token.start - 1
    while (before >= 0 && ' \t\n\r'.includes(text[before] as string)) before--
    const mark = before < token.start - 1 && before >= 0 ? text[before] : undefined
    if (mark === '.' || mark === ':') sentences.push(index)
  })
  const score = (from: number): { score: number; first: number; last: number } => {
    const seen = new Set<number>()
    let total = 0
    let first = -1
    let last = 0
    for (let position = from; position < Math.min(from + size, count); position++) {
      for (const word of matches[position] ?? []) {
        total += seen.has(word) ? 1 : 1000
        seen.add(word)
        if (first < 0) first = position
        last = position + 1
      }
    }
    return { score: total, first, last }
  }
  let best = 0
  let bestStart = 0
  for (let position = 0; position < count; position++) {
    for (const _word of matches[position] ?? []) {
      // FTS5 scores once per instance (word and position); repeats score the same window.
      const window = score(position)
      if (window.score > best) {
        best = window.score
        let start = window.first - Math.trunc((size - (window.last - window.first)) / 2)
        if (start + size > count) start = count - size
        bestStart = Math.max(start, 0)
      }
      if (sentences.length > 0 && count > size) {
        let index = 0
        while (index < sentences.length - 1 && (sentences[index + 1] as number) <= position) index++
        const sentence = sentences[index] as number
        if (sentence < position) {
          const total = score(sentence).score + (sentence === 0 ? 120 : 100)
          if (total > best) {
            best = total
            bestStart = sentence
          }
        }
      }
    }
  }
  const last = bestStart + size - 1
  let out = bestStart > 0 ? '…' : ''
  let offset = bestStart > 0 ? (tokens[bestStart]?.start ?? 0) : 0
  for (let position = bestStart; position <= Math.min(last, count - 1); position++) {
    const token = tokens[position] as Token
    if (!token.hit) continue
    out += `${text.slice(offset, token.start)}[[${text.slice(token.start, token.end)}]]`
    offset = token.end
  }
  if (last >= count - 1) return out + text.slice(offset)
  return `${out}${text.slice(offset, tokens[last]?.end ?? offset)}…`
}
