import { ANSWER_FIELD, answerMarkFormat } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { writesWord } from './testRefusal.ts'

const WORD = 'TOLAKUJI'

/** A card document whose answer is one paragraph of `text`, and its text node. */
function card(text: string): { doc: Y.Doc; line: Y.XmlText } {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  const line = new Y.XmlText(text)
  paragraph.insert(0, [line])
  doc.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
  return { doc, line }
}

/** The update a change of a copy of `doc` makes. */
function changeOf(doc: Y.Doc, change: (line: Y.XmlText) => void): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  const paragraph = copy.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  change(paragraph.get(0) as Y.XmlText)
  return Y.encodeStateAsUpdate(copy, before)
}

describe('writesWord (KARTU_TEST_REFUSE_TEXT)', () => {
  it('is true for an update that writes the word into the answer', () => {
    const { doc } = card('Kalimat pertama.')
    expect(
      writesWord(
        doc,
        changeOf(doc, (line) => line.insert(8, `${WORD} `)),
        WORD,
      ),
    ).toBe(true)
    expect(
      writesWord(
        doc,
        changeOf(doc, (line) => line.insert(8, 'biasa ')),
        WORD,
      ),
    ).toBe(false)
  })

  it('typed letter by letter, refuses the letter that completes the word', () => {
    const { doc, line } = card('Awal ')
    const letters = [...WORD].map((letter, index) => {
      const update = changeOf(doc, (copy) => copy.insert(5 + index, letter))
      const refused = writesWord(doc, update, WORD)
      // Taken, as the room would: the next letter is typed after it.
      line.insert(5 + index, letter)
      return refused
    })
    expect(letters).toEqual([...WORD].map((_, index) => index === WORD.length - 1))
  })

  it('takes the word as a suggestion, and an update that removes it', () => {
    const { doc } = card(`Ada ${WORD} di sini.`)
    const suggested = changeOf(doc, (line) =>
      line.insert(
        0,
        `${WORD} `,
        answerMarkFormat('insertion', { id: '2f1c1a9e-8b1d-4c47-9a6e-0c0c0c0c0c0c' }),
      ),
    )
    expect(writesWord(doc, suggested, WORD)).toBe(false)
    expect(
      writesWord(
        doc,
        changeOf(doc, (line) => line.delete(4, WORD.length)),
        WORD,
      ),
    ).toBe(false)
    // Another occurrence of a word already there is still written.
    expect(
      writesWord(
        doc,
        changeOf(doc, (line) => line.insert(0, WORD)),
        WORD,
      ),
    ).toBe(true)
  })

  it('is false for what does not apply (the room refuses that itself)', () => {
    const { doc } = card('x')
    expect(writesWord(doc, new Uint8Array([1, 2, 3]), WORD)).toBe(false)
  })
})
