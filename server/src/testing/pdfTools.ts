/**
 * Reading a PDF back the way a person's viewer would, with poppler's command-line tools
 * (pdftotext, pdfinfo, pdffonts; the poppler-utils package, which CI installs). Run without a
 * shell: paths go to the tools as arguments, never through a command line.
 */
import { execFileSync } from 'node:child_process'

/** Synchronous (execFileSync): tests read a PDF back in a line, and the tools take milliseconds. */
function tool(name: string, args: string[]): string {
  return execFileSync(name, args, {
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

let available: boolean | null = null

/** Whether pdftotext can be run here (pdfinfo and pdffonts come in the same package). */
export function popplerAvailable(): boolean {
  if (available === null) {
    try {
      tool('pdftotext', ['-v'])
      available = true
    } catch (error) {
      // Old poppler releases exit with 99 after printing their version: installed all the same.
      available = (error as NodeJS.ErrnoException).code !== 'ENOENT'
    }
  }
  return available
}

/**
 * The text of the PDF, or of one page (from 1), in reading order. `layout` keeps each printed
 * line on one line of text, columns and all (pdftotext -layout), where reading order would put
 * a list's marker, or a contents row's page number, on a line of its own.
 */
export function pdfText(path: string, page?: number, options: { layout?: boolean } = {}): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)]
  const layout = options.layout ? ['-layout'] : []
  return tool('pdftotext', ['-enc', 'UTF-8', ...layout, ...range, path, '-'])
}

/** The number of pages (pdfinfo's "Pages:"). */
export function pdfPages(path: string): number {
  const info = tool('pdfinfo', [path])
  const match = /^Pages:\s+(\d+)$/m.exec(info)
  if (!match) throw new Error(`pdfinfo gave no page count for ${path}`)
  return Number(match[1])
}

export type PdfFont = { name: string; type: string; embedded: boolean; subset: boolean }

/** The fonts the PDF uses, as pdffonts lists them. */
export function pdfFonts(path: string): PdfFont[] {
  const listing = tool('pdffonts', [path])
  // After the header and its dashed rule, one font a line: the name, its type (which may hold
  // spaces, "CID TrueType"), the encoding, then the yes/no columns emb, sub, uni, and the object.
  return listing
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(\S+)\s+(.+?)\s+\S+\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(
        line,
      )
      if (!match) throw new Error(`cannot read the pdffonts line: ${line}`)
      return {
        name: match[1] as string,
        type: match[2] as string,
        embedded: match[3] === 'yes',
        subset: match[4] === 'yes',
      }
    })
}

/** A word as pdftotext places it: its text and its box in points from the page's top left. */
export type PdfWord = { text: string; xMin: number; yMin: number; xMax: number; yMax: number }

const decodeEntities = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&')

/**
 * The words of one page (from 1) with their boxes (pdftotext -bbox). A word's box is as tall as
 * its font's ascent plus descent, so it tells the size the text was set in.
 */
export function pdfWords(path: string, page: number): PdfWord[] {
  const html = tool('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-'])
  const words: PdfWord[] = []
  const pattern =
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g
  for (const match of html.matchAll(pattern)) {
    words.push({
      xMin: Number(match[1]),
      yMin: Number(match[2]),
      xMax: Number(match[3]),
      yMax: Number(match[4]),
      text: decodeEntities(match[5] as string),
    })
  }
  return words
}
