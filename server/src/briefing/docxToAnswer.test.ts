import {
  asIfAllAccepted,
  asIfAllRejected,
  BLOCK_BREAK,
  collectSuggestions,
  JOIN_SUGGESTION,
  SuggestionKind,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import {
  DRAFT_ACCEPTED,
  DRAFT_AUTHORS,
  DRAFT_REJECTED,
  docxOf,
  wordDraft,
} from './docxImportFixtures.ts'
import {
  type ParagraphMark,
  readDocx,
  type WordBlock,
  type WordDocument,
  type WordRun,
} from './docxRead.ts'
import { wordToAnswer } from './docxToAnswer.ts'

/** The text of each textblock, as the reader sees it. */
function lines(doc: PMNode): string[] {
  const out: string[] = []
  doc.descendants((node) => {
    if (!node.isTextblock) return true
    out.push(node.textContent.replaceAll(BLOCK_BREAK, ''))
    return false
  })
  return out
}

/** The structure of a document: node names, nested. */
function shape(node: PMNode): unknown {
  if (node.isTextblock) return node.type.name
  const children: unknown[] = []
  node.forEach((child) => {
    children.push(shape(child))
  })
  return { [node.type.name]: children }
}

const rev = (author: string, date = '2025-01-01T00:00:00Z') => ({ author, date })

function r(text: string, extra: Partial<WordRun> = {}): WordRun {
  return { text, bold: false, italic: false, hardBreak: false, commentIds: [], ...extra }
}

function p(runs: WordRun[], mark: ParagraphMark = {}): WordBlock {
  return { type: 'paragraph', runs, mark }
}

const doc = (blocks: WordBlock[], comments: WordDocument['comments'] = []): WordDocument => ({
  blocks,
  comments,
})

let counter = 0
const ids = () => `id-${++counter}`

/** The suggestion ids on each text node, for structure-free assertions. */
function marked(answer: PMNode): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = []
  answer.descendants((node) => {
    if (node.isText) {
      out.push([
        node.text ?? '',
        node.marks.map((mark) =>
          mark.type.name === 'comment'
            ? `comment:${mark.attrs.threadId}`
            : `${mark.type.name}${mark.attrs.id ? `:${mark.attrs.id}` : ''}`,
        ),
      ])
    }
    return true
  })
  return out
}

