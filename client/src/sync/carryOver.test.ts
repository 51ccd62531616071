import { ANSWER_FIELD, getAnswerSchema } from '@kartu/schema'
import { initProseMirrorDoc, relativePositionToAbsolutePosition } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type CarryOver, carryOver } from './carryOver.ts'

const schema = getAnswerSchema()
const options = {
  field: ANSWER_FIELD,
  isLeaf: (name: string) => schema.nodes[name]?.isLeaf ?? false,
  isTextblock: (name: string) => schema.nodes[name]?.isTextblock ?? false,
}

/** The server's document: one paragraph per line. */
function server(...lines: string[]): Y.Doc {
  const doc = new Y.Doc()
  doc.getXmlFragment(ANSWER_FIELD).insert(
    0,
    lines.map((line) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(line)])
      return paragraph
    }),
  )
  return doc
}

/** A replica of `source` as it is now (a fresh load, or the page before it typed). */
function replica(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  return doc
}

/** Sends what `from` has beyond `to` (the server storing what it took). */
function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
}

const lineOf = (doc: Y.Doc, index: number): Y.XmlText =>
  (doc.getXmlFragment(ANSWER_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText

/** Where a carried place lands in the fresh document, as its editor counts positions. */
function positionIn(fresh: Y.Doc, anchor: Y.RelativePosition): number | null {
  const fragment = fresh.getXmlFragment(ANSWER_FIELD)
  const { mapping } = initProseMirrorDoc(fragment, schema)
  return relativePositionToAbsolutePosition(fresh, fragment, anchor, mapping)
}

/** The fresh document's text with each piece put back where it was: what the person saw. */
function withPieces(fresh: Y.Doc, result: CarryOver): string {
  const pmDoc = initProseMirrorDoc(fresh.getXmlFragment(ANSWER_FIELD), schema).doc
  // From the end; at one place, a piece after the caret goes after one before it.
  const placed = result.pieces
    .map((piece) => ({ piece, at: positionIn(fresh, piece.anchor) ?? 0 }))
    .sort((a, b) => b.at - a.at || b.piece.side - a.piece.side)
  let text = pmDoc.textBetween(0, pmDoc.content.size, '|')
  // From the end, so that earlier places stay valid: map PM positions to text offsets.
  for (const { piece, at } of placed) {
    const offset = pmDoc.textBetween(0, at, '|').length
    text = `${text.slice(0, offset)}${piece.block ? `|${piece.text}` : piece.text}${text.slice(offset)}`
  }
  return text
}

describe('carryOver: what the person saw that the server lacks, and where', () => {
  it('finds text refused in the middle of a paragraph and places it where it was', () => {
    const stored = server('Satu dua tiga.', 'Empat lima.')
    const seen = replica(stored)
    lineOf(seen, 0).insert(5, 'ditolak ')
    const fresh = replica(stored)

    // The caret was after the refused text: PM position 1 + 5 + 8.
    const result = carryOver(seen, fresh, { ...options, points: [14], caret: 14 })
    expect(result.pieces.map((piece) => [piece.text, piece.block, piece.side])).toEqual([
      ['ditolak ', false, -1],
    ])
    expect(positionIn(fresh, result.pieces[0]?.anchor as Y.RelativePosition)).toBe(6)
    // The caret goes where the piece is, so that typing goes on after it.
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(6)
    expect(withPieces(fresh, result)).toBe('Satu ditolak dua tiga.|Empat lima.')
  })

  it('keeps what the server took: typed letter by letter, only the refused tail is carried', () => {
    const stored = server('Awal.')
    const seen = replica(stored)
    const line = lineOf(seen, 0)
    line.insert(4, ' TOLAKUJ')
    send(seen, stored)
    line.insert(12, 'I dan seterusnya')
    const fresh = replica(stored)

    const result = carryOver(seen, fresh, { ...options, points: [1 + 28] })
    expect(result.pieces.map((piece) => piece.text)).toEqual(['I dan seterusnya'])
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(1 + 12)
    expect(withPieces(fresh, result)).toBe('Awal TOLAKUJI dan seterusnya.')
  })

  it('finds several pieces, each in its place, and a refused paragraph between the blocks', () => {
    const stored = server('Satu.', 'Dua.', 'Tiga.')
    const seen = replica(stored)
    lineOf(seen, 0).insert(5, ' A')
    lineOf(seen, 2).insert(0, 'C ')
    const added = new Y.XmlElement('paragraph')
    added.insert(0, [new Y.XmlText('Paragraf baru.')])
    seen.getXmlFragment(ANSWER_FIELD).insert(2, [added])
    const fresh = replica(stored)

    const result = carryOver(seen, fresh, options)
    expect(result.pieces.map((piece) => [piece.text, piece.block])).toEqual([
      [' A', false],
      ['Paragraf baru.', true],
      ['C ', false],
    ])
    // The new paragraph's place: between "Dua." and "Tiga." (7 + 6).
    expect(positionIn(fresh, result.pieces[1]?.anchor as Y.RelativePosition)).toBe(13)
    expect(withPieces(fresh, result)).toBe('Satu. A|Dua.|Paragraf baru.|C Tiga.')
  })

  it("does not take someone else's deletion for refused text, and places around their insertion", () => {
    const stored = server('Satu dua tiga.')
    const seen = replica(stored)
    // The person types at the end; meanwhile another person deletes "dua " and adds "Baru: ".
    lineOf(seen, 0).insert(14, ' X')
    const other = replica(stored)
    lineOf(other, 0).delete(5, 4)
    lineOf(other, 0).insert(0, 'Baru: ')
    send(other, stored)
    const fresh = replica(stored)

    const result = carryOver(seen, fresh, { ...options, points: [1 + 16] })
    expect(result.pieces.map((piece) => piece.text)).toEqual([' X'])
    expect(withPieces(fresh, result)).toBe('Baru: Satu tiga. X')
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(1 + 16)
  })

  it('carries nothing for a refused deletion (the text is back) and keeps the caret at it', () => {
    const stored = server('Satu dua tiga.')
    const seen = replica(stored)
    lineOf(seen, 0).delete(5, 4)
    const fresh = replica(stored)
    const result = carryOver(seen, fresh, { ...options, points: [6] })
    expect(result.pieces).toEqual([])
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(6)
  })

  it('counts a hard break as ProseMirror does (a leaf of size 1)', () => {
    const stored = new Y.Doc()
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('ab'), new Y.XmlElement('hardBreak'), new Y.XmlText('cd')])
    stored.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
    const seen = replica(stored)
    const last = (seen.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).get(2) as Y.XmlText
    last.insert(2, 'X')
    const fresh = replica(stored)

    // After "ab", the break, "cdX": 1 + 2 + 1 + 3.
    const result = carryOver(seen, fresh, { ...options, points: [7, 4] })
    expect(result.pieces.map((piece) => piece.text)).toEqual(['X'])
    expect(positionIn(fresh, result.pieces[0]?.anchor as Y.RelativePosition)).toBe(6)
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(6)
    // Right after the break.
    expect(positionIn(fresh, result.points[1] as Y.RelativePosition)).toBe(4)
  })

  it('carries unsaved text of an earlier page (another clientID, from the offline cache)', () => {
    const stored = server('Satu.')
    const earlier = replica(stored)
    lineOf(earlier, 0).insert(5, ' dari kemarin')
    const seen = replica(stored)
    send(earlier, seen)
    lineOf(seen, 0).insert(18, ', dan hari ini')
    const fresh = replica(stored)
    const result = carryOver(seen, fresh, options)
    expect(result.pieces.map((piece) => piece.text)).toEqual([' dari kemarin, dan hari ini'])
  })

  it('keeps the caret between two spaces where y-prosemirror made the typed one the second', () => {
    const stored = server('bergantung pada')
    const seen = replica(stored)
    const line = lineOf(seen, 0)
    line.insert(10, ' dan TOLAKUJ')
    send(seen, stored)
    line.insert(22, 'I')
    // The typed space, as y-prosemirror's text diff writes it: after the space that was there.
    line.insert(24, ' ')
    expect(line.toString()).toBe('bergantung dan TOLAKUJI  pada')
    const fresh = replica(stored)

    // The person's caret: after the space they typed, which they see as the first of the two.
    const caret = 1 + 'bergantung dan TOLAKUJI '.length
    // Both ends of the (empty) selection move with the caret: a selection across the space
    // that stays would be replaced by the next letter.
    const result = carryOver(seen, fresh, { ...options, points: [caret, caret], caret })
    expect(positionIn(fresh, result.points[0] as Y.RelativePosition)).toBe(
      positionIn(fresh, result.points[1] as Y.RelativePosition),
    )
    // "[I] [ ]pada" with the caret between the spaces reads as "[I ]| pada": one piece.
    expect(result.pieces.map((piece) => [piece.text, piece.side])).toEqual([['I ', -1]])
    // Typing goes on at the carried caret: after the piece, before the space that was there.
    const at = positionIn(fresh, result.points[0] as Y.RelativePosition) as number
    lineOf(fresh, 0).insert(at - 1, 'tetap ada')
    expect(withPieces(fresh, result)).toBe('bergantung dan TOLAKUJI tetap ada pada')
  })

  it('slides a piece cut by the caret when its second part repeats the text before it', () => {
    const stored = server('diperiksa orang')
    const seen = replica(stored)
    // " TOLAKUJI" typed after "diperiksa": y-prosemirror writes "TOLAKUJI " after the space.
    lineOf(seen, 0).insert(10, 'TOLAKUJI ')
    const fresh = replica(stored)
    const caret = 1 + 'diperiksa TOLAKUJI'.length
    const result = carryOver(seen, fresh, { ...options, points: [caret, caret], caret })
    expect(positionIn(fresh, result.points[1] as Y.RelativePosition)).toBe(1 + 'diperiksa'.length)
    // Cut at the caret, the second part (" ") repeats the space before the first: one piece,
    // " TOLAKUJI", slid over that space, with the caret right after it.
    expect(result.pieces.map((piece) => [piece.text, piece.side])).toEqual([[' TOLAKUJI', -1]])
    const at = positionIn(fresh, result.points[0] as Y.RelativePosition) as number
    expect(at).toBe(1 + 'diperiksa'.length)
    lineOf(fresh, 0).insert(at - 1, 'x')
    expect(withPieces(fresh, result)).toBe('diperiksa TOLAKUJIx orang')
  })

  it('cuts a piece in two where the caret stood inside it', () => {
    const stored = server('Satu dua.')
    const seen = replica(stored)
    lineOf(seen, 0).insert(4, ' tiga empat')
    const fresh = replica(stored)
    // The caret between "tiga" and " empat" (the person went back to fix a word).
    const caret = 1 + 'Satu tiga'.length
    const result = carryOver(seen, fresh, { ...options, points: [caret], caret })
    expect(result.pieces.map((piece) => [piece.text, piece.side])).toEqual([
      [' tiga', -1],
      [' empat', 1],
    ])
    const at = positionIn(fresh, result.points[0] as Y.RelativePosition) as number
    lineOf(fresh, 0).insert(at - 1, 'X')
    expect(withPieces(fresh, result)).toBe('Satu tigaX empat dua.')
  })

  it('anchors on what the fresh document has, so that text typed there later goes after it', () => {
    const stored = server('Satu dua.')
    const seen = replica(stored)
    lineOf(seen, 0).insert(4, ' X')
    const fresh = replica(stored)
    const result = carryOver(seen, fresh, options)
    const anchor = result.pieces[0]?.anchor as Y.RelativePosition
    expect(positionIn(fresh, anchor)).toBe(5)
    // Typing at the piece's place (as the person does, the caret after it).
    lineOf(fresh, 0).insert(4, ' lanjut')
    expect(positionIn(fresh, anchor)).toBe(5)
    expect(withPieces(fresh, result)).toBe('Satu X lanjut dua.')
  })
})
