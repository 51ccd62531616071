import fs from 'node:fs'
import path from 'node:path'
import { type Card, type Deck, EMPTY_BRIEFING } from '@kartu/protocol'
import { getAnswerSchema } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { pdfFonts, pdfPages, pdfText, pdfWords, popplerAvailable } from '../testing/pdfTools.ts'
import { importDemoDeck, makeTempDir, openTempStorage, removeDir } from '../testing/tempStorage.ts'
import type { Book, Minutes } from './book.ts'
import { type BookPerson, type CardContent, CardContentReader } from './cardContent.ts'
import { ANSWER_SIZE } from './pdfBlocks.ts'
import { writeBookPdf, writeMinutesPdf } from './pdfExport.ts'

// The PDFs are read back with poppler, as a person's viewer would read them. Without it these
// tests cannot say anything: a developer's machine skips them loudly, CI (which installs
// poppler-utils) fails.
const poppler = popplerAvailable()
if (!poppler) {
  if (process.env.CI === 'true') {
    throw new Error('pdftotext (poppler-utils) is missing: CI must install it for the PDF tests')
  }
  console.warn(
    '\n!!! pdftotext (poppler-utils) not found: the PDF export tests that read PDFs back are SKIPPED.\n' +
      '!!! Install poppler-utils to run them.\n',
  )
}
const readBack = poppler ? it : it.skip

const deck: Deck = {
  id: 'deck-1',
  title: 'Kartu Jawaban Dialog Konstruktif RI – Komite CMW',
  titleEn: 'Cue cards for the constructive dialogue with the CMW',
  committee: 'CMW',
  stateParty: 'Indonesia',
  clusters: [
    { id: 'K1', nameId: 'Kerangka umum', nameEn: 'General framework' },
    { id: 'K2', nameId: 'Hak semua pekerja migran', nameEn: 'Rights of all migrant workers' },
  ],
  ministries: [
    {
      id: 'KP2MI',
      short: 'KP2MI',
      nameId: 'Kementerian Pelindungan Pekerja Migran Indonesia',
      nameEn: 'Ministry of Protection of Indonesian Migrant Workers',
      aliases: [],
      color: '#b91c1c',
    },
    {
      id: 'KEMLU',
      short: 'Kemlu',
      nameId: 'Kementerian Luar Negeri',
      nameEn: 'Ministry of Foreign Affairs',
      aliases: [],
      color: '#1f4e9c',
    },
  ],
  createdAt: '2026-01-05T00:00:00.000Z',
  suggestOnly: false,
}

function cardOf(ref: string, cluster: string, fields: Partial<Card> = {}): Card {
  return {
    id: `id-${ref}`,
    deckId: deck.id,
    ref,
    cluster,
    questionRef: `CMW/C/IDN/QPR/2, para. ${ref.slice(-1)}`,
    question: `English question of ${ref}?`,
    questionId: `Pertanyaan ${ref}?`,
    articles: ['73'],
    leadMinistry: 'KP2MI',
    contributingMinistries: [],
    status: 'draft',
    timeBudgetSec: 120,
    wordCount: 0,
    openSuggestions: 0,
    openThreads: 0,
    mentionedMinistries: [],
    locked: false,
    suggestOnly: false,
    position: 0,
    dueDate: null,
    clearances: [],
    updatedAt: '2026-03-01T00:00:00.000Z',
    briefing: EMPTY_BRIEFING,
    ...fields,
  }
}

type Json = {
  type: string
  attrs?: Record<string, unknown>
  content?: Json[]
  text?: string
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>
}
const text = (value: string, ...marks: Json['marks'] & {}): Json =>
  marks.length > 0 ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (...content: Array<Json | string>): Json => ({
  type: 'paragraph',
  content: content.map((part) => (typeof part === 'string' ? text(part) : part)),
})
const h = (value: string, level = 2): Json => ({
  type: 'heading',
  attrs: { level },
  content: [text(value)],
})
const li = (...content: Json[]): Json => ({ type: 'listItem', content })
const ul = (...items: Json[]): Json => ({ type: 'bulletList', content: items })
const ol = (start: number, ...items: Json[]): Json => ({
  type: 'orderedList',
  attrs: { start },
  content: items,
})
const br: Json = { type: 'hardBreak' }

