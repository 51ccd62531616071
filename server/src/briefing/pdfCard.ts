/**
 * One cue card on its own page(s): reference, question in Indonesian and English, speaker and
 * time, the key messages in a box, then the agreed answer at 14 pt. A card that does not fit goes
 * on to the next page under a "(lanjutan) CC-01" header (drawn by decoratePages).
 */
import type { BriefingSpeaker, Deck } from '@kartu/protocol'
import { ministryShort, timeBudgetLabel } from './bookLabels.ts'
import type { CardContent } from './cardContent.ts'
import { type PrintBlock, plainTextOf, printAnswerOf } from './pdfAnswer.ts'
import { ANSWER_SIZE, type Column, drawBlocks, LINE_GAP, lineHeight } from './pdfBlocks.ts'
import {
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  currentPage,
  drawLine,
  ensureSpace,
  keepTogether,
  MARGIN,
  PAGE_HEADER_HEIGHT,
  type PdfDoc,
} from './pdfDocument.ts'
import { FontName } from './pdfFonts.ts'

const REF_SIZE = 20
const META_SIZE = 10.5
const QUESTION_ID_SIZE = 14
const QUESTION_SIZE = 11.5
const BOX_PADDING = 9
const BOX_LABEL_SIZE = 9.5
const BOX_BORDER = 1.5

/** The pages one card took, from its first to its last (indices from 0). */
export type CardPages = { first: number; last: number }

/** Where a card's own pages begin: below the page header space a continuation page needs. */
const CONTINUED_TOP = MARGIN.top + PAGE_HEADER_HEIGHT

/** "(lanjutan) CC-01": the header of a card's second and later pages. */
export function continuationHeader(ref: string): string {
  return `(lanjutan) ${ref}`
}

/** "Juru bicara Kemnaker", or "Ketua Delegasi (KP2MI)": the role, and the ministry if not in it. */
export function speakerLabel(speaker: BriefingSpeaker, deck: Deck): string {
  const ministry = ministryShort(deck, speaker.ministry)
  const role = speaker.role.trim()
  if (!ministry) return role
  if (!role) return ministry
  return role.toLocaleLowerCase('id').includes(ministry.toLocaleLowerCase('id'))
    ? role
    : `${role} (${ministry})`
}

function textOfBlocks(blocks: readonly PrintBlock[]): string[] {
  return blocks.flatMap((block) =>
    block.kind === 'list' ? block.items.flatMap(textOfBlocks) : [plainTextOf(block.lines)],
  )
}

/** Plain text in one style, wrapped in `column` from the current y. */
function writePlain(
  doc: PdfDoc,
  text: string,
  column: Column,
  font: FontName,
  size: number,
  color = 'black',
): void {
  doc.font(font).fontSize(size).fillColor(color)
  doc.text(text, column.x, doc.y, { width: column.width, lineGap: LINE_GAP })
  doc.fillColor('black')
  doc.x = column.x
}

/**
 * Strokes a box from (`top` on `firstPage`) to (`bottom` on `lastPage`), one open-ended piece per
 * page when its content crossed a page (pages are buffered, so earlier ones can still be drawn on).
 */
function frame(
  doc: PdfDoc,
  column: Column,
  from: { page: number; y: number },
  to: { page: number; y: number },
): void {
  for (let page = from.page; page <= to.page; page++) {
    doc.switchToPage(page)
    const top = page === from.page ? from.y : CONTINUED_TOP - 4
    const bottom = page === to.page ? to.y : CONTENT_BOTTOM + 4
    doc
      .lineWidth(BOX_BORDER)
      .strokeColor('black')
      .rect(column.x, top, column.width, bottom - top)
      .stroke()
  }
  doc.switchToPage(to.page)
}

