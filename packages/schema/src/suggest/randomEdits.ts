/**
 * Random edits a person could make in the answer editor, as the transactions the editor would
 * dispatch, seeded so that a failure can be replayed: for the engine's property tests here and
 * the server's (the policy must accept every suggestion the engine makes).
 */
import {
  joinBackward,
  joinForward,
  setBlockType,
  splitBlock,
  toggleMark,
} from '@tiptap/pm/commands'
import type { Node as PMNode } from '@tiptap/pm/model'
import { liftListItem, sinkListItem, splitListItem, wrapInList } from '@tiptap/pm/schema-list'
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { comment, doc, li, p, schema, t, ul } from './testing.ts'

/** mulberry32: a small seeded generator. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

export type Rng = () => number
export const pick = <T>(rng: Rng, items: readonly T[]): T => {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('empty')
  return item
}
export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))

/** Positions where a cursor can be (inside textblocks). */
function textPositions(node: PMNode): number[] {
  const positions: number[] = []
  node.descendants((child, pos) => {
    if (!child.isTextblock) return true
    for (let i = 0; i <= child.content.size; i++) positions.push(pos + 1 + i)
    return false
  })
  return positions
}

function randomSelection(rng: Rng, state: EditorState, empty: boolean): EditorState {
  const positions = textPositions(state.doc)
  const a = pick(rng, positions)
  let b = a
  if (!empty) {
    // Mostly short ranges, sometimes across paragraphs.
    const near = positions.filter((pos) => Math.abs(pos - a) <= (rng() < 0.7 ? 6 : 40))
    b = pick(rng, near)
  }
  const sel = TextSelection.create(state.doc, Math.min(a, b), Math.max(a, b))
  return state.apply(state.tr.setSelection(sel))
}

const words = ['a', 'bc', 'def', ' ', 'xy z', '\u200b', 'ü', 'q']

function command(
  state: EditorState,
  run: (s: EditorState, d: (tr: Transaction) => void) => boolean,
) {
  let out: Transaction | null = null
  run(state, (tr) => {
    out = tr
  })
  return out
}

/** The edits a user can make, the common ones more often. */
export const allKinds = [
  'type',
  'type',
  'type',
  'backspace',
  'backspace',
  'delete',
  'deleteRange',
  'deleteRange',
  'replace',
  'paste',
  'enter',
  'joinBackward',
  'joinForward',
  'bold',
  'heading',
  'paragraph',
  'list',
  'lift',
  'sink',
  'hardBreak',
] as const
export type EditKind = (typeof allKinds)[number]

/** A random edit a user could make, as the transaction the editor would dispatch. */
export function randomEdit(
  rng: Rng,
  start: EditorState,
  kinds: readonly EditKind[] = allKinds,
  texts: readonly string[] = words,
): { name: string; tr: Transaction; state: EditorState } | null {
  const kind = pick(rng, kinds)
  const empty: readonly EditKind[] = [
    'type',
    'backspace',
    'delete',
    'enter',
    'joinBackward',
    'joinForward',
    'hardBreak',
  ]
  const state = randomSelection(rng, start, empty.includes(kind))
  const { from, to } = state.selection
  const bullet = schema.nodes.bulletList
  const item = schema.nodes.listItem
  const heading = schema.nodes.heading
  const paragraph = schema.nodes.paragraph
  const boldType = schema.marks.bold
  const hardBreak = schema.nodes.hardBreak
  if (!bullet || !item || !heading || !paragraph || !boldType || !hardBreak)
    throw new Error('schema')
  let tr: Transaction | null = null
  switch (kind) {
    case 'type':
      tr = state.tr.insertText(pick(rng, texts))
      break
    case 'backspace':
      tr =
        from > 1 && state.doc.resolve(from).parentOffset > 0
          ? state.tr.delete(from - 1, from)
          : null
      break
    case 'delete': {
      const $from = state.doc.resolve(from)
      tr = $from.parentOffset < $from.parent.content.size ? state.tr.delete(from, from + 1) : null
      break
    }
    case 'deleteRange':
      tr = to > from ? state.tr.deleteSelection() : null
      break
    case 'replace':
      tr = state.tr.insertText(pick(rng, texts), from, to)
      break
    case 'paste': {
      const blocks = Array.from({ length: int(rng, 1, 3) }, () => p(pick(rng, texts)))
      const slice = doc(...blocks).slice(1, doc(...blocks).content.size - 1)
      tr = state.tr.replaceSelection(slice)
      break
    }
    case 'enter':
      tr = command(state, splitListItem(item)) ?? command(state, splitBlock)
      break
    case 'joinBackward':
      tr = command(state, joinBackward)
      break
    case 'joinForward':
      tr = command(state, joinForward)
      break
    case 'bold':
      tr = to > from ? command(state, toggleMark(boldType)) : null
      break
    case 'heading':
      tr = command(state, setBlockType(heading, { level: 2 }))
      break
    case 'paragraph':
      tr = command(state, setBlockType(paragraph))
      break
    case 'list':
      tr = command(state, wrapInList(bullet))
      break
    case 'lift':
      tr = command(state, liftListItem(item))
      break
    case 'sink':
      tr = command(state, sinkListItem(item))
      break
    case 'hardBreak':
      tr = state.tr.replaceSelectionWith(hardBreak.create())
      break
  }
  if (!tr?.docChanged) return null
  return { name: `${kind} ${from}-${to}`, tr, state }
}

export const startDoc = () =>
  doc(
    p('Indonesia ', t('melindungi', comment('t1')), ' pekerja migran.'),
    ul(li(p('satu')), li(p('dua'))),
    p('UU No. 18/2017 berlaku.'),
  )
