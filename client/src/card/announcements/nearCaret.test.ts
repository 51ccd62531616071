import { createAnswerExtensions } from '@kartu/schema'
import { getSchema } from '@tiptap/core'
import type { Node } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { blockAround, changedRange, isNearCaret, NEAR_CHARS } from './nearCaret.ts'

const schema = getSchema(createAnswerExtensions())
const paragraph = (text: string) => schema.node('paragraph', null, text ? schema.text(text) : [])
const docOf = (...texts: string[]): Node => schema.node('doc', null, texts.map(paragraph))

// "Pesan pertama" spans 1..14 (the paragraph's content), the second paragraph starts at 16.
const before = docOf('Pesan pertama', 'Kalimat kedua')

describe('changedRange', () => {
  it('finds typed text, in the new document’s positions', () => {
    expect(changedRange(before, docOf('Pesan yang pertama', 'Kalimat kedua'))).toEqual({
      from: 7,
      to: 11,
    })
  })

  it('finds a deletion as the place where the text went', () => {
    expect(changedRange(before, docOf('Pesan', 'Kalimat kedua'))).toEqual({ from: 6, to: 6 })
  })

  it('keeps the range from running backwards when repeated letters are typed', () => {
    const range = changedRange(docOf('aa'), docOf('aaa'))
    expect(range).not.toBeNull()
    expect(range?.to).toBeGreaterThanOrEqual(range?.from ?? 0)
  })

  it('is null when nothing changed', () => {
    expect(changedRange(before, docOf('Pesan pertama', 'Kalimat kedua'))).toBeNull()
  })
})

describe('blockAround', () => {
  it('is the paragraph a caret is in', () => {
    expect(blockAround(before, { from: 4, to: 4 })).toEqual({ from: 1, to: 14 })
    expect(blockAround(before, { from: 20, to: 20 })).toEqual({ from: 16, to: 29 })
  })

  it('spans the paragraphs a selection runs through', () => {
    expect(blockAround(before, { from: 4, to: 20 })).toEqual({ from: 1, to: 29 })
  })
})

describe('isNearCaret', () => {
  const long = docOf('x'.repeat(400), 'y'.repeat(10))
  const caret = { from: 50, to: 50 }
  const block = blockAround(long, caret)

  it('is near anywhere in the caret’s paragraph, however long', () => {
    expect(isNearCaret({ from: 390, to: 391 }, caret, block)).toBe(true)
    expect(isNearCaret({ from: 1, to: 1 }, caret, block)).toBe(true)
  })

  it('is near within NEAR_CHARS of the caret in another paragraph, and not beyond', () => {
    const short = docOf('a'.repeat(20), 'b'.repeat(300))
    const at = { from: 10, to: 10 }
    const around = blockAround(short, at)
    expect(isNearCaret({ from: 10 + NEAR_CHARS, to: 10 + NEAR_CHARS + 1 }, at, around)).toBe(true)
    expect(isNearCaret({ from: 11 + NEAR_CHARS, to: 12 + NEAR_CHARS }, at, around)).toBe(false)
  })

  it('measures from the end of a selection on the side of the change', () => {
    const short = docOf('a'.repeat(20), 'b'.repeat(300))
    const selection = { from: 2, to: 15 }
    const around = blockAround(short, selection)
    expect(isNearCaret({ from: 200, to: 201 }, selection, around)).toBe(false)
    expect(isNearCaret({ from: 100, to: 101 }, selection, around)).toBe(true)
  })
})
