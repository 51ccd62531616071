import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANSWER_FIELD } from './cardLayout.ts'
import { countWords, fragmentToPlainText } from './plainText.ts'
import { type AnswerBlock, writeAnswer } from './seed.ts'

function answerText(blocks: AnswerBlock[]): string {
  const doc = new Y.Doc()
  writeAnswer(doc, blocks)
  return fragmentToPlainText(doc.getXmlFragment(ANSWER_FIELD))
}

describe('writeAnswer then fragmentToPlainText', () => {
  it('gives one line per heading, bullet item and paragraph, in order', () => {
    const text = answerText([
      { type: 'heading', text: 'Perlindungan pekerja migran' },
      { type: 'bulletList', items: ['Pelatihan pra-keberangkatan', 'Atase ketenagakerjaan'] },
      { type: 'paragraph', text: 'UU No. 18/2017 berlaku sejak 2017.' },
      { type: 'paragraph', text: 'Paragraf kedua.' },
    ])
    expect(text.split('\n')).toEqual([
      'Perlindungan pekerja migran',
      'Pelatihan pra-keberangkatan',
      'Atase ketenagakerjaan',
      'UU No. 18/2017 berlaku sejak 2017.',
      'Paragraf kedua.',
    ])
  })

  it('gives an empty string for an empty answer and for an empty paragraph', () => {
    expect(answerText([])).toBe('')
    expect(answerText([{ type: 'paragraph', text: '' }])).toBe('')
  })

  it('writes a transaction that another document can apply to get the same text', () => {
    const source = new Y.Doc()
    writeAnswer(source, [{ type: 'paragraph', text: 'Sama di kedua sisi.' }])
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(source))
    expect(fragmentToPlainText(copy.getXmlFragment(ANSWER_FIELD))).toBe('Sama di kedua sisi.')
  })

  it('replaces an answer the document already had', () => {
    const doc = new Y.Doc()
    writeAnswer(doc, [{ type: 'paragraph', text: 'Lama' }])
    writeAnswer(doc, [{ type: 'paragraph', text: 'Baru' }])
    expect(fragmentToPlainText(doc.getXmlFragment(ANSWER_FIELD))).toBe('Baru')
  })

  it('turns a hard break into a line break', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment(ANSWER_FIELD)
    const paragraph = new Y.XmlElement('paragraph')
    fragment.insert(0, [paragraph])
    paragraph.insert(0, [new Y.XmlText('baris satu'), new Y.XmlElement('hardBreak')])
    paragraph.insert(2, [new Y.XmlText('baris dua')])
    expect(fragmentToPlainText(fragment)).toBe('baris satu\nbaris dua')
  })
})

describe('countWords', () => {
  it.each([
    ['', 0],
    ['   \n\t ', 0],
    ['— … ! ? ( )', 0],
    ['Indonesia melindungi pekerja migran.', 4],
    ['pekerja-pekerja migran', 2],
    ['UU No. 18/2017 tentang Pelindungan', 5],
    ['Sebanyak 4,3 juta pekerja (2023).', 5],
    ['Anggaran Rp1.500.000.000 per tahun', 4],
    ['Kami—pemerintah—berkomitmen; ya!', 4],
    ["Komite's question", 2],
    ['e-KTP dan SISKOP2MI', 3],
  ])('counts %j as %d words', (text, expected) => {
    expect(countWords(text)).toBe(expected)
  })

  it('counts the lines of a written answer as separate words', () => {
    expect(countWords(answerText([{ type: 'bulletList', items: ['satu', 'dua', 'tiga'] }]))).toBe(3)
  })
})
