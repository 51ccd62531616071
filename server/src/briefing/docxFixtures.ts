/**
 * Books and minutes for the Word writer's tests, built directly (no store, no rooms): a deck of
 * the CMW dialogue with four ministries, cards whose answers hold every kind of suggestion from
 * three ministries (KP2MI, Kemlu, Kemnaker), threads with replies, and a reader for the parts
 * of the written file.
 */
import { type Card, type Deck, EMPTY_BRIEFING } from '@kartu/protocol'
import { BLOCK_BREAK, getAnswerSchema } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { DOMParser, type Element, type Document as XmlDocument } from '@xmldom/xmldom'
import { strFromU8, unzipSync } from 'fflate'
import type { Book, Minutes } from './book.ts'
import type { BookPerson, BookSuggestion, BookThread, CardContent } from './cardContent.ts'
import { WORD_NS } from './docxPackage.ts'

export const MARKUP_QUESTION = 'Apakah <script>alert(1)</script> & "kutipan" tetap teks?'

export const deck: Deck = {
  id: 'deck-cmw',
  title: 'Kartu Jawaban Dialog CMW 2026',
  titleEn: 'Cue cards, CMW dialogue 2026',
  committee: 'CMW (Committee on Migrant Workers)',
  stateParty: 'Indonesia',
  clusters: [
    { id: 'K1', nameId: 'Kerangka hukum', nameEn: 'Legal framework' },
    { id: 'K2', nameId: 'Hak pekerja migran', nameEn: 'Rights of migrant workers' },
  ],
  ministries: [
    {
      id: 'KP2MI',
      short: 'KP2MI',
      nameId: 'Kementerian Pelindungan Pekerja Migran Indonesia',
      nameEn: 'Ministry of Protection of Indonesian Migrant Workers',
      aliases: ['BP2MI'],
      color: '#0057b8',
    },
    {
      id: 'KEMLU',
      short: 'Kemlu',
      nameId: 'Kementerian Luar Negeri',
      nameEn: 'Ministry of Foreign Affairs',
      aliases: ['Kemenlu'],
      color: '#8a2be2',
    },
    {
      id: 'KEMNAKER',
      short: 'Kemnaker',
      nameId: 'Kementerian Ketenagakerjaan',
      nameEn: 'Ministry of Manpower',
      aliases: [],
      color: '#c0392b',
    },
    {
      id: 'KEMENHAM',
      short: 'KemenHAM',
      nameId: 'Kementerian Hak Asasi Manusia',
      nameEn: 'Ministry of Human Rights',
      aliases: ['Kemenkumham'],
      color: '#2e8b57',
    },
  ],
  createdAt: '2026-01-05T02:00:00.000Z',
  suggestOnly: false,
}

function person(userId: string, name: string, ministryId: string): BookPerson {
  const ministry = deck.ministries.find((candidate) => candidate.id === ministryId)
  return { userId, name, ministryId, ministry: ministry?.short ?? ministryId }
}

export const people = {
  siti: person('u-siti', 'Siti Rahma', 'KP2MI'),
  budi: person('u-budi', 'Budi Santoso', 'KEMLU'),
  rina: person('u-rina', 'Rina Wijaya', 'KEMNAKER'),
  chair: person('u-ketua', 'Ketua Rakor', 'KEMENHAM'),
}

/** 10 March 2026, 09:00 Jakarta (02:00 UTC), plus `minutes`. */
export function at(minutes: number): number {
  return Date.UTC(2026, 2, 10, 2, minutes, 0)
}

export function card(overrides: Partial<Card> = {}): Card {
  return {
    id: 'card-1',
    deckId: deck.id,
    ref: 'CC-01',
    cluster: 'K1',
    questionRef: 'CMW/C/IDN/QPR/2, para. 1(a)',
    question: 'Describe the laws adopted since 2017 on the protection of migrant workers.',
    questionId: 'Jelaskan peraturan yang ditetapkan sejak 2017 tentang pelindungan pekerja migran.',
    articles: ['73', '84'],
    leadMinistry: 'KEMENHAM',
    contributingMinistries: ['KP2MI', 'KEMLU', 'KEMNAKER'],
    status: 'in_review',
    timeBudgetSec: 120,
    wordCount: 0,
    openSuggestions: 0,
    openThreads: 0,
    mentionedMinistries: [],
    locked: false,
    suggestOnly: false,
    position: 1,
    dueDate: null,
    clearances: [],
    updatedAt: '2026-03-10T02:00:00.000Z',
    briefing: {
      ...EMPTY_BRIEFING,
      speaker: { role: 'Ketua Delegasi', ministry: 'KEMENHAM', note: '' },
    },
    ...overrides,
  }
}

