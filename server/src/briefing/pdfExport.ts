/**
 * PDF cue cards: the briefing book a delegate reads at the table. A deck's book is a cover, the
 * contents (clusters, cards and the page each starts on) and one card per page; a card alone is
 * just its page(s). Made on the server with pdfkit and the fonts in server/assets/fonts, with
 * real text (searchable, copyable) and the fonts' subsets embedded. The minutes of a rakor are
 * in minutesPdf.ts.
 */
import type { Book } from './book.ts'
import { editionLabel, finalLabel, formatDate, formatDateTime } from './bookLabels.ts'
import { type CardPages, continuationHeader, drawCard } from './pdfCard.ts'
import {
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  currentPage,
  decoratePages,
  drawLine,
  MARGIN,
  openPdf,
  type PdfDoc,
} from './pdfDocument.ts'
import { FontName } from './pdfFonts.ts'

export { writeMinutesPdf } from './minutesPdf.ts'

const CONTENTS_TITLE = 'Daftar isi'
const CONTENTS_TITLE_HEIGHT = 40
const CLUSTER_ROW = { size: 12, height: 26 } as const
const CARD_ROW = { size: 11, height: 19 } as const
const REF_COLUMN = 64
const PAGE_COLUMN = 40

type ContentsRow =
  | { kind: 'cluster'; text: string }
  | { kind: 'card'; index: number; ref: string; question: string }

/** The contents in book order: a cluster's heading wherever the cluster changes. */
function contentsRows(book: Book): ContentsRow[] {
  const rows: ContentsRow[] = []
  let cluster: string | null = null
  book.cards.forEach(({ card }, index) => {
    if (card.cluster !== cluster) {
      cluster = card.cluster
      const known = book.deck.clusters.find((candidate) => candidate.id === card.cluster)
      rows.push({
        kind: 'cluster',
        text: known ? `${known.id}  ${known.nameId || known.nameEn}` : card.cluster,
      })
    }
    rows.push({
      kind: 'card',
      index,
      ref: card.ref,
      question: (card.questionId.trim() || card.question).replace(/\s+/g, ' '),
    })
  })
  return rows
}

/** The rows of each contents page: laid out before the cards, which come after these pages. */
function paginateContents(rows: readonly ContentsRow[]): ContentsRow[][] {
  const pages: ContentsRow[][] = [[]]
  let y = MARGIN.top + CONTENTS_TITLE_HEIGHT
  for (const row of rows) {
    const height = row.kind === 'cluster' ? CLUSTER_ROW.height : CARD_ROW.height
    // A cluster heading never ends a page: it needs the row of its first card below it.
    const needed = row.kind === 'cluster' ? height + CARD_ROW.height : height
    if (y + needed > CONTENT_BOTTOM && (pages[pages.length - 1] as ContentsRow[]).length > 0) {
      pages.push([])
      y = MARGIN.top
    }
    ;(pages[pages.length - 1] as ContentsRow[]).push(row)
    y += height
  }
  return pages
}

const destinationOf = (index: number) => `kartu-${index + 1}`

function drawContentsPage(
  doc: PdfDoc,
  rows: readonly ContentsRow[],
  first: boolean,
  cardPages: readonly CardPages[],
): void {
  let y = MARGIN.top
  if (first) {
    doc.font(FontName.Bold).fontSize(18)
    drawLine(doc, CONTENTS_TITLE, MARGIN.left, y)
    y += CONTENTS_TITLE_HEIGHT
  }
  for (const row of rows) {
    if (row.kind === 'cluster') {
      doc.font(FontName.Bold).fontSize(CLUSTER_ROW.size)
      drawLine(doc, row.text, MARGIN.left, y + CLUSTER_ROW.height - CARD_ROW.height)
      y += CLUSTER_ROW.height
      continue
    }
    const pages = cardPages[row.index]
    const pageNumber = pages ? String(pages.first + 1) : ''
    doc.font(FontName.Bold).fontSize(CARD_ROW.size)
    drawLine(doc, row.ref, MARGIN.left, y, 'left', REF_COLUMN - 6)
    doc.font(FontName.Regular).fontSize(CARD_ROW.size)
    drawLine(
      doc,
      row.question,
      MARGIN.left + REF_COLUMN,
      y,
      'left',
      CONTENT_WIDTH - REF_COLUMN - PAGE_COLUMN,
    )
    drawLine(doc, pageNumber, MARGIN.left, y, 'right')
    if (pages)
      doc.goTo(MARGIN.left, y, CONTENT_WIDTH, CARD_ROW.height - 3, destinationOf(row.index))
    y += CARD_ROW.height
  }
}

