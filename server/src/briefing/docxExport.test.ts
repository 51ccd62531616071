/**
 * The Word book as its parts read: each file written, unzipped and parsed, and the elements
 * Word reads checked (tracked changes, comments, the table of contents, lists). What a real word
 * processor makes of the files is docxExport.office.test.ts.
 */
import type { Element, Document as XmlDocument } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { type Book, ExportMode } from './book.ts'
import { writeBookDocx } from './docxExport.ts'
import {
  answerOf,
  bullets,
  cardBook,
  deckBook,
  hardBreak,
  heading,
  item,
  MARKUP_QUESTION,
  mark,
  numbered,
  paragraph,
  people,
  plainContent,
  readDocx,
  reviewContent,
  secondAnswer,
  text,
  thirdAnswer,
  wordAttribute,
  wordElements,
  words,
  wordText,
} from './docxFixtures.ts'

const W14_NS = 'http://schemas.microsoft.com/office/word/2010/wordml'
const W15_NS = 'http://schemas.microsoft.com/office/word/2012/wordml'

async function parts(book: Book, mode: ExportMode) {
  const docx = readDocx(await writeBookDocx(book, mode))
  const document = docx.xml('word/document.xml')
  if (!document) throw new Error('no word/document.xml')
  return { docx, document }
}

/** The paragraph whose text (inserted and deleted text included) holds `needle`. */
function paragraphWith(document: XmlDocument, needle: string): Element {
  const found = wordElements(document, 'p').find((p) => wordText(p).includes(needle))
  if (!found) throw new Error(`no paragraph holds "${needle}"`)
  return found
}

/** A paragraph's style id, null for Normal. */
function styleOf(paragraph: Element): string | null {
  const [style] = wordElements(paragraph, 'pStyle')
  return style ? wordAttribute(style, 'val') : null
}

/** The tracked change elements `name` (ins, del) whose text is `needle`. */
function changesWithText(document: XmlDocument, name: string, needle: string): Element[] {
  return wordElements(document, name).filter((change) => wordText(change) === needle)
}

/** The w:ins or w:del directly in a paragraph's mark (w:pPr/w:rPr). */
function paragraphMark(paragraph: Element, name: 'ins' | 'del'): Element | null {
  const properties = wordElements(paragraph, 'pPr')[0]
  const runProperties = properties
    ? Array.from(properties.childNodes).find(
        (node): node is Element => node.nodeType === 1 && (node as Element).localName === 'rPr',
      )
    : undefined
  return runProperties ? (wordElements(runProperties, name)[0] ?? null) : null
}