type MarkJson = { type: string; attrs?: Record<string, unknown> }
type NodeJson = {
  type: string
  attrs?: Record<string, unknown>
  content?: NodeJson[]
  text?: string
  marks?: MarkJson[]
}

export const mark = {
  bold: { type: 'bold' },
  italic: { type: 'italic' },
  ins: (id: string): MarkJson => ({ type: 'insertion', attrs: { id } }),
  del: (id: string): MarkJson => ({ type: 'deletion', attrs: { id } }),
  format: (id: string, before: string[]): MarkJson => ({
    type: 'formatChange',
    attrs: { id, before },
  }),
  comment: (threadId: string): MarkJson => ({ type: 'comment', attrs: { threadId } }),
}

export const text = (value: string, ...marks: MarkJson[]): NodeJson =>
  marks.length > 0 ? { type: 'text', text: value, marks } : { type: 'text', text: value }
export const paragraph = (...content: NodeJson[]): NodeJson => ({ type: 'paragraph', content })
export const heading = (level: 2 | 3, value: string): NodeJson => ({
  type: 'heading',
  attrs: { level },
  content: [text(value)],
})
export const item = (...content: NodeJson[]): NodeJson => ({ type: 'listItem', content })
export const bullets = (...items: NodeJson[]): NodeJson => ({ type: 'bulletList', content: items })
export const numbered = (start: number, ...items: NodeJson[]): NodeJson => ({
  type: 'orderedList',
  attrs: { start },
  content: items,
})
export const hardBreak: NodeJson = { type: 'hardBreak' }

export function answerOf(...blocks: NodeJson[]): PMNode {
  const node = getAnswerSchema().nodeFromJSON({ type: 'doc', content: blocks })
  node.check()
  return node
}

/** Words of the review card, by what happens to them. */
export const words = {
  kept: 'Indonesia telah menggeser paradigma',
  inserted: 'secara konsisten',
  deleted: 'lama',
  bolded: 'pelindungan',
  insertedThenDeleted: 'sementara',
  beforeSplit: 'Kalimat pertama sebelum pemisahan.',
  afterSplit: 'Kalimat kedua sesudah pemisahan.',
  joinedFirst: 'Bagian awal yang akan digabung',
  joinedSecond: 'dengan bagian akhir.',
  retyped: 'Paragraf yang diusulkan menjadi judul',
  keyMessage: 'Paradigma bergeser dari penempatan ke pelindungan.',
  nestedMessage: 'Termasuk pembentukan KP2MI melalui Perpres 165/2024.',
  numberedStep: 'Langkah pertama: harmonisasi regulasi.',
  afterBreak: 'baris sesudah hard break',
  commented: 'UU No. 18 Tahun 2017',
} as const

/**
 * An answer with one suggestion of every kind: KP2MI inserts and splits a paragraph, Kemlu
 * deletes, deletes KP2MI's inserted word and suggests a join, Kemnaker makes a word bold and a
 * paragraph a heading. Three threads: one on words (two replies), one on Kemlu's deletion, one
 * resolved.
 */
