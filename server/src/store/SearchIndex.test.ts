/**
 * What the search index promises (types.ts, search/deckSearch.ts), on SQLite (FTS5) and on
 * PostgreSQL (full-text search): every word required, as a word or the start of one, in any of
 * the three texts; case, diacritics and punctuation aside; the text that matched named, with a
 * snippet of it marked [[ ]]; best first, then deck order; one deck only. Then the two engines
 * side by side on the same cards: the same hits, in the same order, with the same snippets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeckSearch, searchWords } from '../search/deckSearch.ts'
import {
  addCard,
  addDeck,
  deleteCard,
  ENGINES,
  type EngineName,
  engineAvailable,
  openTestEngine,
  type TestEngine,
  updateCard,
} from '../testing/storeEngines.ts'
import { demoDeckFile } from '../testing/tempStorage.ts'

const available = new Map<EngineName, boolean>()
for (const engine of ENGINES) available.set(engine, await engineAvailable(engine))

type DemoCard = { id: string; question: string; question_id: string; draft_answer: string }
const DEMO_CARDS = (demoDeckFile() as { cards: DemoCard[] }).cards

/** The demo deck's cards in deck-1 (ids lower case, refs as in the file), answers indexed. */
async function seedDemoDeck(db: TestEngine): Promise<void> {
  await addDeck(db, 'deck-1', [])
  for (const [position, card] of DEMO_CARDS.entries()) {
    await addCard(db, {
      id: card.id.toLowerCase(),
      deckId: 'deck-1',
      ref: card.id,
      question: card.question,
      questionId: card.question_id,
      position,
    })
  }
  await db.search.setAnswerTexts(
    DEMO_CARDS.map((card) => ({ cardId: card.id.toLowerCase(), text: card.draft_answer })),
  )
}

