/**
 * The briefing book and a rakor's minutes as Word files (issue 15). Word is the format every
 * ministry's hierarchy reviews, so the book comes in two modes (book.ts ExportMode):
 *
 * - review: pending suggestions as Word tracked changes of their authors ("Name (Ministry)")
 *   and dates, open threads as Word comments with their replies; the file has track changes on,
 *   so what a reviewer changes in Word comes back as suggestions too;
 * - clean: the agreed text (every pending suggestion rejected), no tracked changes, no comments.
 *
 * A deck's book has a cover, a table of contents written with its entries (so Word and
 * LibreOffice show it without updating fields; both may refresh it), the clusters as headings
 * and each card on its own pages. A card alone has a header line instead of the cover. docx
 * writes the parts; docxPackage.ts makes the one change docx cannot.
 */
import {
  Document,
  type FileChild,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  TableOfContents,
  TextRun,
} from 'docx'
import { estimatePageNumbers } from 'docx/layout'
import { type Book, DEFAULT_TIME_ZONE, ExportMode, type Minutes } from './book.ts'
import { editionLabel, finalLabel, formatDate, Label } from './bookLabels.ts'
import { cardSection } from './docxCard.ts'
import { LANDSCAPE_TEXT_WIDTH, minutesBody } from './docxMinutes.ts'
import { finishPackage } from './docxPackage.ts'
import { DocumentState } from './docxState.ts'
import { A4_PAGE, BOOK_STYLES, bookFooter, markingHeader } from './docxStyles.ts'
import { labelled, textRuns, xmlSafe } from './docxText.ts'

const CREATOR = 'Kartu'

function cover(book: Book, date: string): Paragraph[] {
  const { deck } = book
  // The marking is the page header's, on the cover as on every page.
  return [
    new Paragraph({
      spacing: { before: 1200, after: 120 },
      children: [new TextRun({ text: Label.book.toUpperCase(), size: 20, color: '555555' })],
    }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: textRuns(deck.title) }),
    new Paragraph({
      spacing: { after: 600 },
      children: textRuns(deck.titleEn, { italics: true, size: 28, color: '333333' }),
    }),
    labelled(Label.committee, deck.committee),
    labelled(Label.stateParty, deck.stateParty),
    labelled(Label.status, finalLabel(book.final)),
    labelled(Label.edition, editionLabel(book.edition)),
    labelled(Label.exported, date),
    labelled(Label.cards, String(book.cards.length)),
  ]
}

/**
 * The table of contents: clusters and cards, its entries written with the file. With
 * `pageNumbers` their page numbers too; without, it is written without page numbers at all
 * (`\n`), rather than with blanks behind dot leaders.
 */
function contents(pageNumbers: boolean): FileChild[] {
  return [
    new Paragraph({
      pageBreakBefore: true,
      spacing: { after: 240 },
      children: [new TextRun({ text: Label.contents, bold: true, size: 32 })],
    }),
    new TableOfContents(Label.contents, {
      hyperlink: true,
      headingStyleRange: '1-2',
      // Not dirty: Word shows it as written instead of asking to update the fields on opening.
      beginDirty: false,
      ...(pageNumbers ? {} : { pageNumbersEntryLevelsRange: '1-2' }),
    }),
  ]
}

function clusterHeading(book: Book, clusterId: string): Paragraph {
  const cluster = book.deck.clusters.find((candidate) => candidate.id === clusterId)
  const name = cluster
    ? cluster.nameEn && cluster.nameEn !== cluster.nameId
      ? `${cluster.nameId} / ${cluster.nameEn}`
      : cluster.nameId
    : clusterId || Label.otherCluster
  return new Paragraph({
    heading: HeadingLevel.HEADING_1,
    pageBreakBefore: true,
    children: textRuns(name),
  })
}

