/**
 * Plain text (card fields, comments, decisions) as Word runs and paragraphs. docx escapes
 * markup characters itself; what it cannot do is drop the characters XML 1.0 has no way to
 * write (control characters, lone surrogates), which would make the part unreadable: they go
 * here, once, for every text the book prints.
 */
import { type IRunOptions, Paragraph, type ParagraphChild, TextRun } from 'docx'

/** Whether XML 1.0 can hold this code point: tab, line feed, carriage return, and the rest. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  )
}

/** `text` without the characters an XML part cannot hold (a lone surrogate among them). */
export function xmlSafe(text: string): string {
  let safe = ''
  for (const char of text) if (isXmlChar(char.codePointAt(0) ?? 0)) safe += char
  return safe
}

type RunStyle = Omit<IRunOptions, 'text' | 'children' | 'break'>

/** Runs of `text`, each line after the first starting with a line break. */
export function textRuns(text: string, style: RunStyle = {}): TextRun[] {
  return xmlSafe(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, index) => new TextRun({ ...style, text: line, ...(index > 0 ? { break: 1 } : {}) }))
}

/** One paragraph per line of `text` (comment bodies, where Word shows paragraphs). */
export function textParagraphs(text: string, style: RunStyle = {}): Paragraph[] {
  return xmlSafe(text)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => new Paragraph({ children: [new TextRun({ ...style, text: line })] }))
}

/** A paragraph of a bold label and its value. */
export function labelled(label: string, value: string, extra: ParagraphChild[] = []): Paragraph {
  return new Paragraph({
    spacing: { after: 60 },
    children: [new TextRun({ text: `${label}: `, bold: true }), ...textRuns(value), ...extra],
  })
}