describe.each(ENGINES)('SearchIndex on %s', (engine) => {
  describe.skipIf(!available.get(engine))('', () => {
    let db: TestEngine
    /** As the search route asks: the person's query read as words, then the index. */
    const search = (query: string, deckId = 'deck-1', limit = 30) =>
      new DeckSearch(db.search).search(deckId, query, limit)
    const refs = async (query: string) => (await search(query)).map((hit) => hit.ref)

    beforeEach(async () => {
      db = await openTestEngine(engine)
    })

    afterEach(async () => {
      await db.destroy()
    })

    describe('on the demo deck', () => {
      beforeEach(async () => {
        await seedDemoDeck(db)
        // Another deck whose card asks the same words: it must never show in deck-1's search.
        await addDeck(db, 'deck-2', [])
        await addCard(db, {
          id: 'other-card',
          deckId: 'deck-2',
          ref: 'UPR-01',
          question: 'What legislative changes did the other deck ask about?',
          questionId: 'Perubahan legislasi apa?',
        })
      })

      it('finds a question by its English and its Indonesian words', async () => {
        const english = await search('legislative changes')
        expect(english[0]).toMatchObject({ cardId: 'cc-01', ref: 'CC-01', field: 'question' })
        expect(english[0]?.snippet).toContain('[[legislative]] [[changes]]')
        const indonesian = await search('legislasi')
        expect(indonesian[0]).toMatchObject({ ref: 'CC-01', field: 'questionId' })
        expect(indonesian[0]?.snippet).toContain('[[legislasi]]')
        // The start of a word finds it; every word must be there.
        expect(await refs('legisla')).toContain('CC-01')
        expect(await search('legislative zzzqqq')).toEqual([])
        // Nothing of the other deck, even for the same words; and the other deck has its own.
        expect(english.map((hit) => hit.cardId)).not.toContain('other-card')
        expect(await search('legislative', 'deck-2')).toEqual([
          expect.objectContaining({ cardId: 'other-card', ref: 'UPR-01' }),
        ])
      })

      it('finds an answer by a word written in it, marked as it is written', async () => {
        expect(await search('wakatobi')).toEqual([])
        const card = DEMO_CARDS[4] as DemoCard
        await db.search.setAnswerTexts([
          {
            cardId: card.id.toLowerCase(),
            text: `Pendataan di Wakatobi dan Nunukan. ${card.draft_answer}`,
          },
        ])
        const [hit, ...rest] = await search('Wakatobi nunukan')
        expect(rest).toEqual([])
        expect(hit).toMatchObject({ cardId: card.id.toLowerCase(), field: 'answer' })
        expect(hit?.snippet).toMatch(/^Pendataan di \[\[Wakatobi\]\] dan \[\[Nunukan\]\]\. /)
      })

      it('keeps to the limit, best first', async () => {
        const all = await search('dan')
        expect(all.length).toBeGreaterThan(3)
        expect(await search('dan', 'deck-1', 3)).toEqual(all.slice(0, 3))
      })
    })

    it('reads case, diacritics and punctuation as nothing', async () => {
      await addDeck(db, 'deck-1', [])
      await addCard(db, {
        id: 'c1',
        deckId: 'deck-1',
        question: 'Kerja sama dengan Curaçao dan BOGOTÁ',
        questionId: 'Data ekonomi/sosial (UPR-01), rasio 3.5; kontak: info@kemlu.go.id',
      })
      await addCard(db, { id: 'c2', deckId: 'deck-1', question: 'Kantor di Bogota', position: 1 })
      const curacao = await search('curacao')
      expect(curacao).toMatchObject([{ cardId: 'c1', field: 'question' }])
      expect(curacao[0]?.snippet).toBe('Kerja sama dengan [[Curaçao]] dan BOGOTÁ')
      // The shorter text ranks first (bm25).
      expect((await search('Bogotá')).map((hit) => hit.cardId)).toEqual(['c2', 'c1'])
      expect((await search('bogota')).map((hit) => hit.cardId)).toEqual(['c2', 'c1'])
      for (const word of ['sosial', 'ekonomi', 'upr', '01', '5', 'kemlu', 'go', 'id']) {
        const [hit, ...rest] = await search(word)
        expect(rest, word).toEqual([])
        expect(hit, word).toMatchObject({ cardId: 'c1', field: 'questionId' })
        expect(hit?.snippet, word).toContain('[[')
      }
      expect((await search('ekonomi/sosial'))[0]?.snippet).toBe(
        'Data [[ekonomi]]/[[sosial]] (UPR-01), rasio 3.5; kontak: info@kemlu.go.id',
      )
    })

    it('names the question first, then its Indonesian text, then the answer', async () => {
      await addDeck(db, 'deck-1', [])
      await addCard(db, {
        id: 'c1',
        deckId: 'deck-1',
        question: 'About quotas',
        questionId: 'Tentang kuota',
      })
      await db.search.setAnswerTexts([{ cardId: 'c1', text: 'Kuota dan quotas dibahas.' }])
      expect(await search('quota')).toMatchObject([{ field: 'question' }])
      expect(await search('kuota')).toMatchObject([{ field: 'questionId' }])
      expect(await search('dibahas')).toMatchObject([
        { field: 'answer', snippet: 'Kuota dan quotas [[dibahas]].' },
      ])
      // Each word may be in another text: the first text holding any of them is named.
      expect(await search('dibahas tentang')).toMatchObject([
        { field: 'questionId', snippet: '[[Tentang]] kuota' },
      ])
    })

    it('cuts a long text to sixteen words around the match, with ellipses', async () => {
      await addDeck(db, 'deck-1', [])
      await addCard(db, { id: 'c1', deckId: 'deck-1' })
      const words = Array.from({ length: 60 }, (_, i) => (i === 30 ? 'Wakatobi' : `w${i + 1}`))
      await db.search.setAnswerTexts([{ cardId: 'c1', text: words.join(' ') }])
      const [hit] = await search('wakatobi')
      expect(hit?.snippet).toBe(
        '…w24 w25 w26 w27 w28 w29 w30 [[Wakatobi]] w32 w33 w34 w35 w36 w37 w38 w39…',
      )
      // A sentence that holds the word is shown from its start (FTS5's preference).
      await db.search.setAnswerTexts([
        {
          cardId: 'c1',
          text: `${words.slice(0, 25).join(' ')}. Di Wakatobi ada data baru. ${words.slice(40).join(' ')}`,
        },
      ])
      expect((await search('wakatobi'))[0]?.snippet).toBe(
        '…Di [[Wakatobi]] ada data baru. w41 w42 w43 w44 w45 w46 w47 w48 w49 w50 w51…',
      )
    })

    it('ranks the cards that use the words more first, and equal ones in deck order', async () => {
      await addDeck(db, 'deck-1', [])
      const filler = 'tentang pelindungan pekerja di luar negeri'
      const cards = [
        { id: 'once', position: 0, text: `migran ${filler}` },
        { id: 'thrice', position: 1, text: `migran migran migran ${filler}` },
        { id: 'same-b', position: 3, text: `migrasi ${filler}` },
        { id: 'same-a', position: 2, text: `migrasi ${filler}` },
        { id: 'none', position: 4, text: filler },
      ]
      for (const card of cards) {
        await addCard(db, { id: card.id, deckId: 'deck-1', position: card.position })
      }
      await db.search.setAnswerTexts(cards.map((card) => ({ cardId: card.id, text: card.text })))
      expect((await search('migra')).map((hit) => hit.cardId)).toEqual([
        'thrice',
        'once',
        'same-a',
        'same-b',
      ])
    })

    it('takes words, never query syntax', async () => {
      await addDeck(db, 'deck-1', [])
      await addCard(db, { id: 'c1', deckId: 'deck-1', question: 'organisasi and nearby notes' })
      // FTS5's and tsquery's operators are plain words (each the start of one) here.
      for (const word of ['OR', 'AND', 'NEAR', 'NOT']) {
        expect((await db.search.searchDeck('deck-1', [word], 10)).map((hit) => hit.cardId)).toEqual(
          ['c1'],
        )
      }
      for (const words of [[], [''], ['"'], ['*'], ['x:*|y'], ["'"], ['\\']]) {
        expect(await db.search.searchDeck('deck-1', words, 10), JSON.stringify(words)).toEqual([])
      }
      expect(searchWords('"legislative OR NEAR(a b) question:x*')).toEqual([
        'legislative',
        'OR',
        'NEAR',
        'a',
        'b',
        'question',
        'x',
      ])
    })

    it('follows the cards: a question changed, a card deleted', async () => {
      await addDeck(db, 'deck-1', [])
      await addCard(db, { id: 'c1', deckId: 'deck-1', question: 'Old words', questionId: 'Lama' })
      await addCard(db, { id: 'c2', deckId: 'deck-1', question: 'Other', position: 1 })
      await updateCard(db, 'c1', { question: 'Fresh wording', question_id: 'Baru' })
      expect(await search('old')).toEqual([])
      expect(await search('lama')).toEqual([])
      expect(await search('fresh baru')).toMatchObject([{ cardId: 'c1', field: 'question' }])
      await deleteCard(db, 'c1')
      expect(await search('fresh')).toEqual([])
      expect(await db.search.cardsWithoutAnswerText(10)).toEqual(['c2'])
    })

    it('lists the cards whose answer has not been indexed, until it has (empty or not)', async () => {
      await addDeck(db, 'deck-1', [])
      for (const id of ['a', 'b', 'c']) await addCard(db, { id, deckId: 'deck-1' })
      expect([...(await db.search.cardsWithoutAnswerText(10))].sort()).toEqual(['a', 'b', 'c'])
      expect(await db.search.cardsWithoutAnswerText(2)).toHaveLength(2)
      await db.search.setAnswerTexts([
        { cardId: 'a', text: '' },
        { cardId: 'b', text: 'first' },
        { cardId: 'b', text: 'second' },
        { cardId: 'unknown', text: 'ignored' },
      ])
      expect(await db.search.cardsWithoutAnswerText(10)).toEqual(['c'])
      // The last text given for a card is the one kept.
      expect(await search('first')).toEqual([])
      expect(await search('second')).toMatchObject([{ cardId: 'b', field: 'answer' }])
      await db.search.setAnswerTexts([])
    })
  })
})