describe('writeBookDocx in review mode', () => {
  it("writes each ministry's inserted and deleted words as tracked changes with its author and date", async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const [insertion] = changesWithText(document, 'ins', `${words.inserted} `)
    expect(insertion && wordAttribute(insertion, 'author')).toBe('Siti Rahma (KP2MI)')
    expect(insertion && wordAttribute(insertion, 'date')).toBe('2026-03-10T02:01:00Z')
    const [deletion] = changesWithText(document, 'del', words.deleted)
    expect(deletion && wordAttribute(deletion, 'author')).toBe('Budi Santoso (Kemlu)')
    expect(deletion && wordAttribute(deletion, 'date')).toBe('2026-03-10T02:02:00Z')
    // Deleted text is w:delText, as Word requires inside w:del.
    expect(deletion && wordElements(deletion, 'delText')).toHaveLength(1)
    expect(deletion && wordElements(deletion, 't')).toHaveLength(0)
  })

  it('writes a bold suggestion as the bold run with a run property change holding the formatting it had', async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const run = wordElements(document, 'r').find((r) => wordText(r) === words.bolded)
    const properties = run ? wordElements(run, 'rPr')[0] : undefined
    expect(properties && wordElements(properties, 'b')[0]?.parentNode).toBe(properties)
    const [change] = properties ? wordElements(properties, 'rPrChange') : []
    expect(change && wordAttribute(change, 'author')).toBe('Rina Wijaya (Kemnaker)')
    expect(change && wordAttribute(change, 'date')).toBe('2026-03-10T02:03:00Z')
    const [before] = change ? wordElements(change, 'b') : []
    expect(before && wordAttribute(before, 'val')).toBe('false')
  })

  it("writes a suggested paragraph break as the previous paragraph's mark inserted, without the marker", async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const before = paragraphWith(document, words.beforeSplit)
    const inserted = paragraphMark(before, 'ins')
    expect(inserted && wordAttribute(inserted, 'author')).toBe('Siti Rahma (KP2MI)')
    expect(inserted && wordAttribute(inserted, 'date')).toBe('2026-03-10T02:06:00Z')
    const after = paragraphWith(document, words.afterSplit)
    expect(wordText(after)).toBe(words.afterSplit)
    expect(paragraphMark(after, 'ins')).toBeNull()
    expect(wordText(document)).not.toContain('\u200b')
  })

  it("writes a suggested join as the previous paragraph's mark deleted", async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const deleted = paragraphMark(paragraphWith(document, words.joinedFirst), 'del')
    expect(deleted && wordAttribute(deleted, 'author')).toBe('Budi Santoso (Kemlu)')
    expect(deleted && wordAttribute(deleted, 'date')).toBe('2026-03-10T02:07:00Z')
    expect(paragraphMark(paragraphWith(document, words.joinedSecond), 'del')).toBeNull()
  })

  it('writes a block type change as a paragraph property change holding the former style', async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const retyped = paragraphWith(document, words.retyped)
    const [style] = wordElements(retyped, 'pStyle')
    expect(style && wordAttribute(style, 'val')).toBe('Heading4')
    const [change] = wordElements(retyped, 'pPrChange')
    expect(change && wordAttribute(change, 'author')).toBe('Rina Wijaya (Kemnaker)')
    const [former] = change ? wordElements(change, 'pStyle') : []
    expect(former && wordAttribute(former, 'val')).toBe('Normal')
  })

  it('writes words one ministry inserted and another deleted as a deletion inside the insertion', async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const [deletion] = changesWithText(document, 'del', words.insertedThenDeleted)
    expect(deletion && wordAttribute(deletion, 'author')).toBe('Budi Santoso (Kemlu)')
    const insertion = deletion?.parentNode as Element | null | undefined
    expect(insertion?.localName).toBe('ins')
    expect(insertion && wordAttribute(insertion, 'author')).toBe('Siti Rahma (KP2MI)')
  })

  it('writes open threads as comments with their replies threaded, and leaves resolved threads out', async () => {
    const { docx, document } = await parts(cardBook(), ExportMode.Review)
    const comments = docx.xml('word/comments.xml')
    const extended = docx.xml('word/commentsExtended.xml')
    if (!comments || !extended) throw new Error('no comment parts')
    const all = wordElements(comments, 'comment')
    expect(all.map((comment) => wordAttribute(comment, 'author'))).toEqual([
      'Budi Santoso (Kemlu)',
      'Siti Rahma (KP2MI)',
      'Rina Wijaya (Kemnaker)',
      'Rina Wijaya (Kemnaker)',
      'Budi Santoso (Kemlu)',
    ])
    expect(all.map((comment) => wordAttribute(comment, 'date'))).toEqual([
      '2026-03-10T02:10:00Z',
      '2026-03-10T02:11:00Z',
      '2026-03-10T02:12:00Z',
      '2026-03-10T02:13:00Z',
      '2026-03-10T02:14:00Z',
    ])
    expect(wordText(comments)).not.toContain('sudah selesai')
    // A reply of several lines is several paragraphs.
    expect(wordElements(all[2] as Element, 'p')).toHaveLength(2)
    // Threading: each reply's last paragraph names its thread's first comment as parent.
    const paraIdOf = (comment: Element) => {
      const paragraphs = wordElements(comment, 'p')
      return paragraphs.at(-1)?.getAttributeNS(W14_NS, 'paraId') ?? null
    }
    const parentOf = new Map(
      Array.from(extended.getElementsByTagNameNS(W15_NS, 'commentEx')).map((entry) => [
        entry.getAttributeNS(W15_NS, 'paraId'),
        entry.getAttributeNS(W15_NS, 'paraIdParent') || null,
      ]),
    )
    const [first, reply1, reply2, second, reply3] = all.map(paraIdOf)
    expect(parentOf.get(first ?? '')).toBeNull()
    expect(parentOf.get(reply1 ?? '')).toBe(first)
    expect(parentOf.get(reply2 ?? '')).toBe(first)
    expect(parentOf.get(second ?? '')).toBeNull()
    expect(parentOf.get(reply3 ?? '')).toBe(second)
    // Every comment, replies too, is anchored and referenced in the document.
    const ids = all.map((comment) => wordAttribute(comment, 'id'))
    for (const name of ['commentRangeStart', 'commentRangeEnd', 'commentReference']) {
      expect(
        wordElements(document, name)
          .map((e) => wordAttribute(e, 'id'))
          .sort(),
      ).toEqual([...ids].sort())
    }
  })

  it("anchors a thread on its comment mark's words, and a thread on a suggestion on that suggestion's text", async () => {
    const { docx, document } = await parts(cardBook(), ExportMode.Review)
    const comments = docx.xml('word/comments.xml')
    if (!comments) throw new Error('no comments')
    const idOfComment = (body: string) =>
      wordAttribute(
        wordElements(comments, 'comment').find((c) => wordText(c).includes(body)) as Element,
        'id',
      )
    const anchored = (id: string | null) => {
      const paragraph = paragraphWith(document, words.commented)
      let inside = false
      let covered = ''
      const visit = (node: Element) => {
        for (const child of Array.from(node.childNodes)) {
          if (child.nodeType !== 1) continue
          const el = child as Element
          if (el.localName === 'commentRangeStart' && wordAttribute(el, 'id') === id) inside = true
          else if (el.localName === 'commentRangeEnd' && wordAttribute(el, 'id') === id) {
            inside = false
          } else if ((el.localName === 't' || el.localName === 'delText') && inside) {
            covered += el.textContent ?? ''
          } else visit(el)
        }
      }
      visit(paragraph)
      return covered
    }
    expect(anchored(idOfComment('Mohon cek'))).toBe(words.commented)
    expect(anchored(idOfComment('Mengapa'))).toBe(words.deleted)
  })

  it('attaches a thread whose words are gone at the start of the answer, quoting them', async () => {
    const content = reviewContent()
    content.threads = [
      {
        id: 't-gone',
        quote: 'kata yang sudah hilang',
        resolved: false,
        suggestionId: null,
        comments: [{ author: people.rina, body: 'Di mana teks ini?', at: 0 }],
      },
    ]
    const book = { ...cardBook(), cards: [content] }
    const { docx, document } = await parts(book, ExportMode.Review)
    const comments = docx.xml('word/comments.xml')
    if (!comments) throw new Error('no comments')
    const [comment] = wordElements(comments, 'comment')
    expect(comment && wordText(comment)).toContain('“kata yang sudah hilang”')
    // No time known: the export's, never 1970.
    expect(comment && wordAttribute(comment, 'date')).toBe('2026-03-12T03:30:00Z')
    const [start] = wordElements(document, 'commentRangeStart')
    const firstOfAnswer = paragraphWith(document, 'Pesan kunci')
    expect(start?.parentNode).toBe(firstOfAnswer)
  })

  it('keeps markup characters in questions and comments as text', async () => {
    const { docx, document } = await parts(cardBook(), ExportMode.Review)
    expect(wordText(document)).toContain(MARKUP_QUESTION)
    expect(wordElements(document, 'script')).toHaveLength(0)
    const raw = docx.text('word/document.xml') ?? ''
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;')
    const comments = docx.xml('word/comments.xml')
    expect(comments && wordText(comments)).toContain('Mohon cek <nomor> & tahun UU.')
  })

  it('gives every tracked change and comment a w:id of its own', async () => {
    const { docx, document } = await parts(deckBook(), ExportMode.Review)
    const comments = docx.xml('word/comments.xml')
    if (!comments) throw new Error('no comments')
    const ids = [
      ...['ins', 'del', 'rPrChange', 'pPrChange'].flatMap((name) =>
        wordElements(document, name).map((e) => wordAttribute(e, 'id')),
      ),
      ...wordElements(comments, 'comment').map((e) => wordAttribute(e, 'id')),
    ]
    expect(ids.length).toBeGreaterThan(12)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('declares every part in the content types, and every relationship points at a part', async () => {
    const { docx } = await parts(deckBook(), ExportMode.Review)
    const types = docx.xml('[Content_Types].xml')
    if (!types) throw new Error('no content types')
    const defaults = new Set(
      Array.from(types.getElementsByTagName('Default')).map((d) => d.getAttribute('Extension')),
    )
    const overrides = new Set(
      Array.from(types.getElementsByTagName('Override')).map((o) => o.getAttribute('PartName')),
    )
    expect(overrides).toContain('/word/comments.xml')
    expect(overrides).toContain('/word/commentsExtended.xml')
    for (const name of docx.names.filter((n) => !n.endsWith('/'))) {
      if (name === '[Content_Types].xml') continue
      const declared = overrides.has(`/${name}`) || defaults.has(name.split('.').at(-1) ?? '')
      expect(declared, name).toBe(true)
    }
    for (const rels of docx.names.filter((n) => n.endsWith('.rels'))) {
      const base = rels.replace(/_rels\/[^/]*\.rels$/, '')
      for (const relationship of Array.from(
        docx.xml(rels)?.getElementsByTagName('Relationship') ?? [],
      )) {
        if (relationship.getAttribute('TargetMode') === 'External') continue
        const target = relationship.getAttribute('Target') ?? ''
        const path = target.startsWith('/') ? target.slice(1) : `${base}${target}`
        expect(docx.names, `${rels} → ${target}`).toContain(path)
      }
    }
    const settings = docx.xml('word/settings.xml')
    expect(settings && wordElements(settings, 'trackRevisions')).toHaveLength(1)
  })
})

