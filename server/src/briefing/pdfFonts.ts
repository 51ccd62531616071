/**
 * The fonts of the PDF cue cards and minutes: Liberation Sans (SIL OFL, server/assets/fonts,
 * licence beside the files), shipped with Kartu so that a card prints the same on every server
 * and covers Indonesian and English. pdfkit embeds the subset of glyphs each PDF uses.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PdfDoc } from './pdfDocument.ts'

/**
 * server/assets/fonts. This module sits at server/src/briefing when run from the sources and at
 * server/dist/briefing when compiled: two folders up is server/ in both.
 */
export const FONT_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'assets',
  'fonts',
)

/** The names the fonts are registered under in each PDF document. */
export const FontName = {
  Regular: 'Kartu-Regular',
  Bold: 'Kartu-Bold',
  Italic: 'Kartu-Italic',
  BoldItalic: 'Kartu-BoldItalic',
} as const
export type FontName = (typeof FontName)[keyof typeof FontName]

const FILES: Record<FontName, string> = {
  [FontName.Regular]: 'LiberationSans-Regular.ttf',
  [FontName.Bold]: 'LiberationSans-Bold.ttf',
  [FontName.Italic]: 'LiberationSans-Italic.ttf',
  [FontName.BoldItalic]: 'LiberationSans-BoldItalic.ttf',
}

export type TextStyle = { bold: boolean; italic: boolean }

export function fontOf(style: TextStyle): FontName {
  if (style.bold) return style.italic ? FontName.BoldItalic : FontName.Bold
  return style.italic ? FontName.Italic : FontName.Regular
}

let cache: Map<FontName, Buffer> | null = null

/** The font files' bytes, read once per process (every export registers all four). */
function fontBytes(): Map<FontName, Buffer> {
  if (!cache) {
    const loaded = new Map<FontName, Buffer>()
    for (const [name, file] of Object.entries(FILES) as Array<[FontName, string]>) {
      loaded.set(name, readFileSync(path.join(FONT_DIR, file)))
    }
    cache = loaded
  }
  return cache
}

/** Registers the four fonts on `doc` and makes the regular one current. */
export function registerFonts(doc: PdfDoc): void {
  for (const [name, bytes] of fontBytes()) doc.registerFont(name, bytes)
  doc.font(FontName.Regular)
}

/** The regular font's path, for the document's default font (so pdfkit never loads Helvetica). */
export function regularFontPath(): string {
  return path.join(FONT_DIR, FILES[FontName.Regular])
}