function drawKeyMessages(doc: PdfDoc, blocks: readonly PrintBlock[], column: Column): void {
  const inner: Column = {
    x: column.x + BOX_PADDING,
    width: column.width - 2 * BOX_PADDING,
  }
  // Kept whole on one page when it fits on one: measured in bold, which is wider than the text.
  doc.font(FontName.Bold).fontSize(ANSWER_SIZE)
  const labelHeight = BOX_LABEL_SIZE + 8
  const estimate =
    2 * BOX_PADDING +
    labelHeight +
    textOfBlocks(blocks).reduce(
      (sum, text) =>
        sum + doc.heightOfString(text, { width: inner.width - 20, lineGap: LINE_GAP }) + 3,
      0,
    )
  keepTogether(doc, estimate, CONTINUED_TOP, labelHeight + 2 * BOX_PADDING + 3 * ANSWER_SIZE)
  const from = { page: currentPage(doc), y: doc.y }
  doc.y += BOX_PADDING
  doc.font(FontName.Bold).fontSize(BOX_LABEL_SIZE)
  drawLine(doc, 'PESAN KUNCI', inner.x, doc.y, 'left', inner.width)
  doc.y += labelHeight
  drawBlocks(doc, blocks, inner)
  doc.y += BOX_PADDING
  frame(doc, column, from, { page: currentPage(doc), y: doc.y })
}

function metaLine(content: CardContent, deck: Deck): string {
  const { card } = content
  const cluster = deck.clusters.find((candidate) => candidate.id === card.cluster)
  return [
    card.questionRef,
    card.articles.length > 0 ? `Pasal ${card.articles.join(', ')}` : '',
    cluster ? `Klaster ${cluster.id}` : card.cluster ? `Klaster ${card.cluster}` : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('  ·  ')
}

function briefingLine(content: CardContent, deck: Deck): string {
  const { card } = content
  const { speaker, backupSpeaker } = card.briefing
  // No budget (0) prints nothing rather than "0 menit".
  const budget = card.timeBudgetSec > 0 ? timeBudgetLabel(card.timeBudgetSec) : ''
  return [
    speaker ? `Pembicara: ${speakerLabel(speaker, deck)}` : '',
    backupSpeaker ? `Cadangan: ${speakerLabel(backupSpeaker, deck)}` : '',
    budget ? `Waktu: ${budget}` : '',
  ]
    .filter((part) => part !== '')
    .join('   ·   ')
}

/**
 * Writes `content` from a new page; returns the pages it took. The caller names the pages after
 * the first with `continuationHeader` (decoratePages).
 */
export function drawCard(doc: PdfDoc, deck: Deck, content: CardContent): CardPages {
  const column: Column = { x: MARGIN.left, width: CONTENT_WIDTH }
  // Every page this card adds, by pdfkit's flow or ours, starts below its continuation header.
  const reserveHeader = () => {
    doc.y = CONTINUED_TOP
  }
  doc.addPage()
  const first = currentPage(doc)
  doc.on('pageAdded', reserveHeader)
  try {
    const { card } = content
    writePlain(doc, card.ref, column, FontName.Bold, REF_SIZE)
    const meta = metaLine(content, deck)
    if (meta) writePlain(doc, meta, column, FontName.Regular, META_SIZE, '#333333')
    doc.y += 6
    if (card.questionId.trim()) {
      writePlain(doc, card.questionId, column, FontName.Bold, QUESTION_ID_SIZE)
      doc.y += 2
    }
    if (card.question.trim()) {
      writePlain(doc, card.question, column, FontName.Italic, QUESTION_SIZE, '#222222')
    }
    const briefing = briefingLine(content, deck)
    if (briefing) {
      doc.y += 4
      writePlain(doc, briefing, column, FontName.Regular, META_SIZE)
    }
    doc.y += 5
    doc
      .moveTo(column.x, doc.y)
      .lineTo(column.x + column.width, doc.y)
      .lineWidth(0.75)
      .strokeColor('#555555')
      .stroke()
      .strokeColor('black')
    doc.y += 9

    const answer = printAnswerOf(content.answer)
    if (answer.keyMessages) {
      drawKeyMessages(doc, answer.keyMessages, column)
      doc.y += 8
    }
    if (answer.body.length > 0) {
      drawBlocks(doc, answer.body, column)
    } else if (!answer.keyMessages) {
      ensureSpace(doc, lineHeight(doc, ANSWER_SIZE))
      writePlain(doc, '(Belum ada jawaban.)', column, FontName.Italic, ANSWER_SIZE)
    }
  } finally {
    doc.off('pageAdded', reserveHeader)
  }
  return { first, last: currentPage(doc) }
}