describe('writeBookDocx in clean mode', () => {
  it('writes the agreed text: deleted words present, inserted ones absent, formatting as before', async () => {
    const { document } = await parts(cardBook(), ExportMode.Clean)
    const answer = wordText(paragraphWith(document, words.kept))
    expect(answer).toContain(`${words.kept} ${words.deleted} menuju ${words.bolded}`)
    expect(answer).not.toContain(words.inserted)
    expect(answer).not.toContain(words.insertedThenDeleted)
    const bolded = wordElements(document, 'r').find((r) => wordText(r).includes(words.bolded))
    expect(bolded && wordElements(bolded, 'b')).toHaveLength(0)
    // The suggested break rejected: one paragraph again. The join and the heading too.
    expect(wordText(paragraphWith(document, words.beforeSplit))).toBe(
      `${words.beforeSplit}${words.afterSplit}`,
    )
    expect(wordElements(paragraphWith(document, words.retyped), 'pStyle')).toHaveLength(0)
    expect(wordText(document)).not.toContain('\u200b')
  })

  it('writes no tracked changes and no comment parts', async () => {
    const { docx, document } = await parts(deckBook(), ExportMode.Clean)
    for (const name of ['ins', 'del', 'rPrChange', 'pPrChange', 'commentRangeStart']) {
      expect(wordElements(document, name), name).toHaveLength(0)
    }
    expect(docx.names.filter((name) => name.includes('comments'))).toEqual([])
    expect(docx.text('[Content_Types].xml')).not.toContain('comments')
    expect(docx.text('word/_rels/document.xml.rels')).not.toContain('comments')
  })
})

