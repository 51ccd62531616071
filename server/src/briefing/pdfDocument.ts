/**
 * What every PDF of the briefing book shares: an A4 pdfkit document with Kartu's fonts, the
 * handling marking at the top and bottom of every page and the footer. Pages are buffered so that the footers ("Halaman 3 dari 18") and the
 * frames of boxes that crossed a page can be drawn once the whole document is laid out.
 */
import PDFDocument from 'pdfkit'
import { FontName, registerFonts, regularFontPath } from './pdfFonts.ts'

export type PdfDoc = PDFKit.PDFDocument

/** A4 portrait, in points. */
export const PAGE_WIDTH = 595.28
export const PAGE_HEIGHT = 841.89

/**
 * The text area. The top and bottom margins hold the marking and the footer, which are drawn
 * in them after the layout (decoratePages), never by the text flow.
 */
export const MARGIN = { top: 50, bottom: 60, left: 50, right: 50 } as const
export const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right
/** Where the text flow stops and pdfkit (or our own checks) starts a new page. */
export const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom

const MARKING_SIZE = 12
const FOOTER_SIZE = 8.5
const MARKING_TOP_Y = 20
const FOOTER_Y = PAGE_HEIGHT - 46
const MARKING_BOTTOM_Y = PAGE_HEIGHT - 30

export type PdfMeta = { title: string; subject: string; createdAt: Date }

export type OpenPdf = {
  doc: PdfDoc
  /** Ends the document; resolves with its bytes. */
  finish(): Promise<Uint8Array>
}

export function openPdf(meta: PdfMeta): OpenPdf {
  const doc: PdfDoc = new PDFDocument({
    size: 'A4',
    margins: { ...MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    // Our own font from the start: pdfkit would otherwise load Helvetica, which it cannot embed.
    font: regularFontPath(),
    lang: 'id-ID',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Creator: 'Kartu',
      Producer: 'Kartu',
      // The export's time, not the clock's: the same book exported twice gives the same bytes.
      CreationDate: meta.createdAt,
      ModDate: meta.createdAt,
    },
  })
  registerFonts(doc)
  const chunks: Uint8Array[] = []
  const bytes = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  return {
    doc,
    finish() {
      doc.end()
      return bytes
    },
  }
}

/** The index of the page being written (pages are buffered from 0). */
export function currentPage(doc: PdfDoc): number {
  const range = doc.bufferedPageRange()
  return range.start + range.count - 1
}

/** Starts a new page when fewer than `height` points are left on this one. */
export function ensureSpace(doc: PdfDoc, height: number): void {
  if (doc.y + height > CONTENT_BOTTOM) doc.addPage()
}

/**
 * Keeps something `height` tall on one page: a new page when it does not fit on this one but
 * would on an empty page (`pageTop` is where an added page's text starts). Something taller than
 * any page starts here and flows on, only needing its first `minimum` points on this page.
 */
export function keepTogether(doc: PdfDoc, height: number, pageTop: number, minimum: number): void {
  ensureSpace(doc, height <= CONTENT_BOTTOM - pageTop ? height : minimum)
}

/** `text` cut with an ellipsis to fit `width` in the current font and size. */
export function fitLine(doc: PdfDoc, text: string, width: number): string {
  const fits = (candidate: string) => doc.widthOfString(candidate) <= width
  if (fits(text)) return text
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(`${text.slice(0, middle).trimEnd()}…`)) low = middle
    else high = middle - 1
  }
  return `${text.slice(0, low).trimEnd()}…`
}

/**
 * One line at a fixed place, never wrapped: pdfkit's text flow would start a new page when asked
 * to write in the bottom margin. No letter spacing anywhere: text extraction (pdftotext, a
 * viewer's search) reads spaced-out capitals as separate words.
 */
export function drawLine(
  doc: PdfDoc,
  text: string,
  x: number,
  y: number,
  align: 'left' | 'center' | 'right' = 'left',
  width = CONTENT_WIDTH,
): void {
  const line = fitLine(doc, text, width)
  const lineWidth = doc.widthOfString(line)
  const left =
    align === 'center' ? x + (width - lineWidth) / 2 : align === 'right' ? x + width - lineWidth : x
  doc.text(line, left, y, { lineBreak: false })
}

export type Decoration = {
  /** Printed at the top and the bottom of every page; empty prints none. */
  marking: string
  /** The footer's left part, the same on every page (deck, edition, date). */
  footer: string
  /** An extra line at the top of a page (a card's continuation header), if any. */
  headerOf?: (page: number) => string | null
}

/** Draws the marking, the footer and any page header on every page of `doc`. */
export function decoratePages(doc: PdfDoc, decoration: Decoration): void {
  const { start, count } = doc.bufferedPageRange()
  const marking = decoration.marking.trim()
  for (let page = start; page < start + count; page++) {
    doc.switchToPage(page)
    doc.fillColor('black')
    if (marking) {
      doc.font(FontName.Bold).fontSize(MARKING_SIZE)
      drawLine(doc, marking, MARGIN.left, MARKING_TOP_Y, 'center')
      drawLine(doc, marking, MARGIN.left, MARKING_BOTTOM_Y, 'center')
    }
    const header = decoration.headerOf?.(page)
    if (header) {
      doc.font(FontName.Bold).fontSize(MARKING_SIZE)
      drawLine(doc, header, MARGIN.left, MARGIN.top, 'left')
    }
    doc.font(FontName.Regular).fontSize(FOOTER_SIZE).fillColor('#333333')
    const pageLabel = `Halaman ${page - start + 1} dari ${count}`
    const labelWidth = doc.widthOfString(pageLabel)
    drawLine(doc, pageLabel, MARGIN.left, FOOTER_Y, 'right')
    drawLine(doc, decoration.footer, MARGIN.left, FOOTER_Y, 'left', CONTENT_WIDTH - labelWidth - 12)
    doc
      .moveTo(MARGIN.left, FOOTER_Y - 5)
      .lineTo(PAGE_WIDTH - MARGIN.right, FOOTER_Y - 5)
      .lineWidth(0.5)
      .strokeColor('#777777')
      .stroke()
    doc.fillColor('black').strokeColor('black')
  }
}

/** Space a page header (decoratePages' `headerOf`) takes at the top of the text area. */
export const PAGE_HEADER_HEIGHT = 26