export function reviewContent(): CardContent {
  const answer = answerOf(
    heading(2, 'Pesan kunci'),
    bullets(
      item(paragraph(text(words.keyMessage))),
      item(
        paragraph(text('Kerangka pelaksana ', mark.italic), text('terus dilengkapi.')),
        bullets(item(paragraph(text(words.nestedMessage)))),
      ),
    ),
    heading(2, 'Jawaban'),
    paragraph(
      text(`${words.kept} `),
      text(`${words.inserted} `, mark.ins('s-kp2mi-ins')),
      text(words.deleted, mark.del('s-kemlu-del')),
      text(' menuju '),
      text(words.bolded, mark.bold, mark.format('s-kemnaker-bold', [])),
      text(' dan '),
      text(words.insertedThenDeleted, mark.ins('s-kp2mi-temp'), mark.del('s-kemlu-temp')),
      text(' sesuai '),
      text(words.commented, mark.comment('t-open')),
      text('.'),
    ),
    paragraph(text(words.beforeSplit)),
    paragraph(text(BLOCK_BREAK, mark.ins('s-kp2mi-split')), text(words.afterSplit)),
    paragraph(text(words.joinedFirst)),
    { ...paragraph(text(words.joinedSecond)), attrs: { joinSuggestion: 's-kemlu-join' } },
    {
      type: 'heading',
      attrs: {
        level: 3,
        formatSuggestion: { id: 's-kemnaker-heading', type: 'paragraph', attrs: {} },
      },
      content: [text(words.retyped)],
    },
    numbered(
      3,
      item(paragraph(text(words.numberedStep, mark.bold), hardBreak, text(words.afterBreak))),
      item(paragraph(text('Langkah kedua.'))),
    ),
  )
  const suggestion = (
    id: string,
    kind: BookSuggestion['kind'],
    author: BookPerson,
    minute: number,
  ): [string, BookSuggestion] => [id, { id, kind, author, at: at(minute) }]
  const suggestions = new Map<string, BookSuggestion>([
    suggestion('s-kp2mi-ins', 'insert', people.siti, 1),
    suggestion('s-kemlu-del', 'delete', people.budi, 2),
    suggestion('s-kemnaker-bold', 'format', people.rina, 3),
    suggestion('s-kp2mi-temp', 'insert', people.siti, 4),
    suggestion('s-kemlu-temp', 'delete', people.budi, 5),
    suggestion('s-kp2mi-split', 'split', people.siti, 6),
    suggestion('s-kemlu-join', 'join', people.budi, 7),
    suggestion('s-kemnaker-heading', 'format', people.rina, 8),
  ])
  const threads: BookThread[] = [
    {
      id: 't-open',
      quote: words.commented,
      resolved: false,
      suggestionId: null,
      comments: [
        { author: people.budi, body: 'Mohon cek <nomor> & tahun UU.', at: at(10) },
        { author: people.siti, body: 'Sudah benar: UU 18/2017.', at: at(11) },
        { author: people.rina, body: 'Setuju.\nTerima kasih.', at: at(12) },
      ],
    },
    {
      id: 't-on-deletion',
      quote: words.deleted,
      resolved: false,
      suggestionId: 's-kemlu-del',
      comments: [
        { author: people.rina, body: 'Mengapa "lama" dihapus?', at: at(13) },
        { author: people.budi, body: 'Tidak perlu.', at: at(14) },
      ],
    },
    {
      id: 't-resolved',
      quote: words.keyMessage,
      resolved: true,
      suggestionId: null,
      comments: [{ author: people.chair, body: 'Komentar yang sudah selesai', at: at(15) }],
    },
  ]
  return {
    card: card({ question: MARKUP_QUESTION, questionId: `Pertanyaan: ${MARKUP_QUESTION}` }),
    answer,
    suggestions,
    threads,
    decisions: [],
  }
}

/** A card with an agreed answer and nothing pending. */
export function plainContent(overrides: Partial<Card>, answerText: string): CardContent {
  return {
    card: card(overrides),
    answer: answerOf(heading(2, 'Jawaban'), answerText ? paragraph(text(answerText)) : paragraph()),
    suggestions: new Map(),
    threads: [],
    decisions: [],
  }
}

export const EXPORTED_AT = new Date(Date.UTC(2026, 2, 12, 3, 30, 0))

export function cardBook(): Book {
  return {
    deck,
    cards: [reviewContent()],
    scope: 'card',
    edition: 3,
    final: false,
    exportedAt: EXPORTED_AT,
    marking: 'TERBATAS',
  }
}

export const secondAnswer = 'Data penempatan dikonfirmasi oleh KP2MI per Januari 2026.'
export const thirdAnswer = 'Hak atas jaminan sosial dijamin bagi seluruh pekerja migran.'