function contentOf(card: Card, ...blocks: Json[]): CardContent {
  return {
    card,
    answer: getAnswerSchema().nodeFromJSON({ type: 'doc', content: blocks }),
    suggestions: new Map(),
    threads: [],
    decisions: [],
  }
}

const QUESTION_EN =
  'What legislative changes affecting migrant workers has Indonesia made since 2017, and how is their consistency with the Convention checked?'
const QUESTION_ID =
  'Perubahan legislasi apa saja yang berdampak pada pekerja migran sejak 2017, dan bagaimana kesesuaiannya dengan Konvensi diuji?'

/** Key messages, a pending deletion and insertion, a comment anchor, Indonesian typography. */
const first = contentOf(
  cardOf('CC-01', 'K1', {
    question: QUESTION_EN,
    questionId: QUESTION_ID,
    articles: ['73', '84'],
    briefing: {
      ...EMPTY_BRIEFING,
      speaker: { role: 'Ketua Delegasi', ministry: 'KP2MI', note: '' },
    },
  }),
  h('Pesan kunci'),
  ul(
    li(p('Pelindungan PMI kini mandat undang-undang.')),
    li(p('Kelembagaan diperkuat menjadi kementerian.')),
  ),
  h('Jawaban'),
  p(
    text('Terima kasih, '),
    text('Ketua', { type: 'comment', attrs: { threadId: 't1' } }),
    text('. Angka ini '),
    text('sudah dikonfirmasi ', { type: 'deletion', attrs: { id: 's1' } }),
    text('masih diverifikasi ', { type: 'insertion', attrs: { id: 's2' } }),
    text('oleh KP2MI — “pelindungan” di Jenewa (Genève), naik 12,5 % dari 2023–2024.'),
  ),
)

/** No key messages; a heading 3, a numbered list from 3 with a nested list, bold, italic, breaks. */
const second = contentOf(
  cardOf('CC-02', 'K1', { timeBudgetSec: 90 }),
  h('Latar belakang', 3),
  p(
    text('Kalimat '),
    text('tebal', { type: 'bold' }),
    text(' dan '),
    text('miring', { type: 'italic' }),
    text(' dan '),
    text('keduanya', { type: 'bold' }, { type: 'italic' }),
    text('.'),
  ),
  ol(3, li(p('Butir ketiga'), ul(li(p('Anak butir')))), li(p('Butir keempat'))),
  p('Baris pertama', br, 'Baris kedua'),
)

const third = contentOf(
  cardOf('CC-03', 'K2', { timeBudgetSec: 0 }),
  p('Jawaban kartu ketiga tentang hak semua pekerja migran.'),
)

const EXPORTED_AT = new Date('2026-03-12T03:05:00Z')

function bookOf(cards: CardContent[], fields: Partial<Book> = {}): Book {
  return {
    deck,
    cards,
    scope: 'deck',
    edition: 3,
    final: false,
    exportedAt: EXPORTED_AT,
    marking: 'TERBATAS',
    ...fields,
  }
}

/** Whitespace as one space: pdftotext breaks lines where the layout did. */
const flat = (value: string) => value.replace(/\s+/g, ' ')

let dir = ''
beforeAll(() => {
  dir = makeTempDir()
})
afterAll(() => {
  removeDir(dir)
})

/** Where the page's TERBATAS words are: in the top margin, the bottom margin, or elsewhere. */
function markingsOf(file: string, page: number): string[] {
  return pdfWords(file, page)
    .filter((word) => word.text === 'TERBATAS')
    .map((word) => (word.yMax <= 50 ? 'top' : word.yMin >= 780 ? 'bottom' : 'body'))
}