describe("the book's layout", () => {
  it('gives a deck a cover, contents whose entries are written, and clusters and cards as headings', async () => {
    const { document } = await parts(deckBook(), ExportMode.Clean)
    const body = wordText(document)
    for (const cover of [
      'Kartu Jawaban Dialog CMW 2026',
      'Cue cards, CMW dialogue 2026',
      'CMW (Committee on Migrant Workers)',
      'Indonesia',
      'DRAFT',
      'v3',
      '12 Maret 2026',
    ]) {
      expect(body).toContain(cover)
    }
    const [field] = wordElements(document, 'instrText').filter((i) =>
      (i.textContent ?? '').startsWith('TOC'),
    )
    expect(field?.textContent).toContain('\\o "1-2"')
    const [begin] = wordElements(document, 'fldChar')
    expect(begin && wordAttribute(begin, 'dirty')).not.toBe('true')
    const entries = wordElements(document, 'p')
      .filter((p) => /^TOC\d$/.test(styleOf(p) ?? ''))
      .map((p) => wordText(p))
    expect(entries).toEqual([
      'Kerangka hukum / Legal framework',
      `CC-01 — Pertanyaan: ${MARKUP_QUESTION}`,
      'CC-02 — Jelaskan peraturan yang ditetapkan sejak 2017 tentang pelindungan pekerja…',
      'Hak pekerja migran / Rights of migrant workers',
      'CC-10 — Bagaimana jaminan sosial pekerja migran?',
    ])
    const headings = (style: string) =>
      wordElements(document, 'p')
        .filter((p) => styleOf(p) === style)
        .map((p) => wordText(p))
    expect(headings('Heading1')).toEqual([
      'Kerangka hukum / Legal framework',
      'Hak pekerja migran / Rights of migrant workers',
    ])
    expect(headings('Heading2')).toHaveLength(3)
    expect(body).toContain(secondAnswer)
    expect(body).toContain(thirdAnswer)
  })

  it('writes the page numbers of the contents when asked to lay the pages out', async () => {
    const docx = readDocx(await writeBookDocx(deckBook(), ExportMode.Clean, { pageNumbers: true }))
    const document = docx.xml('word/document.xml')
    if (!document) throw new Error('no document')
    const pages = wordElements(document, 'instrText')
      .filter((i) => (i.textContent ?? '').startsWith('PAGEREF'))
      .map((i) => wordText(i.parentNode as Element))
    expect(pages).toHaveLength(5)
    for (const page of pages) expect(page).toMatch(/^\d+$/)
  })

  it('heads a card exported alone with deck, edition and date, without cover or contents', async () => {
    const { document } = await parts(cardBook(), ExportMode.Review)
    const [first] = wordElements(document, 'p')
    expect(first && wordText(first)).toBe(
      'Kartu Jawaban Dialog CMW 2026 · Edisi / Edition v3 · DRAFT · 12 Maret 2026',
    )
    const fields = wordElements(document, 'instrText').map((i) => i.textContent ?? '')
    expect(fields.some((field) => field.startsWith('TOC'))).toBe(false)
    expect(wordText(document)).not.toContain('Daftar isi')
  })

  it("prints the card's facts: references, questions, ministries, speaker and time budget", async () => {
    const content = reviewContent()
    content.card = { ...content.card, timeBudgetSec: 90 }
    const { document } = await parts({ ...cardBook(), cards: [content] }, ExportMode.Clean)
    const body = wordText(document)
    for (const fact of [
      'CC-01',
      'CMW/C/IDN/QPR/2, para. 1(a)',
      `Pertanyaan: ${MARKUP_QUESTION}`,
      'KemenHAM (Kementerian Hak Asasi Manusia)',
      'KP2MI (Kementerian Pelindungan Pekerja Migran Indonesia); Kemlu (Kementerian Luar Negeri)',
      'Ketua Delegasi (KemenHAM)',
      '1:30 menit',
    ]) {
      expect(body).toContain(fact)
    }
  })

  it('keeps headings, nested bullet and numbered lists, bold, italic and hard breaks', async () => {
    const content = plainContent({}, '')
    content.answer = answerOf(
      heading(2, 'Pesan kunci'),
      bullets(item(paragraph(text('satu')), numbered(1, item(paragraph(text('dua')))))),
      heading(3, 'Rincian'),
      numbered(
        5,
        item(paragraph(text('tebal', mark.bold), hardBreak, text('miring', mark.italic))),
      ),
      numbered(1, item(paragraph(text('daftar baru')))),
    )
    const { docx, document } = await parts({ ...cardBook(), cards: [content] }, ExportMode.Clean)
    const style = (needle: string) => styleOf(paragraphWith(document, needle))
    expect(style('Pesan kunci')).toBe('Heading3')
    expect(style('Rincian')).toBe('Heading4')
    const numbering = (needle: string) => {
      const p = paragraphWith(document, needle)
      return {
        level: wordAttribute(wordElements(p, 'ilvl')[0] as Element, 'val'),
        num: wordAttribute(wordElements(p, 'numId')[0] as Element, 'val'),
      }
    }
    expect(numbering('satu').level).toBe('0')
    expect(numbering('dua').level).toBe('1')
    // Two numbered lists, two lists in Word: the second starts again.
    expect(numbering('daftar baru').num).not.toBe(numbering('tebal').num)
    const formatted = paragraphWith(document, 'tebal')
    const runs = wordElements(formatted, 'r')
    expect(runs.map((r) => wordElements(r, 'b').length > 0)).toEqual([true, false, false])
    expect(runs.map((r) => wordElements(r, 'i').length > 0)).toEqual([false, false, true])
    expect(wordElements(formatted, 'br')).toHaveLength(1)
    // The numbered list that starts at 5 is numbered from 5, in decimal.
    const numbering5 = docx.xml('word/numbering.xml')
    const starts = numbering5
      ? wordElements(numbering5, 'abstractNum').map((a) => ({
          format: wordAttribute(wordElements(a, 'numFmt')[0] as Element, 'val'),
          start: wordAttribute(wordElements(a, 'start')[0] as Element, 'val'),
        }))
      : []
    expect(starts).toContainEqual({ format: 'decimal', start: '5' })
    expect(starts).toContainEqual({ format: 'bullet', start: '1' })
  })

  it('prints deck, edition, date and marking in the footer, and the marking in the header', async () => {
    const { docx } = await parts(cardBook(), ExportMode.Clean)
    const footer = docx.xml('word/footer1.xml')
    const header = docx.xml('word/header1.xml')
    expect(footer && wordText(footer)).toContain(
      'Kartu Jawaban Dialog CMW 2026 · v3 · 12 Maret 2026 · TERBATAS',
    )
    expect(footer && wordText(footer)).toContain('Halaman')
    expect(header && wordText(header)).toBe('TERBATAS')
    const unmarked = readDocx(await writeBookDocx({ ...cardBook(), marking: '' }, ExportMode.Clean))
    expect(unmarked.names).not.toContain('word/header1.xml')
  })

  it('prints dates in the book’s time zone', async () => {
    // 23:30 UTC on 11 March is already the 12th in Jakarta (the default), still the 11th in
    // New York.
    const late = { ...cardBook(), exportedAt: new Date(Date.UTC(2026, 2, 11, 23, 30)) }
    const jakarta = await parts(late, ExportMode.Clean)
    expect(wordText(jakarta.document)).toContain('12 Maret 2026')
    const newYork = await parts({ ...late, timeZone: 'America/New_York' }, ExportMode.Clean)
    expect(wordText(newYork.document)).toContain('11 Maret 2026')
  })
})
