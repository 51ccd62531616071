/**
 * Word files for the import's tests, made by the tests themselves (no binary fixtures): with the
 * `docx` library (which writes tracked changes with author and date, and threaded comments), by
 * hand (a minimal package around a document.xml, for what no writer makes on request: fields,
 * moves, format changes, hidden text), and by LibreOffice from a flat ODT (what a ministry's
 * LibreOffice saves). Test code only; it lives here because server/src/testing/ is not this
 * module's to change.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
} from 'docx'
import { strToU8, zipSync } from 'fflate'

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

/** A zip of the given parts (deflated). */
export function zipOf(parts: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(parts).map(([name, data]) => [
        name,
        typeof data === 'string' ? strToU8(data) : data,
      ]),
    ),
  )
}

const xml = (root: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><${root} xmlns:w="${W_NS}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">${inner}</${root.split(' ')[0]}>`

/**
 * A minimal .docx around `body` (the inner XML of w:body), with the optional parts' inner XML.
 */
export function packageOf(
  body: string,
  parts: { styles?: string; numbering?: string; comments?: string; commentsExtended?: string } = {},
): Uint8Array {
  const relations = [
    parts.styles ? ['styles', 'styles.xml'] : null,
    parts.numbering ? ['numbering', 'numbering.xml'] : null,
    parts.comments ? ['comments', 'comments.xml'] : null,
  ]
    .filter((entry): entry is string[] => entry !== null)
    .map(
      ([type, target], index) =>
        `<Relationship Id="rId${index + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`,
    )
  if (parts.commentsExtended) {
    relations.push(
      '<Relationship Id="rIdX" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/>',
    )
  }
  const files: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/_rels/document.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relations.join('')}</Relationships>`,
    'word/document.xml': xml('w:document', `<w:body>${body}</w:body>`),
  }
  if (parts.styles) files['word/styles.xml'] = xml('w:styles', parts.styles)
  if (parts.numbering) files['word/numbering.xml'] = xml('w:numbering', parts.numbering)
  if (parts.comments) files['word/comments.xml'] = xml('w:comments', parts.comments)
  if (parts.commentsExtended) {
    files['word/commentsExtended.xml'] = xml('w15:commentsEx', parts.commentsExtended)
  }
  return zipOf(files)
}

export async function docxOf(document: Document): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toBuffer(document))
}

/** The people of the draft (the first two are demo members' names, the others are not). */
export const DRAFT_AUTHORS = {
  member: 'Budi Santoso',
  commenter: 'Sari Anggraini',
  guest: 'Tamu Luar',
  office: 'KP2MI',
} as const

const at = (day: number, hour: number) =>
  `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`

/**
 * A cue card's draft as a ministry sends it back: a heading, bold and italic words, bullet and
 * numbered lists (nested), an insertion, a replacement, an inserted paragraph, a deleted
 * paragraph mark, a paragraph deleted whole, a comment with a reply and a resolved comment.
 */
export function wordDraft(): Document {
  const { member, commenter, guest, office } = DRAFT_AUTHORS
  return new Document({
    comments: {
      children: [
        {
          id: 0,
          author: commenter,
          date: new Date(at(2, 9)),
          children: [new Paragraph('Mohon cek angka ini.')],
        },
        {
          id: 1,
          author: member,
          date: new Date(at(2, 11)),
          parentId: 0,
          children: [new Paragraph('Sudah dicek dengan data KP2MI.')],
        },
        {
          id: 2,
          author: office,
          date: new Date(at(3, 8)),
          resolved: true,
          children: [new Paragraph('Setuju.')],
        },
      ],
    },
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.' },
            { level: 1, format: LevelFormat.LOWER_LETTER, text: '%2)' },
          ],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Perlindungan pekerja migran' }),
          new Paragraph({
            children: [
              new TextRun('Indonesia '),
              new TextRun({ text: 'menegaskan', bold: true }),
              new TextRun(' komitmen '),
              new TextRun({ text: 'penuh', italics: true }),
              new InsertedTextRun({
                id: 1,
                author: member,
                date: at(1, 10),
                text: ' dan berkelanjutan',
              }),
              new TextRun('.'),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun('Jumlah penempatan '),
              new DeletedTextRun({ id: 2, author: guest, date: at(1, 11), text: 'sekitar ' }),
              new InsertedTextRun({ id: 3, author: guest, date: at(1, 11), text: 'lebih dari ' }),
              new CommentRangeStart(0),
              new TextRun('4 juta'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new TextRun(' orang.'),
            ],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_3, text: 'Langkah utama' }),
          new Paragraph({ text: 'Pendataan terpadu', bullet: { level: 0 } }),
          new Paragraph({ text: 'Basis data bersama', bullet: { level: 1 } }),
          new Paragraph({ text: 'Layanan satu atap', bullet: { level: 0 } }),
          new Paragraph({
            text: 'Pelatihan pra-pemberangkatan',
            numbering: { reference: 'steps', level: 0 },
          }),
          new Paragraph({
            text: 'Perjanjian bilateral',
            numbering: { reference: 'steps', level: 0 },
          }),
          new Paragraph({
            children: [new TextRun('Paragraf lama')],
            run: { insertion: { id: 4, author: office, date: at(1, 12) } },
          }),
          new Paragraph({
            children: [
              new InsertedTextRun({
                id: 5,
                author: office,
                date: at(1, 12),
                text: 'Kalimat tambahan.',
              }),
            ],
          }),
          new Paragraph({
            children: [new TextRun('Baris pertama ')],
            run: { deletion: { id: 6, author: guest, date: at(1, 13) } },
          }),
          new Paragraph({ children: [new TextRun('baris kedua.')] }),
          new Paragraph({
            children: [
              new DeletedTextRun({
                id: 7,
                author: guest,
                date: at(1, 14),
                text: 'Paragraf yang dihapus seluruhnya.',
              }),
            ],
            run: { deletion: { id: 8, author: guest, date: at(1, 14) } },
          }),
          new Paragraph({
            children: [
              new CommentRangeStart(2),
              new TextRun('Penutup.'),
              new CommentRangeEnd(2),
              new TextRun({ children: [new CommentReference(2)] }),
            ],
          }),
        ],
      },
    ],
  })
}

/** The draft's answer with every tracked change rejected, a line per textblock. */
export const DRAFT_REJECTED = [
  'Perlindungan pekerja migran',
  'Indonesia menegaskan komitmen penuh.',
  'Jumlah penempatan sekitar 4 juta orang.',
  'Langkah utama',
  'Pendataan terpadu',
  'Basis data bersama',
  'Layanan satu atap',
  'Pelatihan pra-pemberangkatan',
  'Perjanjian bilateral',
  'Paragraf lama',
  'Baris pertama ',
  'baris kedua.',
  'Paragraf yang dihapus seluruhnya.',
  'Penutup.',
]

/** The draft's answer with every tracked change accepted. */
export const DRAFT_ACCEPTED = [
  'Perlindungan pekerja migran',
  'Indonesia menegaskan komitmen penuh dan berkelanjutan.',
  'Jumlah penempatan lebih dari 4 juta orang.',
  'Langkah utama',
  'Pendataan terpadu',
  'Basis data bersama',
  'Layanan satu atap',
  'Pelatihan pra-pemberangkatan',
  'Perjanjian bilateral',
  'Paragraf lama',
  'Kalimat tambahan.',
  'Baris pertama baris kedua.',
  'Penutup.',
]

/**
 * The same kind of draft as LibreOffice writes it: a flat ODT with tracked changes (an
 * insertion, a deletion, an inserted paragraph, a paragraph deleted whole), bold and italic,
 * bullet and numbered lists (nested), and an annotation over a range with a reply.
 */
export const LIBREOFFICE_DRAFT = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
  <office:styles>
    <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"/>
  </office:styles>
  <office:automatic-styles>
    <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
    <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
    <text:list-style style:name="LB">
      <text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
      <text:list-level-style-bullet text:level="2" text:bullet-char="◦"/>
    </text:list-style>
    <text:list-style style:name="LN">
      <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
    </text:list-style>
  </office:automatic-styles>
  <office:body>
    <office:text>
      <text:tracked-changes text:track-changes="true">
        <text:changed-region xml:id="ct1" text:id="ct1">
          <text:insertion><office:change-info><dc:creator>${DRAFT_AUTHORS.member}</dc:creator><dc:date>2025-03-01T10:00:00</dc:date></office:change-info></text:insertion>
        </text:changed-region>
        <text:changed-region xml:id="ct2" text:id="ct2">
          <text:deletion><office:change-info><dc:creator>${DRAFT_AUTHORS.guest}</dc:creator><dc:date>2025-03-01T11:00:00</dc:date></office:change-info><text:p>hampir </text:p></text:deletion>
        </text:changed-region>
        <text:changed-region xml:id="ct3" text:id="ct3">
          <text:insertion><office:change-info><dc:creator>${DRAFT_AUTHORS.member}</dc:creator><dc:date>2025-03-01T12:00:00</dc:date></office:change-info></text:insertion>
        </text:changed-region>
        <text:changed-region xml:id="ct4" text:id="ct4">
          <text:deletion><office:change-info><dc:creator>${DRAFT_AUTHORS.guest}</dc:creator><dc:date>2025-03-01T13:00:00</dc:date></office:change-info><text:p>Paragraf yang dihapus.</text:p><text:p/></text:deletion>
        </text:changed-region>
      </text:tracked-changes>
      <text:h text:style-name="Heading_20_1" text:outline-level="1">Kebijakan</text:h>
      <text:p>Indonesia <text:span text:style-name="B">menegaskan</text:span> <text:change-start text:change-id="ct1"/>kembali <text:change-end text:change-id="ct1"/>komitmen <text:change text:change-id="ct2"/><text:span text:style-name="I">penuh</text:span>.</text:p>
      <text:p>Data <office:annotation office:name="c1"><dc:creator>${DRAFT_AUTHORS.commenter}</dc:creator><dc:date>2025-03-02T09:00:00</dc:date><text:p>Mohon cek angka ini.</text:p></office:annotation>4 juta<office:annotation-end office:name="c1"/><office:annotation office:name="c2" loext:parent-name="c1"><dc:creator>${DRAFT_AUTHORS.member}</dc:creator><dc:date>2025-03-02T11:00:00</dc:date><text:p>Sudah dicek.</text:p></office:annotation> orang.</text:p>
      <text:list text:style-name="LB">
        <text:list-item><text:p>satu</text:p>
          <text:list><text:list-item><text:p>satu-a</text:p></text:list-item></text:list>
        </text:list-item>
        <text:list-item><text:p>dua</text:p></text:list-item>
      </text:list>
      <text:list text:style-name="LN">
        <text:list-item><text:p>pertama</text:p></text:list-item>
        <text:list-item><text:p>kedua</text:p></text:list-item>
      </text:list>
      <text:p>Alpha<text:change-start text:change-id="ct3"/></text:p>
      <text:p>Paragraf sisipan<text:change-end text:change-id="ct3"/></text:p>
      <text:p><text:change text:change-id="ct4"/>Penutup.</text:p>
    </office:text>
  </office:body>
</office:document>
`

