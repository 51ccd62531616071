/**
 * Search over a deck's questions and answers, in Indonesian and English: each word the person
 * typed must appear (as a word or the start of one: "migr" finds "migran"), in any of the
 * question, its Indonesian text or the answer. The index is given words only, so nothing a
 * person types is read as query syntax (each engine's index builds its query from the words).
 */
import type { SearchHit } from '@kartu/protocol'
import type { SearchIndex } from '../store/types.ts'

/** Words of the query: letters and digits (diacritics are folded by the index). */
export function searchWords(query: string): string[] {
  return (query.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12)
}

export class DeckSearch {
  constructor(private readonly index: SearchIndex) {}

  async search(deckId: string, query: string, limit = 30): Promise<SearchHit[]> {
    const words = searchWords(query)
    if (words.length === 0) return []
    return this.index.searchDeck(deckId, words, limit)
  }
}
