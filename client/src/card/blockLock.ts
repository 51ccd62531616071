/**
 * Locked blocks in the editor (see BlockLock in @kartu/schema): a guard that refuses, locally,
 * the changes the server would refuse, and a label for each locked block. Refusing here keeps a
 * person from typing text that the server then throws away (and the card reloads).
 */

import { isSyncTransaction, LOCKABLE_BLOCKS, LOCKED_ATTRIBUTE } from '@kartu/schema'
import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { lockSvg } from '../app/icons.ts'
import { REVIEW_META } from './review/engine.ts'

const lockable: readonly string[] = LOCKABLE_BLOCKS

export function isLockedBlock(node: PMNode): boolean {
  return lockable.includes(node.type.name) && node.attrs[LOCKED_ATTRIBUTE] === true
}

/** The top-level blocks of a document that are locked, with their positions. */
export function lockedBlocks(doc: PMNode): { pos: number; node: PMNode }[] {
  const blocks: { pos: number; node: PMNode }[] = []
  doc.forEach((node, offset) => {
    if (isLockedBlock(node)) blocks.push({ pos: offset, node })
  })
  return blocks
}

/** Equal apart from the lock attribute. */
function sameButLock(before: PMNode, after: PMNode): boolean {
  if (before.type !== after.type || !before.content.eq(after.content)) return false
  const a: Record<string, unknown> = { ...before.attrs, [LOCKED_ATTRIBUTE]: null }
  const b: Record<string, unknown> = { ...after.attrs, [LOCKED_ATTRIBUTE]: null }
  return Object.keys({ ...a, ...b }).every((key) => a[key] === b[key])
}

/**
 * Whether a transaction changes or removes a block that was locked before it: its content, its
 * type, its other attributes, or its existence. Setting or clearing the lock itself does not count.
 */
export function touchesLockedBlock(tr: Transaction): boolean {
  if (!tr.docChanged) return false
  for (const { pos, node } of lockedBlocks(tr.before)) {
    const start = tr.mapping.mapResult(pos, 1)
    const end = tr.mapping.mapResult(pos + node.nodeSize, -1)
    if (start.deleted || end.deleted) return true
    if (end.pos - start.pos !== node.nodeSize) return true
    const after = tr.doc.nodeAt(start.pos)
    if (!after || !sameButLock(node, after)) return true
  }
  return false
}

/** Changes that come from Yjs (others' edits, loading, undo) are never refused: they are facts. */
export function isFromYjs(tr: Transaction): boolean {
  return isSyncTransaction(tr)
}

/** The top-level block around the selection, if it is one that can be locked. */
export function lockTarget(state: EditorState): { pos: number; node: PMNode } | null {
  const { $from } = state.selection
  if ($from.depth === 0) {
    const node = state.doc.nodeAt($from.pos)
    return node && lockable.includes(node.type.name) ? { pos: $from.pos, node } : null
  }
  const node = $from.node(1)
  return lockable.includes(node.type.name) ? { pos: $from.before(1), node } : null
}

/** A transaction that only sets (or clears) the lock of the block around the selection. */
export function toggleBlockLock(state: EditorState): Transaction | null {
  const target = lockTarget(state)
  if (!target) return null
  // Like accepting or rejecting, a decision of the chair: suggesting mode leaves it alone.
  return state.tr
    .setNodeAttribute(target.pos, LOCKED_ATTRIBUTE, isLockedBlock(target.node) ? null : true)
    .setMeta(REVIEW_META, true)
}

const blockLockKey = new PluginKey<DecorationSet>('kartuBlockLockGuard')

function lockDecorations(doc: PMNode, label: string): DecorationSet {
  const decorations: Decoration[] = []
  for (const { pos, node } of lockedBlocks(doc)) {
    if (node.isTextblock) {
      decorations.push(
        Decoration.widget(
          pos + 1,
          () => {
            const icon = document.createElement('span')
            icon.className = 'locked-block__icon'
            icon.setAttribute('role', 'img')
            icon.setAttribute('aria-label', label)
            icon.setAttribute('title', label)
            icon.contentEditable = 'false'
            icon.append(lockSvg(document))
            return icon
          },
          { side: -1, ignoreSelection: true, key: `lock-${label}` },
        ),
      )
    } else {
      // A list: name it (a list may have a name; a paragraph may not).
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, { 'aria-label': label, title: label }),
      )
    }
  }
  return DecorationSet.create(doc, decorations)
}

export type BlockLockGuardOptions = {
  /** The accessible name of a locked block ("Locked (agreed text)"), read when drawn. */
  label: () => string
}

export const BlockLockGuard = Extension.create<BlockLockGuardOptions>({
  name: 'kartuBlockLockGuard',
  addOptions: () => ({ label: () => 'Locked' }),
  addProseMirrorPlugins() {
    const label = this.options.label
    return [
      new Plugin<DecorationSet>({
        key: blockLockKey,
        filterTransaction: (tr) => isFromYjs(tr) || !touchesLockedBlock(tr),
        state: {
          init: (_config, state) => lockDecorations(state.doc, label()),
          apply: (tr, previous, _old, state) =>
            tr.docChanged ? lockDecorations(state.doc, label()) : previous,
        },
        props: {
          decorations: (state) => blockLockKey.getState(state),
        },
      }),
    ]
  },
})
