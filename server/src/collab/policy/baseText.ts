/**
 * The answer "as if every suggestion were rejected", without comment anchors, as one canonical
 * string. A suggester's update must leave it unchanged; a commenter's must leave the whole answer
 * unchanged but for comment anchors. Computed straight from the Y.XmlFragment (no ProseMirror
 * conversion): it runs on every update of those roles.
 */
import { markNameOfKey as markName } from '@kartu/schema'
import * as Y from 'yjs'

type View = {
  /** Leave out text carrying an insertion mark (as if rejected). */
  dropInsertions: boolean
  /** Formatting keys (mark names) that do not count. */
  ignored: ReadonlySet<string>
}

const BASE: View = { dropInsertions: true, ignored: new Set(['insertion', 'deletion', 'comment']) }
const WITHOUT_COMMENTS: View = { dropInsertions: false, ignored: new Set(['comment']) }

function isInsertion(attributes: Record<string, unknown> | undefined): boolean {
  if (!attributes) return false
  return Object.keys(attributes).some((key) => markName(key) === 'insertion')
}

function formatKey(attributes: Record<string, unknown> | undefined, view: View) {
  if (!attributes) return ''
  const kept = Object.keys(attributes)
    .filter((key) => !view.ignored.has(markName(key)))
    .sort()
    .map((key) => [key, attributes[key]])
  return kept.length > 0 ? JSON.stringify(kept) : ''
}

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

function writeText(text: Y.XmlText, out: string[], view: View): void {
  // Adjacent runs with the same remaining formatting are merged: adding or removing a review
  // mark splits runs without changing the text.
  let runFormat: string | null = null
  let run = ''
  const flush = () => {
    if (run.length > 0) out.push(`${JSON.stringify(run)}${runFormat ? `@${runFormat}` : ''}`)
    run = ''
  }
  for (const op of text.toDelta() as Delta) {
    if (view.dropInsertions && isInsertion(op.attributes)) continue
    const format = formatKey(op.attributes, view)
    if (typeof op.insert !== 'string') {
      flush()
      out.push(`embed:${JSON.stringify(op.insert)}${format ? `@${format}` : ''}`)
      runFormat = null
      continue
    }
    if (runFormat !== format) {
      flush()
      runFormat = format
    }
    run += op.insert
  }
  flush()
}

function writeNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook, out: string[], view: View): void {
  if (node instanceof Y.XmlText) {
    writeText(node, out, view)
    return
  }
  if (node instanceof Y.XmlElement) {
    const attrs = Object.entries(node.getAttributes()).sort(([a], [b]) => a.localeCompare(b))
    out.push(`<${node.nodeName}${attrs.length > 0 ? JSON.stringify(attrs) : ''}>`)
    for (const child of node.toArray()) writeNode(child, out, view)
    out.push(`</${node.nodeName}>`)
  }
}

function render(fragment: Y.XmlFragment, view: View): string {
  const out: string[] = []
  for (const child of fragment.toArray()) writeNode(child, out, view)
  return out.join('')
}

/** The answer as if all suggestions were rejected, comment anchors removed. */
export function baseText(fragment: Y.XmlFragment): string {
  return render(fragment, BASE)
}

/** The answer exactly, suggestions included, but without comment anchors. */
export function textWithoutComments(fragment: Y.XmlFragment): string {
  return render(fragment, WITHOUT_COMMENTS)
}