describe('wordToAnswer', () => {
  it('turns the draft into an answer whose suggestions reject to the text before and accept to the text after', async () => {
    const word = readDocx(await docxOf(wordDraft()))
    const asked: string[] = []
    const answer = wordToAnswer(word, (name) => {
      asked.push(name)
      return name
    })
    const { member, commenter, guest, office } = DRAFT_AUTHORS
    expect(new Set(asked).size).toBe(asked.length)

    expect(shape(answer.doc)).toEqual({
      doc: [
        'heading',
        'paragraph',
        'paragraph',
        'heading',
        {
          bulletList: [
            { listItem: ['paragraph', { bulletList: [{ listItem: ['paragraph'] }] }] },
            { listItem: ['paragraph'] },
          ],
        },
        { orderedList: [{ listItem: ['paragraph'] }, { listItem: ['paragraph'] }] },
        'paragraph',
        'paragraph',
        'paragraph',
        'paragraph',
        'paragraph',
        'paragraph',
      ],
    })
    expect(answer.doc.child(0).attrs.level).toBe(2)
    expect(answer.doc.child(3).attrs.level).toBe(3)
    expect(answer.paragraphs).toBe(15)

    // The engine's own reading of the suggestions: every tracked change is one.
    expect(lines(asIfAllRejected(answer.doc))).toEqual(DRAFT_REJECTED)
    expect(lines(asIfAllAccepted(answer.doc))).toEqual(DRAFT_ACCEPTED)
    expect(
      answer.suggestions.map((s) => [s.kind, s.author, new Date(s.createdAt).toISOString()]),
    ).toEqual([
      [SuggestionKind.Insert, member, '2025-03-01T10:00:00.000Z'],
      [SuggestionKind.Replace, guest, '2025-03-01T11:00:00.000Z'],
      [SuggestionKind.Split, office, '2025-03-01T12:00:00.000Z'],
      [SuggestionKind.Join, guest, '2025-03-01T13:00:00.000Z'],
      [SuggestionKind.Delete, guest, '2025-03-01T14:00:00.000Z'],
    ])
    const inDoc = new Set(collectSuggestions(answer.doc).map((span) => span.id))
    expect(inDoc).toEqual(new Set(answer.suggestions.map((s) => s.id)))

    // Formatting survives.
    const texts = marked(answer.doc)
    expect(texts).toContainEqual(['menegaskan', ['bold']])
    expect(texts).toContainEqual(['penuh', ['italic']])

    // The paragraph deleted whole carries no join: accepting its deletion removes it.
    const joined = answer.doc.content.content.filter((node) => node.attrs[JOIN_SUGGESTION])
    expect(joined.map((node) => node.textContent)).toEqual(['baris kedua.'])

    expect(
      answer.threads.map((thread) => ({
        quote: thread.quote,
        resolved: thread.resolved,
        anchored: thread.anchored,
        comments: thread.comments.map((c) => [c.author, c.body]),
      })),
    ).toEqual([
      {
        quote: '4 juta',
        resolved: false,
        anchored: true,
        comments: [
          [commenter, 'Mohon cek angka ini.'],
          [member, 'Sudah dicek dengan data KP2MI.'],
        ],
      },
      { quote: 'Penutup.', resolved: true, anchored: true, comments: [[office, 'Setuju.']] },
    ])
  })

  it('makes one suggestion of each contiguous revision of one author', () => {
    const answer = wordToAnswer(
      doc([
        p([
          r('a', { insertion: rev('A') }),
          r('b', { insertion: rev('B') }),
          r('c', { insertion: rev('A') }),
          r(' tetap '),
          r('lama', { deletion: rev('A') }),
          r('baru', { insertion: rev('A') }),
          r(' lalu '),
          r('x', { insertion: rev('A') }),
        ]),
      ]),
      (name) => name,
      { newId: ids },
    )
    const [a, b, c, replaced, x] = answer.suggestions
    expect(answer.suggestions.map((s) => [s.author, s.kind])).toEqual([
      ['A', SuggestionKind.Insert],
      ['B', SuggestionKind.Insert],
      ['A', SuggestionKind.Insert],
      ['A', SuggestionKind.Replace],
      ['A', SuggestionKind.Insert],
    ])
    expect(marked(answer.doc)).toEqual([
      ['a', [`insertion:${a?.id}`]],
      ['b', [`insertion:${b?.id}`]],
      ['c', [`insertion:${c?.id}`]],
      [' tetap ', []],
      ['lama', [`deletion:${replaced?.id}`]],
      ['baru', [`insertion:${replaced?.id}`]],
      [' lalu ', []],
      ['x', [`insertion:${x?.id}`]],
    ])
  })

  it('carries a revision across the paragraph marks it includes: an inserted paragraph is one suggestion', () => {
    const answer = wordToAnswer(
      doc([
        p([r('Awal'), r(' tambah', { insertion: rev('A') })], { insertion: rev('A') }),
        p([r('Paragraf baru', { insertion: rev('A') })], { insertion: rev('A') }),
        p([r('Akhir')]),
      ]),
      (name) => name,
    )
    expect(answer.suggestions.map((s) => s.kind)).toEqual([SuggestionKind.Split])
    expect(lines(answer.doc)).toEqual(['Awal tambah', 'Paragraf baru', 'Akhir'])
    expect(lines(asIfAllRejected(answer.doc))).toEqual(['AwalAkhir'])
    expect(lines(asIfAllAccepted(answer.doc))).toEqual(['Awal tambah', 'Paragraf baru', 'Akhir'])
    // The break markers: at the start of each textblock a break was inserted before.
    expect(answer.doc.child(1).textContent.startsWith(BLOCK_BREAK)).toBe(true)
    expect(answer.doc.child(2).textContent.startsWith(BLOCK_BREAK)).toBe(true)
  })

  it('joins on a deleted paragraph mark, and deletes a paragraph whose words all go', () => {
    const answer = wordToAnswer(
      doc([
        p([r('Satu ')], { deletion: rev('A') }),
        p([r('dua.')]),
        p([r('Hapus semua.', { deletion: rev('B') })], { deletion: rev('B') }),
        p([r('Tiga.')]),
      ]),
      (name) => name,
    )
    expect(answer.suggestions.map((s) => [s.author, s.kind])).toEqual([
      ['A', SuggestionKind.Join],
      ['B', SuggestionKind.Delete],
    ])
    expect(lines(asIfAllAccepted(answer.doc))).toEqual(['Satu dua.', 'Tiga.'])
    expect(lines(asIfAllRejected(answer.doc))).toEqual(['Satu ', 'dua.', 'Hapus semua.', 'Tiga.'])
  })

  it('leaves out what one author inserted and deleted again; keeps both marks when two did', () => {
    const answer = wordToAnswer(
      doc([
        p([
          r('Teks '),
          r('hilang', { insertion: rev('A'), deletion: rev('A') }),
          r('diusulkan', { insertion: rev('A'), deletion: rev('B') }),
          r('.'),
        ]),
      ]),
      (name) => name,
    )
    expect(lines(answer.doc)).toEqual(['Teks diusulkan.'])
    expect(lines(asIfAllAccepted(answer.doc))).toEqual(['Teks .'])
    expect(lines(asIfAllRejected(answer.doc))).toEqual(['Teks .'])
    expect(answer.suggestions.map((s) => s.author).sort()).toEqual(['A', 'B'])
  })

  it('makes a tracked format change a format suggestion that rejecting undoes', () => {
    const answer = wordToAnswer(
      doc([
        p([
          r('biasa '),
          r('tebal', { bold: true, formatChange: { ...rev('A'), bold: false, italic: false } }),
        ]),
      ]),
      (name) => name,
    )
    expect(answer.suggestions.map((s) => s.kind)).toEqual([SuggestionKind.Format])
    const bold = (node: PMNode) => {
      let found = false
      node.descendants((child) => {
        if (child.marks.some((mark) => mark.type.name === 'bold')) found = true
      })
      return found
    }
    expect(bold(answer.doc)).toBe(true)
    expect(bold(asIfAllAccepted(answer.doc))).toBe(true)
    expect(bold(asIfAllRejected(answer.doc))).toBe(false)
  })

  it('nests lists one level at a time, splits them by kind, and continues an interrupted numbering', () => {
    const item = (
      text: string,
      level: number,
      kind: 'bullet' | 'ordered',
      numId = '1',
    ): WordBlock => ({
      type: 'listItem',
      level,
      list: { kind, numId, start: 1, format: kind === 'ordered' ? 'a' : null },
      runs: [r(text)],
      mark: {},
    })
    const answer = wordToAnswer(
      doc([
        item('satu', 0, 'ordered'),
        item('dalam', 3, 'bullet', '2'),
        item('dua', 0, 'ordered'),
        p([r('sela')]),
        item('tiga', 0, 'ordered'),
        item('poin', 0, 'bullet', '2'),
      ]),
      (name) => name,
    )
    expect(shape(answer.doc)).toEqual({
      doc: [
        {
          orderedList: [
            { listItem: ['paragraph', { bulletList: [{ listItem: ['paragraph'] }] }] },
            { listItem: ['paragraph'] },
          ],
        },
        'paragraph',
        { orderedList: [{ listItem: ['paragraph'] }] },
        { bulletList: [{ listItem: ['paragraph'] }] },
      ],
    })
    expect(answer.doc.child(0).attrs).toMatchObject({ start: 1, type: 'a' })
    expect(answer.doc.child(2).attrs).toMatchObject({ start: 3, type: 'a' })
  })

  it('threads replies (of replies) under their comment, oldest first, and keeps a comment on no text', () => {
    const answer = wordToAnswer(
      doc(
        [p([r('Angka', { commentIds: ['1'] }), r(' lain')])],
        [
          { id: '1', author: 'A', date: '2025-01-01T08:00:00Z', text: 'Sumber?', resolved: false },
          {
            id: '3',
            author: 'C',
            date: '2025-01-01T10:00:00Z',
            text: 'Ketiga',
            parentId: '2',
            resolved: false,
          },
          {
            id: '2',
            author: 'B',
            date: '2025-01-01T09:00:00Z',
            text: 'Kedua',
            parentId: '1',
            resolved: false,
          },
          { id: '4', author: 'D', date: null, text: 'Tanpa tempat', resolved: false },
        ],
      ),
      (name) => name,
      { now: 42 },
    )
    expect(
      answer.threads.map((t) => [t.quote, t.anchored, t.comments.map((c) => [c.author, c.body])]),
    ).toEqual([
      [
        'Angka',
        true,
        [
          ['A', 'Sumber?'],
          ['B', 'Kedua'],
          ['C', 'Ketiga'],
        ],
      ],
      ['', false, [['D', 'Tanpa tempat']]],
    ])
    expect(answer.threads[1]?.createdAt).toBe(42)
  })

  it('keeps a line break, and makes one inside a tracked change a space (Yjs keeps no mark on a break)', () => {
    const answer = wordToAnswer(
      doc([
        p([
          r('Satu'),
          r('', { hardBreak: true }),
          r('dua'),
          r('', { hardBreak: true, insertion: rev('A') }),
          r('tiga', { insertion: rev('A') }),
        ]),
      ]),
      (name) => name,
    )
    const inline: string[] = []
    answer.doc.descendants((node) => {
      if (node.isInline)
        inline.push(node.isText ? `${node.text}|${node.marks.length}` : node.type.name)
      return true
    })
    expect(inline).toEqual(['Satu|0', 'hardBreak', 'dua|0', ' tiga|1'])
    expect(answer.suggestions.map((s) => s.kind)).toEqual([SuggestionKind.Insert])
  })

  it('never lets a zero-width space in Word text pass for a break marker', () => {
    const answer = wordToAnswer(
      doc([p([r('Satu')]), p([r('\u200bdua', { insertion: rev('A') })])]),
      (name) => name,
    )
    expect(answer.doc.textContent).not.toContain(BLOCK_BREAK)
    expect(lines(asIfAllRejected(answer.doc))).toEqual(['Satu', ''])
  })
})