async function saved(name: string, bytes: Promise<Uint8Array>): Promise<string> {
  const file = path.join(dir, name)
  fs.writeFileSync(file, await bytes)
  return file
}

describe('writeBookPdf', () => {
  it('writes a PDF', async () => {
    const bytes = await writeBookPdf(bookOf([first]))
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
  })

  readBack('prints a deck as a cover, the contents and one page per card', async () => {
    const file = await saved('deck.pdf', writeBookPdf(bookOf([first, second, third])))
    expect(pdfPages(file)).toBe(5)

    const cover = flat(pdfText(file, 1))
    expect(cover).toContain(deck.title)
    expect(cover).toContain(deck.titleEn)
    expect(cover).toContain('CMW · Indonesia')
    expect(cover).toContain('DRAFT')
    expect(cover).toContain('Edisi v3')
    expect(cover).toContain('12 Maret 2026')

    const contents = pdfText(file, 2, { layout: true })
    expect(contents).toContain('Daftar isi')
    expect(flat(contents)).toContain('K1 Kerangka umum')
    expect(flat(contents)).toContain('K2 Hak semua pekerja migran')
    // Each card's row: its reference, the start of its question, the page it starts on.
    const rows = contents.split('\n').map((row) => flat(row).trim())
    expect(rows.find((row) => row.startsWith('CC-01'))).toMatch(/^CC-01 Perubahan legislasi.* 3$/)
    expect(rows.find((row) => row.startsWith('CC-02'))).toMatch(/^CC-02 Pertanyaan CC-02\? 4$/)
    expect(rows.find((row) => row.startsWith('CC-03'))).toMatch(/^CC-03 Pertanyaan CC-03\? 5$/)
  })

  readBack(
    'prints each card on its page: reference, questions, speaker, time and answer',
    async () => {
      const file = await saved('cards.pdf', writeBookPdf(bookOf([first, second, third])))
      const one = flat(pdfText(file, 3))
      expect(one).toContain('CC-01')
      expect(one).toContain('CMW/C/IDN/QPR/2, para. 1 · Pasal 73, 84 · Klaster K1')
      expect(one).toContain(QUESTION_ID)
      expect(one).toContain(QUESTION_EN)
      expect(one).toContain('Pembicara: Ketua Delegasi (KP2MI)')
      expect(one).toContain('Waktu: 2 menit')
      expect(one).toContain('Terima kasih, Ketua.')
      expect(one).not.toContain('CC-02')

      const two = flat(pdfText(file, 4))
      expect(two).toContain('CC-02')
      expect(two).toContain('Pertanyaan CC-02?')
      expect(two).toContain('English question of CC-02?')
      expect(two).toContain('Waktu: 1:30 menit')
      expect(two).not.toContain('Pembicara')

      const three = flat(pdfText(file, 5))
      expect(three).toContain('CC-03')
      expect(three).toContain('Jawaban kartu ketiga tentang hak semua pekerja migran.')
      // No time budget: no "Waktu" line rather than "0 menit".
      expect(three).not.toContain('Waktu')
    },
  )

  readBack(
    'prints the agreed text only: pending deletions stay, pending insertions do not',
    async () => {
      const file = await saved('agreed.pdf', writeBookPdf(bookOf([first], { scope: 'card' })))
      const page = flat(pdfText(file, 1))
      expect(page).toContain('Angka ini sudah dikonfirmasi oleh KP2MI')
      expect(page).not.toContain('diverifikasi')
    },
  )

  readBack(
    'extracts Indonesian and English text as typed, ligatures and punctuation included',
    async () => {
      const file = await saved('typography.pdf', writeBookPdf(bookOf([first], { scope: 'card' })))
      const page = flat(pdfText(file, 1))
      expect(page).toContain(
        'oleh KP2MI — “pelindungan” di Jenewa (Genève), naik 12,5 % dari 2023–2024.',
      )
      expect(page).toContain('dikonfirmasi')
      expect(page).toContain(QUESTION_EN)
    },
  )

  readBack(
    'boxes the key messages from the "Pesan kunci" section; no section, no box',
    async () => {
      const file = await saved('keys.pdf', writeBookPdf(bookOf([first, second, third])))
      const one = flat(pdfText(file, 3))
      expect(one).toContain(
        'PESAN KUNCI • Pelindungan PMI kini mandat undang-undang. • Kelembagaan diperkuat menjadi kementerian. Jawaban',
      )
      // The heading becomes the box's label, not a heading of the answer as well.
      expect(one).not.toContain('Pesan kunci')
      expect(flat(pdfText(file, 4))).not.toContain('PESAN KUNCI')
      expect(flat(pdfText(file, 5))).not.toContain('PESAN KUNCI')
    },
  )

  readBack(
    'keeps the structure of a rich answer: headings, numbered and nested lists, breaks',
    async () => {
      const file = await saved('rich.pdf', writeBookPdf(bookOf([second], { scope: 'card' })))
      const lines = pdfText(file, 1, { layout: true })
        .split('\n')
        .map((line) => flat(line).trim())
        .filter((line) => line !== '')
      const from = lines.indexOf('Latar belakang')
      expect(lines.slice(from, from + 7)).toEqual([
        'Latar belakang',
        'Kalimat tebal dan miring dan keduanya.',
        '3. Butir ketiga',
        '◦ Anak butir',
        '4. Butir keempat',
        'Baris pertama',
        'Baris kedua',
      ])
      // Bold, italic and both were set in their own faces.
      const fonts = pdfFonts(file).map((font) => font.name.replace(/^[A-Z]{6}\+/, ''))
      expect(fonts).toEqual(
        expect.arrayContaining([
          'LiberationSans',
          'LiberationSans-Bold',
          'LiberationSans-Italic',
          'LiberationSans-BoldItalic',
        ]),
      )
    },
  )

  readBack('prints the marking at the top and the bottom of every page', async () => {
    const file = await saved('marking.pdf', writeBookPdf(bookOf([first, second, third])))
    for (let page = 1; page <= 5; page++) {
      expect(markingsOf(file, page), `page ${page}`).toEqual(['top', 'bottom'])
      expect(flat(pdfText(file, page))).toContain(`${deck.title} · v3 · 12 Maret 2026`)
      expect(flat(pdfText(file, page))).toContain(`Halaman ${page} dari 5`)
    }
    const unmarked = await saved(
      'unmarked.pdf',
      writeBookPdf(bookOf([third], { scope: 'card', marking: '' })),
    )
    expect(pdfText(unmarked)).not.toContain('TERBATAS')
  })

  readBack('embeds every font it uses', async () => {
    const file = await saved('fonts.pdf', writeBookPdf(bookOf([first, second, third])))
    const fonts = pdfFonts(file)
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) {
      expect(font, font.name).toMatchObject({ embedded: true, subset: true })
      expect(font.name).toMatch(/LiberationSans/)
    }
  })

  readBack('prints a card alone as just its page', async () => {
    const file = await saved('single.pdf', writeBookPdf(bookOf([third], { scope: 'card' })))
    expect(pdfPages(file)).toBe(1)
    const page = flat(pdfText(file, 1))
    expect(page).toContain('CC-03')
    expect(page).not.toContain('Daftar isi')
    expect(page).not.toContain('DRAFT')
  })

  readBack(
    'goes on to the next page under "(lanjutan)" rather than shrinking a long answer',
    async () => {
      const paragraphs = Array.from({ length: 18 }, (_, index) =>
        p(
          `Paragraf ${index + 1}: pemerintah memperkuat pelindungan pekerja migran sejak desa asal, selama bekerja di luar negeri, sampai kepulangan, bersama pemerintah daerah dan desa.`,
        ),
      )
      // One paragraph longer than a page, too: pdfkit's own page break, inside a paragraph.
      const endless = p('Satu paragraf yang sangat panjang tentang pelindungan. '.repeat(90))
      const long = contentOf(cardOf('CC-09', 'K1'), endless, ...paragraphs)
      const file = await saved('long.pdf', writeBookPdf(bookOf([long], { scope: 'card' })))
      const pages = pdfPages(file)
      expect(pages).toBeGreaterThanOrEqual(2)
      expect(flat(pdfText(file, 1))).not.toContain('(lanjutan)')
      for (let page = 2; page <= pages; page++) {
        const lines = pdfText(file, page)
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
        // The marking, then the continuation header above the rest of the answer.
        expect(lines.slice(0, 2)).toEqual(['TERBATAS', '(lanjutan) CC-09'])
      }
      expect(flat(pdfText(file, pages))).toContain('Paragraf 18:')
      // Every word of the answer is as tall as 14 pt type (ascent plus descent, 1.117 em in
      // Liberation Sans) on every page.
      expect(ANSWER_SIZE).toBeGreaterThanOrEqual(14)
      for (let page = 1; page <= pages; page++) {
        const answerWords = pdfWords(file, page).filter((word) =>
          word.text.startsWith('pelindungan'),
        )
        expect(answerWords.length).toBeGreaterThan(0)
        for (const word of answerWords) {
          expect(word.yMax - word.yMin).toBeGreaterThanOrEqual(14 * 1.1)
        }
      }
    },
  )

  readBack('fits every card of the demo deck on one page', async () => {
    const temp = await openTempStorage()
    try {
      const { deckId } = await importDemoDeck(temp)
      const demo = await temp.storage.repository.getDeck(deckId)
      if (!demo) throw new Error('the demo deck was not imported')
      const reader = new CardContentReader(temp.storage.documents, recordingLogger())
      const cards: CardContent[] = []
      for (const card of await temp.storage.repository.listCards(deckId)) {
        cards.push(await reader.read(card, demo))
      }
      const file = await saved(
        'demo.pdf',
        writeBookPdf({ ...bookOf(cards), deck: demo, cards, final: true }),
      )
      expect(pdfPages(file)).toBe(2 + cards.length)
      expect(flat(pdfText(file, 1))).toContain('FINAL')
      cards.forEach((content, index) => {
        const page = flat(pdfText(file, 3 + index))
        expect(page).toContain(content.card.ref)
        expect(page).not.toContain('(lanjutan)')
      })
    } finally {
      await temp.cleanup()
    }
  })
})

