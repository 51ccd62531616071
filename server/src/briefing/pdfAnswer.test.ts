import { getAnswerSchema } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import { numberMarker, type PrintBlock, printAnswerOf } from './pdfAnswer.ts'

type Json = {
  type: string
  attrs?: Record<string, unknown>
  content?: Json[]
  text?: string
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>
}
const text = (value: string, ...marks: NonNullable<Json['marks']>): Json =>
  marks.length > 0 ? { type: 'text', text: value, marks } : { type: 'text', text: value }
const p = (...content: Array<Json | string>): Json => ({
  type: 'paragraph',
  content: content.map((part) => (typeof part === 'string' ? text(part) : part)),
})
const h = (value: string): Json => ({
  type: 'heading',
  attrs: { level: 2 },
  content: [text(value)],
})
const ul = (...items: string[]): Json => ({
  type: 'bulletList',
  content: items.map((item) => ({ type: 'listItem', content: [p(item)] })),
})
const answer = (...blocks: Json[]) =>
  getAnswerSchema().nodeFromJSON({ type: 'doc', content: blocks })

const plain = (text: string): PrintBlock => ({
  kind: 'paragraph',
  lines: [[{ text, bold: false, italic: false }]],
})

describe('printAnswerOf', () => {
  it('takes the lists under the "Pesan kunci" heading out as the key messages', () => {
    const printed = printAnswerOf(
      answer(h('Pesan kunci'), ul('Satu', 'Dua'), h('Jawaban'), p('Terima kasih.')),
    )
    expect(printed.keyMessages).toEqual([
      {
        kind: 'list',
        ordered: false,
        start: 1,
        numbering: '1',
        items: [[plain('Satu')], [plain('Dua')]],
      },
    ])
    expect(printed.body).toEqual([
      { kind: 'heading', level: 2, lines: [[{ text: 'Jawaban', bold: false, italic: false }]] },
      plain('Terima kasih.'),
    ])
  })

  it('knows the heading in English and with a colon', () => {
    expect(printAnswerOf(answer(h('Key messages:'), ul('One'))).keyMessages).toHaveLength(1)
  })

  it('leaves a key messages heading with no list under it as an ordinary heading', () => {
    const printed = printAnswerOf(answer(h('Pesan kunci'), p('Belum ada.')))
    expect(printed.keyMessages).toBeNull()
    expect(printed.body.map((block) => block.kind)).toEqual(['heading', 'paragraph'])
  })

  it('prints the agreed text: insertions out, deletions in, formatting as before', () => {
    const printed = printAnswerOf(
      answer(
        p(
          text('Tetap ', { type: 'comment', attrs: { threadId: 't1' } }),
          text('baru ', { type: 'insertion', attrs: { id: 's1' } }),
          text('lama ', { type: 'deletion', attrs: { id: 's2' } }),
          text(
            'tebal',
            { type: 'bold' },
            { type: 'formatChange', attrs: { id: 's3', before: [] } },
          ),
        ),
      ),
    )
    // The comment anchor splits nothing: one run of plain text.
    expect(printed.body).toEqual([plain('Tetap lama tebal')])
  })

  it('splits a textblock into lines at hard breaks and drops invisible characters', () => {
    const printed = printAnswerOf(answer(p('Satu\u2060', { type: 'hardBreak' }, 'Dua')))
    expect(printed.body).toEqual([
      {
        kind: 'paragraph',
        lines: [
          [{ text: 'Satu', bold: false, italic: false }],
          [{ text: 'Dua', bold: false, italic: false }],
        ],
      },
    ])
  })

  it('drops empty paragraphs', () => {
    expect(printAnswerOf(answer(p(), p('Isi'), p())).body).toEqual([plain('Isi')])
  })
})

describe('numberMarker', () => {
  it('numbers from the list start in its style', () => {
    expect(numberMarker(3, '1', 0)).toBe('3.')
    expect(numberMarker(1, 'a', 26)).toBe('aa.')
    expect(numberMarker(1, 'A', 1)).toBe('B.')
    expect(numberMarker(1, 'i', 3)).toBe('iv.')
    expect(numberMarker(1, 'I', 8)).toBe('IX.')
    expect(numberMarker(0, 'i', 0)).toBe('0.')
  })
})