export function deckBook(): Book {
  return {
    ...cardBook(),
    scope: 'deck',
    cards: [
      reviewContent(),
      plainContent({ id: 'card-2', ref: 'CC-02', position: 2 }, secondAnswer),
      plainContent(
        {
          id: 'card-3',
          ref: 'CC-10',
          cluster: 'K2',
          position: 1,
          questionId: 'Bagaimana jaminan sosial pekerja migran?',
        },
        thirdAnswer,
      ),
    ],
  }
}

export function minutes(): Minutes {
  const decision = (
    minute: number,
    kind: Minutes['decisions'][number]['kind'],
    outcome: Minutes['decisions'][number]['outcome'],
    decisionText: string,
    extra: Partial<Minutes['decisions'][number]> = {},
  ): Minutes['decisions'][number] => ({
    suggestionId: `s-${minute}`,
    kind,
    outcome,
    text: decisionText,
    suggestedBy: people.siti.userId,
    reason: '',
    at: at(minute),
    decidedBy: people.chair,
    proposedBy: people.siti,
    cardId: 'card-1',
    cardRef: 'CC-01',
    ...extra,
  })
  return {
    deck,
    session: {
      name: 'Rakor hari 1 <pagi> & siang',
      from: new Date(at(0)),
      to: new Date(at(300)),
      closedBy: people.chair,
    },
    ministries: deck.ministries.map((ministry) => ({
      id: ministry.id,
      short: ministry.short,
      name: ministry.nameId,
    })),
    decisions: [
      decision(20, 'insert', 'accepted', 'secara konsisten', {
        reason: 'diterima dengan perubahan',
      }),
      decision(21, 'delete', 'rejected', 'lama', {
        proposedBy: people.budi,
        suggestedBy: 'u-budi',
      }),
      decision(22, 'replace', 'accepted', 'penempatan → pelindungan'),
      decision(23, 'split', 'withdrawn', '\nKalimat kedua'),
      decision(24, 'join', 'accepted', 'bagian\nakhir', { proposedBy: people.budi }),
      decision(25, 'format', 'rejected', 'pelindungan', { proposedBy: people.rina }),
      decision(26, 'move', 'accepted', 'Langkah kedua', {
        proposedBy: null,
        suggestedBy: 'u-gone',
        reason: 'ditunda ke ibu kota <capital> & seterusnya',
      }),
    ],
    signOff: [
      {
        at: at(30),
        cardId: 'card-1',
        cardRef: 'CC-01',
        kind: 'given',
        ministry: 'KP2MI',
        person: people.siti,
        override: null,
        missing: [],
      },
      {
        at: at(40),
        cardId: 'card-1',
        cardRef: 'CC-01',
        kind: 'final',
        ministry: null,
        person: people.chair,
        override: 'Kemlu setuju lisan <rakor> & tertulis menyusul',
        missing: ['Kemlu'],
      },
    ],
    exportedAt: EXPORTED_AT,
    marking: 'TERBATAS',
  }
}

/** The parts of a written .docx, parsed. */
export type DocxParts = {
  names: string[]
  text(name: string): string | null
  xml(name: string): XmlDocument | null
}

export function readDocx(bytes: Uint8Array): DocxParts {
  const files = unzipSync(bytes)
  return {
    names: Object.keys(files),
    text: (name) => {
      const file = files[name]
      return file ? strFromU8(file) : null
    },
    xml: (name) => {
      const file = files[name]
      return file ? new DOMParser().parseFromString(strFromU8(file), 'application/xml') : null
    },
  }
}

/** The elements `w:localName` of a part. */
export function wordElements(doc: XmlDocument | Element, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(WORD_NS, localName))
}

export function wordAttribute(element: Element, name: string): string | null {
  return element.getAttributeNS(WORD_NS, name)
}

/** The text an element holds, as Word shows it: w:t and w:delText, in order. */
export function wordText(element: XmlDocument | Element): string {
  const parts: string[] = []
  const visit = (node: Element) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType !== 1) continue
      const el = child as Element
      if (el.namespaceURI === WORD_NS && (el.localName === 't' || el.localName === 'delText')) {
        parts.push(el.textContent ?? '')
      } else visit(el)
    }
  }
  const root = 'documentElement' in element ? element.documentElement : element
  if (root) visit(root)
  return parts.join('')
}