describe('writeMinutesPdf', () => {
  const person = (name: string, ministry: string): BookPerson => ({
    userId: `u-${name}`,
    name,
    ministryId: ministry,
    ministry,
  })
  const chair = person('Budi', 'Kemenko Polkam')
  const minutes: Minutes = {
    deck,
    session: {
      name: 'Rakor hari 1',
      from: new Date('2026-03-10T02:00:00Z'),
      to: new Date('2026-03-10T09:30:00Z'),
      closedBy: chair,
    },
    ministries: [
      { id: 'KP2MI', short: 'KP2MI', name: 'Kementerian Pelindungan Pekerja Migran Indonesia' },
      { id: 'KEMLU', short: 'Kemlu', name: 'Kementerian Luar Negeri' },
    ],
    decisions: [
      {
        suggestionId: 's1',
        kind: 'replace',
        outcome: 'accepted',
        text: 'masih diverifikasi',
        suggestedBy: 'u-Siti',
        reason: 'diterima dengan perubahan',
        at: Date.parse('2026-03-10T03:32:00Z'),
        decidedBy: chair,
        proposedBy: person('Siti', 'KP2MI'),
        cardId: 'id-CC-01',
        cardRef: 'CC-01',
      },
      {
        suggestionId: 's2',
        kind: 'split',
        outcome: 'rejected',
        text: 'Paragraf baru di sini',
        suggestedBy: 'u-gone',
        reason: '',
        at: Date.parse('2026-03-10T04:10:00Z'),
        decidedBy: chair,
        proposedBy: null,
        cardId: 'id-CC-02',
        cardRef: 'CC-02',
      },
      {
        suggestionId: 's3',
        kind: 'join',
        outcome: 'withdrawn',
        text: 'dua paragraf',
        suggestedBy: 'u-Rina',
        reason: 'ditunda ke ibu kota',
        at: Date.parse('2026-03-10T05:45:00Z'),
        decidedBy: person('Rina', 'Kemlu'),
        proposedBy: person('Rina', 'Kemlu'),
        cardId: 'id-CC-02',
        cardRef: 'CC-02',
      },
    ],
    signOff: [
      {
        at: Date.parse('2026-03-10T06:00:00Z'),
        cardId: 'id-CC-01',
        cardRef: 'CC-01',
        kind: 'given',
        ministry: 'Kemlu',
        person: person('Rina', 'Kemlu'),
        override: null,
        missing: [],
      },
      {
        at: Date.parse('2026-03-10T06:30:00Z'),
        cardId: 'id-CC-02',
        cardRef: 'CC-02',
        kind: 'final',
        ministry: null,
        person: chair,
        override: 'disepakati lisan',
        missing: ['KP2MI'],
      },
    ],
    exportedAt: EXPORTED_AT,
    marking: 'TERBATAS',
  }

  it('writes a PDF', async () => {
    const bytes = await writeMinutesPdf(minutes)
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-')
  })

  readBack(
    'prints the session, who closed it, the ministries present and each decision',
    async () => {
      const file = await saved('minutes.pdf', writeMinutesPdf(minutes))
      const text = flat(pdfText(file))
      expect(text).toContain('Notulen rakor')
      expect(text).toContain(deck.title)
      expect(text).toContain('Sesi: Rakor hari 1')
      // 02:00-09:30 UTC is 09:00-16:30 in Jakarta.
      expect(text).toContain('Waktu: 10 Maret 2026 09:00 – 16:30')
      expect(text).toContain('Ditutup oleh: Budi (Kemenko Polkam)')
      expect(text).toContain(
        'KP2MI (Kementerian Pelindungan Pekerja Migran Indonesia), Kemlu (Kementerian Luar Negeri)',
      )
      expect(text).toContain('1. 10:32 · CC-01 · penggantian · diterima')
      expect(text).toContain('“masih diverifikasi”')
      expect(text).toContain('Alasan: diterima dengan perubahan')
      expect(text).toContain(
        'Diusulkan oleh: Siti (KP2MI) · Diputuskan oleh: Budi (Kemenko Polkam)',
      )
      // A proposer no longer in the card's authors: the id the decision recorded.
      expect(text).toContain('2. 11:10 · CC-02 · paragraf baru · ditolak')
      expect(text).toContain('Diusulkan oleh: u-gone')
      expect(text).toContain('3. 12:45 · CC-02 · penggabungan paragraf · ditarik')
      expect(text).toContain('Alasan: ditunda ke ibu kota')
      expect(text).toContain('Persetujuan K/L dan final')
      expect(text).toContain('13:00 · CC-01: Kemlu menyetujui teks (Rina (Kemlu))')
      expect(text).toContain(
        '13:30 · CC-02: ditetapkan final oleh Budi (Kemenko Polkam); tanpa persetujuan KP2MI, alasan: disepakati lisan',
      )
      expect(markingsOf(file, 1)).toEqual(['top', 'bottom'])
      for (const font of pdfFonts(file)) expect(font.embedded, font.name).toBe(true)
    },
  )

  readBack('says so when the session decided nothing', async () => {
    const file = await saved(
      'empty-minutes.pdf',
      writeMinutesPdf({ ...minutes, decisions: [], signOff: [] }),
    )
    expect(flat(pdfText(file))).toContain('Tidak ada keputusan dalam sesi ini.')
    expect(flat(pdfText(file))).toContain(
      'Tidak ada persetujuan atau penetapan final dalam sesi ini.',
    )
  })
})
