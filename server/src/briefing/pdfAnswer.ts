/**
 * A card's answer as the PDF prints it: the agreed text only (every pending suggestion as if
 * rejected, comment anchors ignored), as plain blocks of styled runs, with the key messages (the
 * "Pesan kunci" heading and the list under it) taken out to be printed in their box.
 */
import { asIfAllRejected } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'

/** A piece of text in one style. Hard breaks split a textblock into lines, not runs. */
export type PrintRun = { text: string; bold: boolean; italic: boolean }
/** A textblock's lines (one more than its hard breaks), each a list of runs. */
export type PrintLines = PrintRun[][]

export type PrintBlock =
  | { kind: 'paragraph'; lines: PrintLines }
  | { kind: 'heading'; level: 2 | 3; lines: PrintLines }
  | { kind: 'list'; ordered: boolean; start: number; numbering: string; items: PrintBlock[][] }

export type PrintAnswer = {
  /** The lists under the key messages heading; null when the answer has none. */
  keyMessages: PrintBlock[] | null
  /** Everything else, in order (the key messages heading and its lists left out). */
  body: PrintBlock[]
}

/**
 * Headings that open the key messages, compared without case and a trailing colon. The deck
 * import writes "Pesan kunci" (deckImport.ts); an English deck may say "Key messages".
 */
const KEY_MESSAGE_HEADINGS = new Set(['pesan kunci', 'key messages'])

/**
 * Characters the editor keeps but nobody sees (a suggested break's marker, its stand-in, a
 * byte-order mark): the font has no glyph for some, which would print as boxes.
 */
const INVISIBLE = /[\u200b\u2060\ufeff]/g

function linesOf(textblock: PMNode): PrintLines {
  const lines: PrintLines = [[]]
  textblock.forEach((child) => {
    if (child.type.name === 'hardBreak') {
      lines.push([])
      return
    }
    if (!child.isText) return
    const text = (child.text ?? '').replace(INVISIBLE, '')
    if (!text) return
    const bold = child.marks.some((mark) => mark.type.name === 'bold')
    const italic = child.marks.some((mark) => mark.type.name === 'italic')
    const line = lines[lines.length - 1] as PrintRun[]
    const previous = line[line.length - 1]
    // Comment anchors split text nodes without changing how they look: join them back.
    if (previous && previous.bold === bold && previous.italic === italic) previous.text += text
    else line.push({ text, bold, italic })
  })
  return lines
}

function isEmpty(lines: PrintLines): boolean {
  return lines.every((line) => line.every((run) => run.text.trim() === ''))
}

function blocksOf(parent: PMNode): PrintBlock[] {
  const blocks: PrintBlock[] = []
  parent.forEach((node) => {
    const block = blockOf(node)
    if (block) blocks.push(block)
  })
  return blocks
}

function blockOf(node: PMNode): PrintBlock | null {
  switch (node.type.name) {
    case 'paragraph': {
      const lines = linesOf(node)
      // An empty paragraph is spacing on the screen; the print spaces its blocks itself.
      return isEmpty(lines) ? null : { kind: 'paragraph', lines }
    }
    case 'heading': {
      const lines = linesOf(node)
      if (isEmpty(lines)) return null
      return { kind: 'heading', level: node.attrs.level === 3 ? 3 : 2, lines }
    }
    case 'bulletList':
    case 'orderedList': {
      const ordered = node.type.name === 'orderedList'
      const start = typeof node.attrs.start === 'number' ? node.attrs.start : 1
      const numbering = typeof node.attrs.type === 'string' ? node.attrs.type : '1'
      const items: PrintBlock[][] = []
      node.forEach((item) => {
        items.push(blocksOf(item))
      })
      return { kind: 'list', ordered, start, numbering, items }
    }
    default:
      // Unknown blocks (none in today's schema) print their text rather than vanish.
      return node.isTextblock ? { kind: 'paragraph', lines: linesOf(node) } : null
  }
}

function isKeyMessageHeading(node: PMNode): boolean {
  if (node.type.name !== 'heading') return false
  const text = node.textContent.replace(INVISIBLE, '').trim().replace(/:$/, '').trim()
  return KEY_MESSAGE_HEADINGS.has(text.toLocaleLowerCase('id'))
}

const isList = (node: PMNode) => node.type.name === 'bulletList' || node.type.name === 'orderedList'

/** The answer to print, from the answer as stored (suggestion and comment marks in it). */
export function printAnswerOf(answer: PMNode): PrintAnswer {
  const agreed = asIfAllRejected(answer)
  const nodes: PMNode[] = []
  agreed.forEach((node) => {
    nodes.push(node)
  })
  const heading = nodes.findIndex(isKeyMessageHeading)
  let end = heading + 1
  while (heading >= 0 && end < nodes.length && isList(nodes[end] as PMNode)) end++
  // A key messages heading with no list under it is an ordinary heading: no box.
  if (heading < 0 || end === heading + 1) {
    return { keyMessages: null, body: blocksOf(agreed) }
  }
  const pick = (from: PMNode[]) =>
    from.map(blockOf).filter((block): block is PrintBlock => block !== null)
  return {
    keyMessages: pick(nodes.slice(heading + 1, end)),
    body: pick([...nodes.slice(0, heading), ...nodes.slice(end)]),
  }
}

/** The text of a textblock's lines, for measuring and tests. */
export function plainTextOf(lines: PrintLines): string {
  return lines.map((line) => line.map((run) => run.text).join('')).join('\n')
}

/** "3.", "c.", "iv.": the marker of the item at `index` (from 0) of a numbered list. */
export function numberMarker(start: number, numbering: string, index: number): string {
  const value = start + index
  switch (numbering) {
    case 'a':
      return `${letters(value)}.`
    case 'A':
      return `${letters(value).toUpperCase()}.`
    case 'i':
      return `${roman(value)}.`
    case 'I':
      return `${roman(value).toUpperCase()}.`
    default:
      return `${value}.`
  }
}

function letters(value: number): string {
  if (value < 1) return String(value)
  let rest = value
  let out = ''
  while (rest > 0) {
    const digit = (rest - 1) % 26
    out = String.fromCharCode(97 + digit) + out
    rest = Math.floor((rest - 1) / 26)
  }
  return out
}

const ROMAN: Array<[number, string]> = [
  [1000, 'm'],
  [900, 'cm'],
  [500, 'd'],
  [400, 'cd'],
  [100, 'c'],
  [90, 'xc'],
  [50, 'l'],
  [40, 'xl'],
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
]

function roman(value: number): string {
  // Roman numerals have no zero and grow unreadable past a few thousand: digits instead.
  if (value < 1 || value >= 4000) return String(value)
  let rest = value
  let out = ''
  for (const [amount, symbol] of ROMAN) {
    while (rest >= amount) {
      out += symbol
      rest -= amount
    }
  }
  return out
}
