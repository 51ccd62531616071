/**
 * The look of the Word files: A4 pages, a plain sans-serif at 11 pt, headings that a delegate
 * finds at a glance (cluster, card, then the answer's own two levels), and the header and
 * footer every page carries (deck, edition, date, the handling marking, the page number).
 */
import {
  AlignmentType,
  Footer,
  Header,
  type IStylesOptions,
  PageNumber,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
} from 'docx'
import { Label } from './bookLabels.ts'
import { xmlSafe } from './docxText.ts'

const FONT = 'Arial'
const DARK = '1F3A5F'

export const BOOK_STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: FONT, size: 22 },
      paragraph: { spacing: { after: 120, line: 276 } },
    },
    title: { run: { font: FONT, size: 44, bold: true, color: DARK } },
    heading1: {
      run: { font: FONT, size: 32, bold: true, color: DARK },
      paragraph: { spacing: { before: 240, after: 160 }, keepNext: true, outlineLevel: 0 },
    },
    heading2: {
      run: { font: FONT, size: 28, bold: true, color: DARK },
      paragraph: { spacing: { before: 240, after: 120 }, keepNext: true, outlineLevel: 1 },
    },
    heading3: {
      run: { font: FONT, size: 24, bold: true, color: '333333' },
      paragraph: { spacing: { before: 200, after: 80 }, keepNext: true, outlineLevel: 2 },
    },
    heading4: {
      run: { font: FONT, size: 22, bold: true, italics: true, color: '333333' },
      paragraph: { spacing: { before: 160, after: 60 }, keepNext: true, outlineLevel: 3 },
    },
    listParagraph: { paragraph: { spacing: { after: 60 } } },
  },
}

/** The width of A4's text between 2.54 cm margins, in twips. */
export const TEXT_WIDTH = 9026

/** A4 with 2.54 cm margins: the text is TEXT_WIDTH wide. */
export const A4_PAGE = {
  size: { width: 11906, height: 16838 },
  margin: { top: 1440, right: 1440, bottom: 1440, left: 1440, header: 708, footer: 708 },
} as const

/** The marking (TERBATAS…) at the top of every page; none when there is no marking. */
export function markingHeader(marking: string): { default: Header } | undefined {
  if (!marking.trim()) return undefined
  return {
    default: new Header({
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ text: xmlSafe(marking), bold: true, size: 20 })],
        }),
      ],
    }),
  }
}

/** "Deck · v3 · 12 Maret 2026 · TERBATAS" on the left, "Halaman 2 dari 9" on the right. */
export function bookFooter(parts: readonly string[], width = TEXT_WIDTH): { default: Footer } {
  const line = parts.filter((part) => part.trim().length > 0).join(' · ')
  return {
    default: new Footer({
      children: [
        new Paragraph({
          tabStops: [{ type: TabStopType.RIGHT, position: width }],
          children: [
            new TextRun({ text: xmlSafe(line), size: 16, color: '555555' }),
            new TextRun({
              size: 16,
              color: '555555',
              children: [
                new Tab(),
                `${Label.page} `,
                PageNumber.CURRENT,
                ` ${Label.of} `,
                PageNumber.TOTAL_PAGES,
              ],
            }),
          ],
        }),
      ],
    }),
  }
}