/** The LibreOffice draft with every tracked change rejected, and with every one accepted. */
export const LIBREOFFICE_REJECTED = [
  'Kebijakan',
  'Indonesia menegaskan komitmen hampir penuh.',
  'Data 4 juta orang.',
  'satu',
  'satu-a',
  'dua',
  'pertama',
  'kedua',
  'Alpha',
  'Paragraf yang dihapus.',
  'Penutup.',
]
export const LIBREOFFICE_ACCEPTED = [
  'Kebijakan',
  'Indonesia menegaskan kembali komitmen penuh.',
  'Data 4 juta orang.',
  'satu',
  'satu-a',
  'dua',
  'pertama',
  'kedua',
  'Alpha',
  'Paragraf sisipan',
  'Penutup.',
]

/** Whether LibreOffice can be run here (`soffice` on the PATH). */
export function libreOfficeAvailable(): boolean {
  const probe = spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 60_000 })
  return probe.status === 0
}

let warned = false

/**
 * Whether the tests of files LibreOffice writes run: always under CI=true (where a missing
 * LibreOffice fails them), else when `soffice` is here; skipped loudly otherwise.
 */
export function runLibreOfficeTests(): boolean {
  if (process.env.CI === 'true' || libreOfficeAvailable()) return true
  if (!warned) {
    warned = true
    console.warn(
      'SKIPPED: LibreOffice (soffice) is not installed, so the Word import is not tested on files LibreOffice writes. Install it, or run with CI=true to make this a failure.',
    )
  }
  return false
}

/** Converts a flat ODT to .docx with LibreOffice, in a profile and folder of its own. */
export function docxFromLibreOffice(fodt: string): Uint8Array {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-lo-'))
  try {
    const source = path.join(dir, 'draft.fodt')
    fs.writeFileSync(source, fodt)
    const profile = pathToFileURL(path.join(dir, 'profile')).href
    const run = spawnSync(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=${profile}`,
        '--convert-to',
        'docx',
        '--outdir',
        dir,
        source,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    )
    if (run.error) throw new Error(`LibreOffice (soffice) could not be run: ${run.error.message}`)
    const out = path.join(dir, 'draft.docx')
    if (run.status !== 0 || !fs.existsSync(out)) {
      throw new Error(`LibreOffice did not convert the draft: ${run.stderr || run.stdout}`)
    }
    return new Uint8Array(fs.readFileSync(out))
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
