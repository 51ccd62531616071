import { randomBytes } from 'node:crypto'
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  DRAFT_AUTHORS,
  docxFromLibreOffice,
  docxOf,
  LIBREOFFICE_DRAFT,
  packageOf,
  runLibreOfficeTests,
  wordDraft,
  zipOf,
} from './docxImportFixtures.ts'
import {
  DOCX_LIMITS,
  DocxErrorCode,
  DocxImportError,
  readDocx,
  type WordBlock,
  type WordDocument,
} from './docxRead.ts'

const textOf = (block: WordBlock | undefined) =>
  (block?.runs ?? []).map((run) => (run.hardBreak ? '\n' : run.text)).join('')

function refusal(read: () => unknown): DocxImportError {
  try {
    read()
  } catch (error) {
    if (error instanceof DocxImportError) return error
    throw error
  }
  throw new Error('the file was read')
}

const paragraph = (inner: string) => `<w:p>${inner}</w:p>`
const run = (text: string, props = '') =>
  `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`

describe('readDocx', () => {
  it('reads a Word draft: headings, lists, formatting, tracked changes and threaded comments', async () => {
    const word = readDocx(await docxOf(wordDraft()))
    const { member, commenter, guest, office } = DRAFT_AUTHORS
    expect(word.blocks.map((block) => block.type)).toEqual([
      'heading',
      'paragraph',
      'paragraph',
      'heading',
      'listItem',
      'listItem',
      'listItem',
      'listItem',
      'listItem',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
    ])
    const [title, first, second, subheading] = word.blocks
    expect(title).toMatchObject({ type: 'heading', level: 1 })
    expect(subheading).toMatchObject({ type: 'heading', level: 3 })
    expect(first?.runs).toEqual([
      { text: 'Indonesia ', bold: false, italic: false, hardBreak: false, commentIds: [] },
      { text: 'menegaskan', bold: true, italic: false, hardBreak: false, commentIds: [] },
      { text: ' komitmen ', bold: false, italic: false, hardBreak: false, commentIds: [] },
      { text: 'penuh', bold: false, italic: true, hardBreak: false, commentIds: [] },
      {
        text: ' dan berkelanjutan',
        bold: false,
        italic: false,
        hardBreak: false,
        commentIds: [],
        insertion: { author: member, date: '2025-03-01T10:00:00Z' },
      },
      { text: '.', bold: false, italic: false, hardBreak: false, commentIds: [] },
    ])
    expect(second?.runs.map((r) => [r.text, r.deletion?.author, r.insertion?.author])).toEqual([
      ['Jumlah penempatan ', undefined, undefined],
      ['sekitar ', guest, undefined],
      ['lebih dari ', undefined, guest],
      ['4 juta', undefined, undefined],
      [' orang.', undefined, undefined],
    ])
    expect(second?.runs[3]?.commentIds).toEqual(['0'])

    const items = word.blocks.filter((block) => block.type === 'listItem')
    expect(items.map((item) => [textOf(item), item.list.kind, item.level])).toEqual([
      ['Pendataan terpadu', 'bullet', 0],
      ['Basis data bersama', 'bullet', 1],
      ['Layanan satu atap', 'bullet', 0],
      ['Pelatihan pra-pemberangkatan', 'ordered', 0],
      ['Perjanjian bilateral', 'ordered', 0],
    ])

    // Paragraph marks: the break after "Paragraf lama" inserted, the one after "Baris pertama"
    // and after the paragraph deleted whole deleted.
    const marks = word.blocks.map((block) => ({
      text: textOf(block),
      inserted: block.mark.insertion?.author,
      deleted: block.mark.deletion?.author,
    }))
    expect(marks.filter((mark) => mark.inserted || mark.deleted)).toEqual([
      { text: 'Paragraf lama', inserted: office, deleted: undefined },
      { text: 'Baris pertama ', inserted: undefined, deleted: guest },
      { text: 'Paragraf yang dihapus seluruhnya.', inserted: undefined, deleted: guest },
    ])

    expect(word.comments).toEqual([
      {
        id: '0',
        author: commenter,
        date: '2025-03-02T09:00:00.000Z',
        text: 'Mohon cek angka ini.',
        resolved: false,
      },
      {
        id: '1',
        author: member,
        date: '2025-03-02T11:00:00.000Z',
        text: 'Sudah dicek dengan data KP2MI.',
        parentId: '0',
        resolved: false,
      },
      {
        id: '2',
        author: office,
        date: '2025-03-03T08:00:00.000Z',
        text: 'Setuju.',
        resolved: true,
      },
    ])
  })

  it('takes the text of fields, hyperlinks, smart tags, tabs and tables, and no hidden text or field codes', () => {
    const body = [
      paragraph(
        `${run('Lihat ')}<w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${run('laporan')}</w:hyperlink>` +
          `<w:r><w:tab/><w:t>angka</w:t><w:br/><w:t>baris</w:t></w:r>` +
          `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run('7')}<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
          `<w:fldSimple w:instr=" DATE ">${run(' 2025')}</w:fldSimple>` +
          `<w:smartTag w:uri="x" w:element="place">${run(' Jenewa')}</w:smartTag>` +
          run(' rahasia', '<w:vanish/>') +
          `<w:sdt><w:sdtContent>${run('.')}</w:sdtContent></w:sdt>`,
      ),
      `<w:tbl><w:tr><w:tc>${paragraph(run('sel satu'))}</w:tc><w:tc>${paragraph(run('sel dua'))}</w:tc></w:tr></w:tbl>`,
    ].join('')
    const word = readDocx(packageOf(body))
    expect(word.blocks.map(textOf)).toEqual([
      'Lihat laporan\tangka\nbaris7 2025 Jenewa.',
      'sel satu',
      'sel dua',
    ])
  })

  it('reads moves as deletions and insertions, format changes, and headings and lists from styles', () => {
    const styles = [
      '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>',
      '<w:style w:type="paragraph" w:styleId="Judul3"><w:name w:val="heading 3"/></w:style>',
      '<w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Sub"/><w:basedOn w:val="Judul3"/></w:style>',
      '<w:style w:type="paragraph" w:styleId="Bagian"><w:name w:val="Bagian"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>',
      '<w:style w:type="paragraph" w:styleId="Daftar"><w:name w:val="Daftar"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>',
      '<w:style w:type="character" w:styleId="Tebal"><w:name w:val="Tebal"/><w:rPr><w:b/></w:rPr></w:style>',
    ].join('')
    const numbering = [
      '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="lowerRoman"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="none"/></w:lvl></w:abstractNum>',
      '<w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num>',
    ].join('')
    const body = [
      paragraph(`<w:pPr><w:pStyle w:val="Sub"/></w:pPr>${run('Sub-judul')}`),
      paragraph(`<w:pPr><w:pStyle w:val="Bagian"/></w:pPr>${run('Bagian')}`),
      paragraph(`<w:pPr><w:outlineLvl w:val="0"/></w:pPr>${run('Langsung')}`),
      paragraph(`<w:pPr><w:pStyle w:val="Daftar"/></w:pPr>${run('butir')}`),
      paragraph(
        `<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr>${run('tanpa nomor')}`,
      ),
      paragraph(
        `<w:moveFrom w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z">${run('pindah ')}</w:moveFrom>${run('tetap ')}<w:moveTo w:id="2" w:author="A" w:date="2025-01-01T00:00:00Z">${run('pindah')}</w:moveTo>` +
          run(
            ' tebal',
            '<w:rStyle w:val="Tebal"/><w:rPrChange w:id="3" w:author="B" w:date="2025-01-02T00:00:00Z"><w:rPr/></w:rPrChange>',
          ) +
          `<w:ins w:id="4" w:author="A"><w:del w:id="5" w:author="C">${'<w:r><w:delText>tarik</w:delText></w:r>'}</w:del></w:ins>`,
      ),
    ].join('')
    const word = readDocx(packageOf(body, { styles, numbering }))
    expect(
      word.blocks.slice(0, 5).map((b) => [b.type, b.type === 'heading' ? b.level : null]),
    ).toEqual([
      ['heading', 3],
      ['heading', 2],
      ['heading', 1],
      ['listItem', null],
      ['paragraph', null],
    ])
    expect(word.blocks[3]).toMatchObject({
      list: { kind: 'ordered', numId: '7', start: 4, format: 'i' },
      level: 0,
    })
    const runs = word.blocks[5]?.runs ?? []
    expect(runs.map((r) => [r.text, r.deletion?.author, r.insertion?.author])).toEqual([
      ['pindah ', 'A', undefined],
      ['tetap ', undefined, undefined],
      ['pindah', undefined, 'A'],
      [' tebal', undefined, undefined],
      ['tarik', 'C', 'A'],
    ])
    expect(runs[3]).toMatchObject({
      bold: true,
      formatChange: { author: 'B', date: '2025-01-02T00:00:00Z', bold: false, italic: false },
    })
  })

  it('anchors a comment without a range on the text before its reference', () => {
    const body = paragraph(
      `${run('Angka ')}${run('ini')}<w:r><w:commentReference w:id="9"/></w:r>${run(' lagi')}`,
    )
    const comments =
      '<w:comment w:id="9" w:author="B" w:date="2025-01-01T00:00:00Z"><w:p><w:r><w:t>Cek</w:t></w:r></w:p></w:comment>'
    const word = readDocx(packageOf(body, { comments }))
    expect(word.blocks[0]?.runs.map((r) => [r.text, r.commentIds])).toEqual([
      ['Angka ', []],
      ['ini', ['9']],
      [' lagi', []],
    ])
  })

  it.runIf(runLibreOfficeTests())(
    'reads what LibreOffice writes: headings, lists, formatting, tracked changes, comments',
    () => {
      const word: WordDocument = readDocx(docxFromLibreOffice(LIBREOFFICE_DRAFT))
      expect(word.blocks.map((block) => [block.type, textOf(block)])).toEqual([
        ['heading', 'Kebijakan'],
        ['paragraph', 'Indonesia menegaskan kembali komitmen hampir penuh.'],
        ['paragraph', 'Data 4 juta orang.'],
        ['listItem', 'satu'],
        ['listItem', 'satu-a'],
        ['listItem', 'dua'],
        ['listItem', 'pertama'],
        ['listItem', 'kedua'],
        ['paragraph', 'Alpha'],
        ['paragraph', 'Paragraf sisipan'],
        ['paragraph', 'Paragraf yang dihapus.'],
        ['paragraph', 'Penutup.'],
      ])
      const items = word.blocks.filter((block) => block.type === 'listItem')
      expect(items.map((item) => [item.list.kind, item.level])).toEqual([
        ['bullet', 0],
        ['bullet', 1],
        ['bullet', 0],
        ['ordered', 0],
        ['ordered', 0],
      ])
      const revised = word.blocks[1]?.runs.map((r) => [
        r.text,
        r.bold,
        r.italic,
        r.insertion?.author,
        r.deletion?.author,
      ])
      expect(revised).toEqual([
        ['Indonesia ', false, false, undefined, undefined],
        ['menegaskan', true, false, undefined, undefined],
        [' ', false, false, undefined, undefined],
        ['kembali ', false, false, DRAFT_AUTHORS.member, undefined],
        ['komitmen ', false, false, undefined, undefined],
        ['hampir ', false, false, undefined, DRAFT_AUTHORS.guest],
        ['penuh', false, true, undefined, undefined],
        ['.', false, false, undefined, undefined],
      ])
      expect(word.blocks[8]?.mark.insertion?.author).toBe(DRAFT_AUTHORS.member)
      expect(word.blocks[10]?.mark.deletion?.author).toBe(DRAFT_AUTHORS.guest)
      // LibreOffice 7 writes no commentsExtended.xml: its reply is a comment of its own, with no
      // range, anchored on the word before it.
      expect(word.comments.map((c) => [c.author, c.text, c.parentId])).toEqual([
        [DRAFT_AUTHORS.commenter, 'Mohon cek angka ini.', undefined],
        [DRAFT_AUTHORS.member, 'Sudah dicek.', undefined],
      ])
      expect(word.blocks[2]?.runs.map((r) => [r.text, r.commentIds])).toEqual([
        ['Data ', []],
        ['4 ', ['0']],
        ['juta', ['0', '1']],
        [' orang.', []],
      ])
    },
  )

  describe('refuses with a DocxImportError', () => {
    it('random bytes: not a zip', () => {
      const error = refusal(() => readDocx(new Uint8Array(randomBytes(4096))))
      expect(error.code).toBe(DocxErrorCode.NotZip)
      expect(error.statusCode).toBe(422)
    })

    it('a zip without word/document.xml: not a Word document', () => {
      const error = refusal(() => readDocx(zipOf({ 'notes.txt': 'catatan' })))
      expect(error.code).toBe(DocxErrorCode.NotDocx)
      expect(error.message).toContain('word/document.xml')
    })

    it('an old .doc (an OLE file): not a Word document it can open', () => {
      const ole = new Uint8Array([
        0xd0,
        0xcf,
        0x11,
        0xe0,
        0xa1,
        0xb1,
        0x1a,
        0xe1,
        ...new Uint8Array(504),
      ])
      expect(refusal(() => readDocx(ole)).code).toBe(DocxErrorCode.NotDocx)
    })

    it('corrupt XML, and a DOCTYPE', () => {
      const broken = zipOf({ 'word/document.xml': '<w:document><w:body><w:p></w:body>' })
      expect(refusal(() => readDocx(broken)).code).toBe(DocxErrorCode.InvalidXml)
      const withDoctype = zipOf({
        'word/document.xml': `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraph(run('&a;'))}</w:body></w:document>`,
      })
      expect(refusal(() => readDocx(withDoctype)).code).toBe(DocxErrorCode.InvalidXml)
    })

    it('revisions nested thousands deep (a crafted file), before the stack overflows', () => {
      const open = '<w:ins w:id="1" w:author="A">'.repeat(5000)
      const close = '</w:ins>'.repeat(5000)
      const nested = packageOf(paragraph(`${open}${run('x')}${close}`))
      expect(refusal(() => readDocx(nested)).code).toBe(DocxErrorCode.NotDocx)
    })

    it('a document without text: empty', () => {
      expect(refusal(() => readDocx(packageOf(paragraph('') + paragraph(run('   '))))).code).toBe(
        DocxErrorCode.Empty,
      )
    })

    it('a file over the compressed limit', () => {
      const limits = { ...DOCX_LIMITS, maxCompressedBytes: 1024 }
      const error = refusal(() => readDocx(new Uint8Array(2048), limits))
      expect(error.code).toBe(DocxErrorCode.TooLarge)
      expect(error.statusCode).toBe(413)
    })

    it('a zip bomb: refused on its declared size before anything is inflated', () => {
      const zeros = new Uint8Array(DOCX_LIMITS.maxUncompressedBytes + 1)
      const bomb = zipSync({ 'word/document.xml': zeros }, { level: 9 })
      expect(bomb.length).toBeLessThan(DOCX_LIMITS.maxCompressedBytes)
      expect(refusal(() => readDocx(bomb)).code).toBe(DocxErrorCode.TooLarge)
    })

    it('more XML than is parsed at once', () => {
      const body = paragraph(run('kata '.repeat(1000)))
      const limits = { ...DOCX_LIMITS, maxXmlBytes: 2000 }
      expect(refusal(() => readDocx(packageOf(body), limits)).code).toBe(DocxErrorCode.TooLarge)
      expect(readDocx(packageOf(body)).blocks).toHaveLength(1)
    })

    it('a zip bomb that lies about its size: stopped while inflating', () => {
      const body = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraph(run('x'.repeat(200_000)))}</w:body></w:document>`
      const honest = zipSync({ 'word/document.xml': strToU8(body) }, { level: 9 })
      // Declare 100 bytes in the central directory (the local header is not read for sizes).
      const lying = honest.slice()
      const view = new DataView(lying.buffer)
      const directory = view.getUint32(lying.length - 22 + 16, true)
      view.setUint32(directory + 24, 100, true)
      expect(refusal(() => readDocx(lying)).code).toBe(DocxErrorCode.NotZip)
      // And with a small budget it is the budget that stops it.
      const limits = { ...DOCX_LIMITS, maxUncompressedBytes: 1000 }
      view.setUint32(directory + 24, 900, true)
      expect(refusal(() => readDocx(lying, limits)).code).toBe(DocxErrorCode.TooLarge)
    })
  })
})
