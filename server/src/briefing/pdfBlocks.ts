/**
 * Lays out an answer's blocks (pdfAnswer.ts) in the text flow: paragraphs and headings of
 * styled runs, bullet and numbered lists at any depth. Text longer than the page continues on the
 * next one (pdfkit's flow); the size never shrinks to make it fit.
 */
import { numberMarker, type PrintBlock, type PrintLines, plainTextOf } from './pdfAnswer.ts'
import { ensureSpace, type PdfDoc } from './pdfDocument.ts'
import { FontName, fontOf } from './pdfFonts.ts'

/** The answer's type size: a delegate reads it at the table, so never smaller than 14 pt. */
export const ANSWER_SIZE = 14
const HEADING_SIZE = { 2: 15.5, 3: 14 } as const
/** Extra space between the lines of a block. */
export const LINE_GAP = 2
const PARAGRAPH_GAP = 7
const ITEM_GAP = 3
const HEADING_GAP_BEFORE = 9
const HEADING_GAP_AFTER = 3
const LIST_INDENT = 20
const MARKER_GAP = 6
/** Bullets by depth: •, ◦, ▪, then again. */
const BULLETS = ['\u2022', '\u25e6', '\u25aa'] as const

export type Column = { x: number; width: number }

/** The height of one line at `size`, gap included, in the regular font. */
export function lineHeight(doc: PdfDoc, size: number): number {
  return doc.font(FontName.Regular).fontSize(size).currentLineHeight(true) + LINE_GAP
}

/**
 * Writes a textblock's lines from the current y. Each line is one chain of pdfkit `continued`
 * runs: pdfkit mispositions text that follows a newline inside such a chain, so hard breaks end
 * a chain instead of being written as "\n".
 */
export function drawLines(
  doc: PdfDoc,
  lines: PrintLines,
  column: Column,
  size: number,
  base: { bold?: boolean; italic?: boolean } = {},
): void {
  const height = lineHeight(doc, size)
  const whole = doc.heightOfString(plainTextOf(lines), { width: column.width, lineGap: LINE_GAP })
  // No lone first line at the foot of a page.
  ensureSpace(doc, Math.min(whole, 2 * height))
  for (const line of lines) {
    if (line.length === 0) {
      ensureSpace(doc, height)
      doc.y += height
      continue
    }
    line.forEach((run, index) => {
      const continued = index < line.length - 1
      doc
        .font(
          fontOf({
            bold: run.bold || base.bold === true,
            italic: run.italic || base.italic === true,
          }),
        )
        .fontSize(size)
      if (index === 0) {
        doc.text(run.text, column.x, doc.y, { width: column.width, lineGap: LINE_GAP, continued })
      } else {
        doc.text(run.text, { continued })
      }
    })
  }
  doc.x = column.x
}

function gapBefore(block: PrintBlock, depth: number): number {
  if (block.kind === 'heading') return HEADING_GAP_BEFORE
  return depth > 0 ? ITEM_GAP : PARAGRAPH_GAP
}

/** Writes `blocks` from the current y, inside `column`; `depth` counts the enclosing lists. */
export function drawBlocks(
  doc: PdfDoc,
  blocks: readonly PrintBlock[],
  column: Column,
  depth = 0,
  size = ANSWER_SIZE,
): void {
  blocks.forEach((block, index) => {
    if (index > 0) doc.y += gapBefore(block, depth)
    switch (block.kind) {
      case 'paragraph':
        drawLines(doc, block.lines, column, size)
        break
      case 'heading': {
        const headingSize = Math.max(size, HEADING_SIZE[block.level])
        // A heading stays with the first lines of what it heads.
        ensureSpace(doc, lineHeight(doc, headingSize) + 2 * lineHeight(doc, size))
        drawLines(doc, block.lines, column, headingSize, { bold: true, italic: block.level === 3 })
        doc.y += HEADING_GAP_AFTER
        break
      }
      case 'list':
        drawList(doc, block, column, depth, size)
        break
    }
  })
}

function drawList(
  doc: PdfDoc,
  list: Extract<PrintBlock, { kind: 'list' }>,
  column: Column,
  depth: number,
  size: number,
): void {
  doc.font(FontName.Regular).fontSize(size)
  const markers = list.items.map((_, index) =>
    list.ordered
      ? numberMarker(list.start, list.numbering, index)
      : (BULLETS[depth % BULLETS.length] as string),
  )
  const widest = Math.max(0, ...markers.map((marker) => doc.widthOfString(marker)))
  const indent = Math.max(LIST_INDENT, widest + MARKER_GAP)
  const inner: Column = { x: column.x + indent, width: column.width - indent }
  list.items.forEach((item, index) => {
    if (index > 0) doc.y += ITEM_GAP
    // The marker and its item's first line on the same page.
    ensureSpace(doc, lineHeight(doc, size))
    const top = doc.y
    doc.font(FontName.Regular).fontSize(size)
    doc.text(markers[index] as string, column.x, top, { lineBreak: false })
    doc.x = inner.x
    doc.y = top
    drawBlocks(doc, item, inner, depth + 1, size)
  })
  doc.x = column.x
}