/** A deterministic pseudo-random sequence (the same cards and queries on every run). */
function sequence(seed: number): (below: number) => number {
  let state = seed
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state % below
  }
}

describe.skipIf(!available.get('postgres'))('SearchIndex: PostgreSQL answers as SQLite', () => {
  let engines: TestEngine[] = []

  afterEach(async () => {
    for (const db of engines) await db.destroy()
    engines = []
  })

  it('gives the same hits, in the same order, naming the same texts, with the same snippets', async () => {
    const next = sequence(12345)
    const vocabulary = [
      'migran',
      'Migrasi',
      'pekerja',
      'Bogotá',
      'bogota',
      'CURAÇAO',
      'naïve',
      'ekonomi/sosial',
      'UPR-01',
      '3.5',
      'Wakatobi',
      'hak',
      'Hak-hak',
      'perempuan',
      'anak-anak',
      'x²',
      'Straße',
      'l’état',
      '“quoted”',
      'K/L',
      'UU',
      'No.',
      '18/2017',
      'dan',
      'yang',
      'the',
    ]
    const separators = [' ', ' ', ' ', ', ', '. ', ': ', ' — ', '\n', ' (', ') ']
    const text = (length: number) =>
      Array.from(
        { length },
        () => `${vocabulary[next(vocabulary.length)]}${separators[next(separators.length)]}`,
      )
        .join('')
        .trim()
    const synthetic = Array.from({ length: 40 }, (_, i) => ({
      id: `s${i}`,
      // A third of them in another deck: bm25 reads the whole index, as FTS5 does.
      deckId: i % 3 === 0 ? 'deck-2' : 'deck-1',
      question: text(5 + next(15)),
      questionId: text(5 + next(15)),
      answer: i % 7 === 0 ? null : text(next(100)),
      position: 100 + next(10),
    }))
    for (const engine of ENGINES) {
      const db = await openTestEngine(engine)
      engines.push(db)
      await seedDemoDeck(db)
      await addDeck(db, 'deck-2', [])
      for (const card of synthetic) await addCard(db, card)
      await db.search.setAnswerTexts(
        synthetic.flatMap((card) => (card.answer ? [{ cardId: card.id, text: card.answer }] : [])),
      )
    }
    const demoWords = DEMO_CARDS.flatMap((card) =>
      searchWords(`${card.question} ${card.question_id} ${card.draft_answer}`),
    )
    const pools = [demoWords, vocabulary.flatMap((word) => searchWords(word))]
    let compared = 0
    for (let query = 0; query < 150; query++) {
      const pool = pools[query % 2] as string[]
      const words = Array.from({ length: 1 + next(3) }, () => {
        const word = pool[next(pool.length)] as string
        return next(2) === 0 ? word.slice(0, 1 + next(word.length)) : word
      })
      const [sqlite, postgres] = await Promise.all(
        engines.map((db) => db.search.searchDeck('deck-1', words, 30)),
      )
      expect(postgres, words.join(' ')).toEqual(sqlite)
      if ((sqlite?.length ?? 0) > 1) compared++
    }
    // Most queries found several cards: the order was compared, not only single hits.
    expect(compared).toBeGreaterThan(75)
  })
})
