/**
 * What a transaction changed, as one replacement of a range of the document it started from.
 *
 * Most edits are one ReplaceStep (typing, deleting, pasting, Enter) and are taken as they are, so
 * the suggestion lands exactly where the user typed. Anything else (input rules, list and heading
 * commands, several steps) is reduced to the smallest range where the documents before and after
 * differ: whatever the steps did, the suggestion then proposes exactly the resulting text.
 * blockChange widens that range to whole blocks, for changes of structure that cannot be
 * proposed inside a block; markChanges splits a change of format over several paragraphs into
 * one change per paragraph.
 */
import type { Node as PMNode, Slice } from '@tiptap/pm/model'
import type { Transaction } from '@tiptap/pm/state'
import { AddMarkStep, RemoveMarkStep, ReplaceStep, type StepMap } from '@tiptap/pm/transform'

export type NetChange = {
  /** The replaced range, in the document before the transaction. */
  from: number
  to: number
  /** What replaces it. */
  slice: Slice
  /** Maps positions of the document before to the document after. */
  map: StepMap
  /** The user's own step (false: computed from the documents, the slice copies existing text). */
  exact: boolean
}

function changeOf(from: number, to: number, slice: Slice, exact: boolean): NetChange {
  return { from, to, slice, map: new ReplaceStep(from, to, slice).getMap(), exact }
}

export function netChange(tr: Transaction): NetChange | null {
  const [only] = tr.steps
  if (tr.steps.length === 1 && only instanceof ReplaceStep) {
    return changeOf(only.from, only.to, only.slice, true)
  }
  const diff = diffRange(tr.before, tr.doc)
  return diff && changeOf(diff.start, diff.endA, tr.doc.slice(diff.start, diff.endB), false)
}

type DiffRange = { start: number; endA: number; endB: number }

/** Where `a` and `b` differ: [start, endA) of `a` became [start, endB) of `b`. */
function diffRange(a: PMNode, b: PMNode): DiffRange | null {
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
  return { start, endA, endB }
}

/**
 * The change from `a` to `b` as the replacement of whole blocks: the children of the deepest
 * container (the document, a list, a list item) that holds all of it, before and after. Such a
 * replacement adds and removes no container boundary inside a block, so it can always be
 * proposed: the old blocks marked deleted, the new ones inserted after them.
 */
export function blockChange(a: PMNode, b: PMNode): NetChange | null {
  const diff = diffRange(a, b)
  if (!diff) return null
  const $start = a.resolve(diff.start)
  const $endA = a.resolve(diff.endA)
  const $endB = b.resolve(diff.endB)
  for (let depth = Math.min($start.depth, $endA.depth, $endB.depth); depth >= 0; depth--) {
    // The same container before and after, and a container of blocks.
    if ($start.start(depth) !== $endA.start(depth) || $start.start(depth) !== $endB.start(depth)) {
      continue
    }
    if ($start.node(depth).inlineContent) continue
    const from = depth < $start.depth ? $start.before(depth + 1) : diff.start
    const toA = depth < $endA.depth ? $endA.after(depth + 1) : diff.endA
    const toB = depth < $endB.depth ? $endB.after(depth + 1) : diff.endB
    return changeOf(from, toA, b.slice(from, toB), false)
  }
  return null
}

/**
 * For a transaction that only adds or removes marks (bold, italic): what changed in each
 * textblock, as one change per textblock, in document order. Marks move no position, so each
 * textblock is at the same place before and after.
 */
export function markChanges(tr: Transaction): NetChange[] | null {
  const marksOnly = tr.steps.every(
    (step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep,
  )
  if (!marksOnly) return null
  const changes: NetChange[] = []
  tr.before.descendants((node, pos) => {
    if (!node.isTextblock) return true
    const after = tr.doc.nodeAt(pos)
    if (!after || after.eq(node)) return false
    const start = node.content.findDiffStart(after.content)
    const end = node.content.findDiffEnd(after.content)
    if (start === null || !end) return false
    const from = pos + 1 + start
    changes.push(changeOf(from, pos + 1 + end.a, tr.doc.slice(from, pos + 1 + end.b), false))
    return false
  })
  return changes
}
