/**
 * The Word files in a real word processor: LibreOffice Writer opens every exported file and
 * prints it to PDF (the text a reader sees must be there), and saves the review files again as
 * .docx (the tracked changes and comments, with their authors, must survive another program).
 * Two soffice runs for all of it, since each start costs seconds.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfText } from '../testing/pdfTools.ts'
import { makeTempDir, removeDir } from '../testing/tempStorage.ts'
import { convertWithLibreOffice, hasWordProcessor } from '../testing/wordProcessor.ts'
import { ExportMode } from './book.ts'
import { writeBookDocx, writeMinutesDocx } from './docxExport.ts'
import {
  cardBook,
  deckBook,
  MARKUP_QUESTION,
  minutes,
  readDocx,
  secondAnswer,
  thirdAnswer,
  wordAttribute,
  wordElements,
  words,
  wordText,
} from './docxFixtures.ts'

const files = {
  cardReview: () => writeBookDocx(cardBook(), ExportMode.Review),
  cardClean: () => writeBookDocx(cardBook(), ExportMode.Clean),
  deckReview: () => writeBookDocx(deckBook(), ExportMode.Review),
  deckClean: () => writeBookDocx(deckBook(), ExportMode.Clean),
  minutes: () => writeMinutesDocx(minutes()),
}
type Name = keyof typeof files

/** pdftotext -layout breaks lines and pads them: compare words with single spaces. */
const flat = (value: string) => value.replace(/\s+/g, ' ')

describe.skipIf(!hasWordProcessor())('exported Word files in LibreOffice', () => {
  let dir = ''
  const pdf = new Map<Name, string>()
  const resaved = new Map<'cardReview' | 'deckReview', string>()

  beforeAll(async () => {
    dir = makeTempDir()
    const written = new Map<Name, string>()
    for (const [name, write] of Object.entries(files) as Array<[Name, () => Promise<Uint8Array>]>) {
      const file = path.join(dir, `${name}.docx`)
      fs.writeFileSync(file, await write())
      written.set(name, file)
    }
    const inputs = [...written.values()]
    const pdfs = await convertWithLibreOffice(inputs, 'pdf', path.join(dir, 'pdf'))
    const texts = pdfs.map((file) => pdfText(file, undefined, { layout: true }))
    ;[...written.keys()].forEach((name, index) => {
      pdf.set(name, flat(texts[index] ?? ''))
    })
    const review = ['cardReview', 'deckReview'] as const
    const again = await convertWithLibreOffice(
      review.map((name) => written.get(name) ?? ''),
      'docx',
      path.join(dir, 'resaved'),
    )
    review.forEach((name, index) => {
      resaved.set(name, again[index] ?? '')
    })
  }, 240_000)

  afterAll(() => {
    if (dir) removeDir(dir)
  })

  it('prints every exported file to a PDF that holds its answers', () => {
    const cardReview = pdf.get('cardReview') ?? ''
    // Review: the words as they stand, suggested ones included, and the questions as text.
    for (const part of [words.kept, words.inserted, words.afterSplit, words.keyMessage]) {
      expect(cardReview).toContain(part)
    }
    expect(cardReview).toContain(MARKUP_QUESTION)
    expect(cardReview).toContain('TERBATAS')
    const cardClean = pdf.get('cardClean') ?? ''
    expect(cardClean).toContain(`${words.kept} ${words.deleted} menuju ${words.bolded}`)
    expect(cardClean).not.toContain(words.inserted)
    for (const name of ['deckReview', 'deckClean'] as const) {
      const deck = pdf.get(name) ?? ''
      for (const part of [words.kept, secondAnswer, thirdAnswer, 'Daftar isi / Contents']) {
        expect(deck, name).toContain(part)
      }
    }
    const minutesText = pdf.get('minutes') ?? ''
    // Table cells wrap: words that fit their column.
    for (const part of ['Notulen rakor', 'penghapusan', 'pemindahan', 'Langkah kedua', 'ditarik']) {
      expect(minutesText).toContain(part)
    }
  })

  it('keeps the tracked changes and their authors when LibreOffice saves the file again', () => {
    for (const name of ['cardReview', 'deckReview'] as const) {
      const document = readDocx(fs.readFileSync(resaved.get(name) ?? '')).xml('word/document.xml')
      if (!document) throw new Error(`${name}: no document`)
      const authorsOf = (localName: string) =>
        new Set(wordElements(document, localName).map((e) => wordAttribute(e, 'author')))
      expect(authorsOf('ins'), name).toEqual(new Set(['Siti Rahma (KP2MI)']))
      expect(authorsOf('del'), name).toEqual(new Set(['Budi Santoso (Kemlu)']))
      expect(authorsOf('rPrChange'), name).toEqual(new Set(['Rina Wijaya (Kemnaker)']))
      const deleted = wordElements(document, 'del').find((e) => wordText(e) === words.deleted) as
        | Element
        | undefined
      expect(deleted && wordAttribute(deleted, 'date')).toBe('2026-03-10T02:02:00Z')
      // The split's paragraph mark and the join's are still tracked.
      const marks = wordElements(document, 'pPr').flatMap((properties) =>
        wordElements(properties, 'ins').concat(wordElements(properties, 'del')),
      )
      expect(marks.length, name).toBeGreaterThanOrEqual(2)
    }
  })

  it('keeps the comments, replies included, and their authors when LibreOffice saves the file again', () => {
    const docx = readDocx(fs.readFileSync(resaved.get('cardReview') ?? ''))
    const comments = docx.xml('word/comments.xml')
    if (!comments) throw new Error('no comments after saving again')
    const byText = wordElements(comments, 'comment')
      .map((comment) => [wordText(comment), wordAttribute(comment, 'author')])
      .sort()
    expect(byText).toEqual(
      [
        ['Mengapa "lama" dihapus?', 'Rina Wijaya (Kemnaker)'],
        ['Mohon cek <nomor> & tahun UU.', 'Budi Santoso (Kemlu)'],
        ['Setuju.Terima kasih.', 'Rina Wijaya (Kemnaker)'],
        ['Sudah benar: UU 18/2017.', 'Siti Rahma (KP2MI)'],
        ['Tidak perlu.', 'Budi Santoso (Kemlu)'],
      ].sort(),
    )
  })
})