function drawCover(doc: PdfDoc, book: Book): void {
  const { deck } = book
  doc.addPage()
  const column = { width: CONTENT_WIDTH, align: 'center' as const }
  doc.y = 150
  const origin = [deck.committee, deck.stateParty].filter((part) => part.trim()).join(' · ')
  if (origin) {
    doc.font(FontName.Regular).fontSize(14).text(origin, MARGIN.left, doc.y, column)
    doc.moveDown(1.2)
  }
  doc.font(FontName.Bold).fontSize(24).text(deck.title, MARGIN.left, doc.y, column)
  if (deck.titleEn.trim()) {
    doc.moveDown(0.5)
    doc.font(FontName.Italic).fontSize(14).text(deck.titleEn, MARGIN.left, doc.y, column)
  }
  doc.y += 60
  const status = finalLabel(book.final)
  doc.font(FontName.Bold).fontSize(28)
  const statusWidth = doc.widthOfString(status) + 48
  const statusTop = doc.y
  doc
    .lineWidth(2)
    .rect(MARGIN.left + (CONTENT_WIDTH - statusWidth) / 2, statusTop, statusWidth, 48)
    .stroke()
  drawLine(doc, status, MARGIN.left, statusTop + 11, 'center')
  doc.y = statusTop + 80
  doc
    .font(FontName.Regular)
    .fontSize(14)
    .text(`Edisi ${editionLabel(book.edition)}`, MARGIN.left, doc.y, column)
  doc.moveDown(0.4)
  doc
    .fontSize(12)
    .text(`Diekspor ${formatDateTime(book.exportedAt, book.timeZone)}`, MARGIN.left, doc.y, column)
    .moveDown(0.4)
    .text(`${book.cards.length} kartu`, MARGIN.left, doc.y, column)
}

/** Bookmarks (the viewer's outline) and link targets at each card's first page. */
function markCards(doc: PdfDoc, book: Book, cardPages: readonly CardPages[]): void {
  let cluster: { id: string; item: PDFKit.PDFOutline } | null = null
  book.cards.forEach(({ card }, index) => {
    const pages = cardPages[index]
    if (!pages) return
    doc.switchToPage(pages.first)
    doc.addNamedDestination(destinationOf(index))
    if (book.scope === 'card') {
      doc.outline.addItem(card.ref)
      return
    }
    if (cluster?.id !== card.cluster) {
      const known = book.deck.clusters.find((candidate) => candidate.id === card.cluster)
      const title = known ? `${known.id} ${known.nameId || known.nameEn}` : card.cluster
      cluster = { id: card.cluster, item: doc.outline.addItem(title, { expanded: true }) }
    }
    cluster.item.addItem(`${card.ref} ${card.questionId || card.question}`.slice(0, 120))
  })
}

/** The briefing book (or one card) as a PDF: one card per page, the answer at 14 pt or more. */
export async function writeBookPdf(book: Book): Promise<Uint8Array> {
  const { deck } = book
  const only = book.scope === 'card' ? book.cards[0]?.card : undefined
  const { doc, finish } = openPdf({
    title: only ? `${only.ref} — ${deck.title}` : deck.title,
    subject: book.final ? 'Kartu jawaban (final)' : 'Kartu jawaban (draft)',
    createdAt: book.exportedAt,
  })
  let contentsPages: ContentsRow[][] = []
  let contentsStart = 0
  if (book.scope === 'deck') {
    drawCover(doc, book)
    contentsPages = paginateContents(contentsRows(book))
    contentsStart = currentPage(doc) + 1
    for (let page = 0; page < contentsPages.length; page++) doc.addPage()
  }
  const cardPages = book.cards.map((content) => drawCard(doc, deck, content))
  if (cardPages.length === 0) {
    // A PDF needs a page; an empty deck's book is its cover and an empty contents page.
    if (book.scope === 'card') doc.addPage()
  }
  contentsPages.forEach((rows, index) => {
    doc.switchToPage(contentsStart + index)
    drawContentsPage(doc, rows, index === 0, cardPages)
  })
  markCards(doc, book, cardPages)

  const continued = new Map<number, string>()
  cardPages.forEach((pages, index) => {
    const ref = book.cards[index]?.card.ref ?? ''
    for (let page = pages.first + 1; page <= pages.last; page++) {
      continued.set(page, continuationHeader(ref))
    }
  })
  decoratePages(doc, {
    marking: book.marking,
    footer: [
      deck.title,
      editionLabel(book.edition),
      formatDate(book.exportedAt, book.timeZone),
    ].join('  ·  '),
    headerOf: (page) => continued.get(page) ?? null,
  })
  return finish()
}
