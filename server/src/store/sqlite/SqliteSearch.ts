/**
 * The search index over cards' questions and answers: SQLite FTS5 (see search/deckSearch.ts).
 */
import type { SearchField } from '@kartu/protocol'
import type { SearchIndex, SearchRow } from '../types.ts'
import type { SqliteDatabase } from './openDatabase.ts'

/** FTS5 column numbers of the text columns, for snippet(). */
const COLUMNS: ReadonlyArray<{ field: SearchField; column: number; name: string }> = [
  { field: 'question', column: 2, name: 'question' },
  { field: 'questionId', column: 3, name: 'question_id' },
  { field: 'answer', column: 4, name: 'answer' },
]

/** The FTS5 query for the words: each a quoted prefix, all required. */
function ftsQuery(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '')}"*`).join(' ')
}

export class SqliteSearch implements SearchIndex {
  constructor(private readonly db: SqliteDatabase) {}

  async setAnswerTexts(entries: ReadonlyArray<{ cardId: string; text: string }>): Promise<void> {
    const update = this.db.prepare('UPDATE card_search SET answer = ? WHERE card_id = ?')
    this.db.transaction(() => {
      for (const { cardId, text } of entries) update.run(text, cardId)
    })()
  }

  async cardsWithoutAnswerText(limit: number): Promise<string[]> {
    const rows = this.db
      .prepare('SELECT card_id FROM card_search WHERE answer IS NULL LIMIT ?')
      .all(limit) as Array<{ card_id: string }>
    return rows.map((row) => row.card_id)
  }

  async searchDeck(deckId: string, words: readonly string[], limit: number): Promise<SearchRow[]> {
    // No words match nothing (an empty MATCH would be an FTS5 syntax error).
    if (words.length === 0) return []
    // Which column matched: a snippet of each, the first that holds a marked word wins (in the
    // order question, its Indonesian text, answer).
    const snippets = COLUMNS.map(
      ({ column, name }) => `snippet(card_search, ${column}, '[[', ']]', '…', 16) AS ${name}`,
    ).join(', ')
    const rows = this.db
      .prepare(
        `SELECT s.card_id, c.ref, ${snippets} FROM card_search s JOIN cards c ON c.id = s.card_id
         WHERE card_search MATCH ? AND s.deck_id = ? ORDER BY rank, c.position LIMIT ?`,
      )
      .all(ftsQuery(words), deckId, limit) as Array<Record<string, string | null>>
    return rows.map((row) => {
      const hit = COLUMNS.find(({ name }) => row[name]?.includes('[['))
      const chosen = hit ?? COLUMNS[0]
      return {
        cardId: String(row.card_id),
        ref: String(row.ref),
        field: chosen?.field ?? 'question',
        snippet: (chosen ? row[chosen.name] : null) ?? '',
      }
    })
  }
}
