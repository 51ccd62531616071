/**
 * Where review marks sit in an answer (a ProseMirror document): the spans of each comment thread
 * and each suggestion mark, in document order.
 */
import { MarkName } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'

export type MarkRange = {
  /** The mark's id attribute: a suggestion id or a thread id. */
  id: string
  markName: MarkName
  from: number
  to: number
  text: string
}

const idAttribute: Record<MarkName, string> = {
  [MarkName.Insertion]: 'id',
  [MarkName.Deletion]: 'id',
  [MarkName.FormatChange]: 'id',
  [MarkName.Comment]: 'threadId',
}

/**
 * Every range of the given marks, in document order; adjacent pieces of the same mark (split by
 * bold, say) are joined into one range.
 */
export function collectMarkRanges(doc: PMNode, markNames: readonly MarkName[]): MarkRange[] {
  const ranges: MarkRange[] = []
  const open = new Map<string, MarkRange>()
  doc.descendants((node, pos) => {
    if (!node.isInline) return true
    const text = node.isText ? (node.text ?? '') : node.type.name === 'hardBreak' ? '\n' : ''
    const to = pos + node.nodeSize
    for (const mark of node.marks) {
      const markName = mark.type.name as MarkName
      if (!markNames.includes(markName)) continue
      const id: unknown = mark.attrs[idAttribute[markName]]
      if (typeof id !== 'string' || id === '') continue
      const key = `${markName}\n${id}`
      const previous = open.get(key)
      if (previous && previous.to === pos) {
        previous.to = to
        previous.text += text
      } else {
        const range: MarkRange = { id, markName, from: pos, to, text }
        ranges.push(range)
        open.set(key, range)
      }
    }
    return false
  })
  return ranges
}

/** The first position of each comment thread's anchor. Threads not in the map are orphaned. */
export function threadAnchors(doc: PMNode): Map<string, MarkRange> {
  const anchors = new Map<string, MarkRange>()
  for (const range of collectMarkRanges(doc, [MarkName.Comment])) {
    if (!anchors.has(range.id)) anchors.set(range.id, range)
  }
  return anchors
}
