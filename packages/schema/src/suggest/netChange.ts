/**
 * What a transaction changed, as one replacement of a range of the document it started from.
 *
 * Most edits are one ReplaceStep (typing, deleting, pasting, Enter) and are taken as they are, so
 * the suggestion lands exactly where the user typed. Anything else (input rules, list and heading
 * commands, several steps) is reduced to the smallest range where the documents before and after
 * differ: whatever the steps did, the suggestion then proposes exactly the resulting text.
 */
import type { Node as PMNode, Slice } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { ReplaceStep, type StepMap } from '@tiptap/pm/transform'

export type NetChange = {
  /** The replaced range, in the document before the transaction. */
  from: number
  to: number
  /** What replaces it. */
  slice: Slice
  /** Maps positions of the document before to the document after. */
  map: StepMap
}

export function netChange(tr: Transaction): NetChange | null {
  const [only] = tr.steps
  if (tr.steps.length === 1 && only instanceof ReplaceStep) {
    return { from: only.from, to: only.to, slice: only.slice, map: only.getMap() }
  }
  return diffChange(tr.before, tr.doc)
}

/** The one replacement that turns `a` into `b` (null when they are equal). */
export function diffChange(a: PMNode, b: PMNode): NetChange | null {
  const start = a.content.findDiffStart(b.content)
  if (start === null) return null
  const end = a.content.findDiffEnd(b.content)
  if (!end) return null
  let endA = end.a
  let endB = end.b
  // Repeated text lets the common prefix and suffix overlap: shrink the change to fit.
  if (endA < start && a.content.size < b.content.size) {
    endB = start + (endB - endA)
    endA = start
  } else if (endB < start) {
    endA = start + (endA - endB)
    endB = start
  }
  const slice = b.slice(start, endB)
  return { from: start, to: endA, slice, map: new ReplaceStep(start, endA, slice).getMap() }
}
