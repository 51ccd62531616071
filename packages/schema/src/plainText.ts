/**
 * Pure functions over a card's answer as stored in Yjs: plain text and word count.
 */
import * as Y from 'yjs'

/** Block nodes whose text is separated from the next block by a line break. */
function isBlock(name: string): boolean {
  return name !== 'hardBreak'
}

function appendText(node: Y.XmlElement | Y.XmlText | Y.XmlHook, out: string[]): void {
  if (node instanceof Y.XmlText) {
    for (const op of node.toDelta() as Array<{ insert: unknown }>) {
      if (typeof op.insert === 'string') out.push(op.insert)
    }
    return
  }
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === 'hardBreak') {
      out.push('\n')
      return
    }
    for (const child of node.toArray()) appendText(child, out)
    if (isBlock(node.nodeName) && out.length > 0 && out[out.length - 1] !== '\n') out.push('\n')
  }
}

/** The answer as plain text, one line per block. */
export function fragmentToPlainText(fragment: Y.XmlFragment): string {
  const out: string[] = []
  for (const child of fragment.toArray()) appendText(child, out)
  return out.join('').replace(/\n+$/, '')
}

/** Words as a speaker counts them: runs of letters or digits (with inner ' - . / ,). */
export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}]+(?:['’.\-/,][\p{L}\p{N}]+)*/gu)
  return words ? words.length : 0
}