/** What heads a card exported alone: deck, edition, draft or final, date. */
function headerLine(book: Book, date: string): Paragraph {
  const line = [
    book.deck.title,
    `${Label.edition} ${editionLabel(book.edition)}`,
    finalLabel(book.final),
    date,
  ].join(' · ')
  return new Paragraph({
    spacing: { after: 240 },
    children: textRuns(line, { size: 18, color: '555555' }),
  })
}

function bookBody(book: Book, mode: ExportMode, state: DocumentState): FileChild[] {
  const body: FileChild[] = []
  let cluster: string | null = null
  book.cards.forEach((content, index) => {
    let pageBreakBefore = index > 0
    if (book.scope === 'deck' && content.card.cluster !== cluster) {
      cluster = content.card.cluster
      body.push(clusterHeading(book, cluster))
      pageBreakBefore = false
    }
    body.push(
      ...cardSection(content, {
        deck: book.deck,
        mode,
        state,
        fallbackDate: book.exportedAt,
        pageBreakBefore,
      }),
    )
  })
  return body
}

export type BookDocxOptions = {
  /**
   * Lay the pages out as Word would (docx's estimatePageNumbers) to write the page numbers of
   * the table of contents. About 80 ms of synchronous work per card (5 s for 60 cards), which a
   * collaborative server must not spend on its event loop: off unless the caller runs the export
   * where blocking does not matter (a worker, the command line).
   */
  pageNumbers?: boolean
}

/** The book as a .docx file. */
export async function writeBookDocx(
  book: Book,
  mode: ExportMode,
  options: BookDocxOptions = {},
): Promise<Uint8Array> {
  const pageNumbers = book.scope === 'deck' && options.pageNumbers === true
  const timeZone = book.timeZone ?? DEFAULT_TIME_ZONE
  const date = formatDate(book.exportedAt, timeZone)
  const state = new DocumentState()
  const review = mode === ExportMode.Review
  const children: FileChild[] = [
    ...(book.scope === 'deck'
      ? [...cover(book, date), ...contents(pageNumbers)]
      : [headerLine(book, date)]),
    ...bookBody(book, mode, state),
  ]
  const header = markingHeader(book.marking)
  const document = new Document({
    creator: CREATOR,
    title: xmlSafe(book.deck.title),
    description: `${finalLabel(book.final)} ${editionLabel(book.edition)}`,
    styles: BOOK_STYLES,
    // After the body: the lists it holds say which numbering definitions there are.
    numbering: { config: state.numbering() },
    ...(review
      ? { comments: { children: state.comments }, features: { trackRevisions: true } }
      : {}),
    ...(pageNumbers ? { pageNumbers: estimatePageNumbers } : {}),
    sections: [
      {
        properties: { page: A4_PAGE },
        ...(header ? { headers: header } : {}),
        footers: bookFooter([book.deck.title, editionLabel(book.edition), date, book.marking]),
        children,
      },
    ],
  })
  const packed = new Uint8Array(await Packer.toBuffer(document))
  if (!review) return packed
  return finishPackage(packed)
}

/** A rakor's minutes as a .docx file. */
export async function writeMinutesDocx(minutes: Minutes): Promise<Uint8Array> {
  const timeZone = minutes.timeZone ?? DEFAULT_TIME_ZONE
  const state = new DocumentState()
  const header = markingHeader(minutes.marking)
  const document = new Document({
    creator: CREATOR,
    title: xmlSafe(`${Label.minutes}: ${minutes.deck.title}`),
    styles: BOOK_STYLES,
    numbering: { config: state.numbering() },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4_PAGE.size, orientation: PageOrientation.LANDSCAPE },
            margin: A4_PAGE.margin,
          },
        },
        ...(header ? { headers: header } : {}),
        footers: bookFooter(
          [
            `${Label.minutes}: ${minutes.deck.title}`,
            minutes.session.name,
            formatDate(minutes.exportedAt, timeZone),
            minutes.marking,
          ],
          LANDSCAPE_TEXT_WIDTH,
        ),
        children: minutesBody(minutes, timeZone),
      },
    ],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
