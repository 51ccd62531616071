/**
 * Helpers for the engine's tests: answer documents written compactly, the edits a user makes in
 * the editor as transactions, simulated authors, and a compact rendering of a document's
 * suggestions to compare against.
 */
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import { Slice } from '@tiptap/pm/model'
import { type Command, EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { getAnswerSchema } from '../extensions.ts'
import { BLOCK_BREAK } from './blockBreak.ts'
import { type SuggestOptions, suggestTransaction } from './suggestTransaction.ts'

export const schema = getAnswerSchema()

function markType(name: string) {
  const type = schema.marks[name]
  if (!type) throw new Error(`no mark ${name}`)
  return type
}

function nodeType(name: string) {
  const type = schema.nodes[name]
  if (!type) throw new Error(`no node ${name}`)
  return type
}

export const ins = (id: string): Mark => markType('insertion').create({ id })
export const del = (id: string): Mark => markType('deletion').create({ id })
export const comment = (threadId: string): Mark => markType('comment').create({ threadId })
export const bold = (): Mark => markType('bold').create()

export type Inline = string | PMNode

/** Text with marks. */
export const t = (text: string, ...marks: Mark[]): PMNode => schema.text(text, marks)
/** A break marker of insertion `id`. */
export const brk = (id: string): PMNode => schema.text(BLOCK_BREAK, [ins(id)])
const inline = (parts: Inline[]): PMNode[] =>
  parts.filter((part) => part !== '').map((part) => (typeof part === 'string' ? t(part) : part))
export const p = (...parts: Inline[]): PMNode => nodeType('paragraph').create(null, inline(parts))
export const h2 = (...parts: Inline[]): PMNode =>
  nodeType('heading').create({ level: 2 }, inline(parts))
export const li = (...blocks: PMNode[]): PMNode => nodeType('listItem').create(null, blocks)
export const ul = (...items: PMNode[]): PMNode => nodeType('bulletList').create(null, items)
export const doc = (...blocks: PMNode[]): PMNode => nodeType('doc').create(null, blocks)

/**
 * The position of `needle` in the text of `node` (before its first character), or after it with
 * `after`. Throws when absent, so a test cannot silently edit the wrong place.
 */
export function at(node: PMNode, needle: string, after = false): number {
  const chars: Array<[number, string]> = []
  node.descendants((child, pos) => {
    if (child.isText) {
      const text = child.text ?? ''
      for (let i = 0; i < text.length; i++) chars.push([pos + i, text.charAt(i)])
    }
    return true
  })
  const text = chars.map(([, char]) => char).join('')
  const index = text.indexOf(needle)
  const hit = chars[index + (after ? needle.length - 1 : 0)]
  if (index < 0 || !hit) throw new Error(`"${needle}" not in "${text}"`)
  return hit[0] + (after ? 1 : 0)
}

export function stateOf(node: PMNode, anchor?: number, head = anchor): EditorState {
  const state = EditorState.create({ schema, doc: node })
  if (anchor === undefined || head === undefined) return state
  return state.apply(state.tr.setSelection(TextSelection.create(node, anchor, head)))
}

export function select(state: EditorState, anchor: number, head = anchor): EditorState {
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, anchor, head)))
}

/** The transaction a command would dispatch (throws when it does not apply). */
export function run(state: EditorState, command: Command): Transaction {
  let dispatched: Transaction | null = null
  command(state, (tr) => {
    dispatched = tr
  })
  if (!dispatched) throw new Error('the command did not apply')
  return dispatched
}

/** Typing at the selection, as the editor does (the text inherits the marks around it). */
export const typing = (state: EditorState, text: string): Transaction => state.tr.insertText(text)

/** Backspace inside a paragraph (the browser's own deletion, as ProseMirror reads it). */
export function backspace(state: EditorState): Transaction {
  const { from, empty } = state.selection
  return empty ? state.tr.delete(from - 1, from) : state.tr.deleteSelection()
}

/** Forward delete inside a paragraph. */
export function forwardDelete(state: EditorState): Transaction {
  const { from, to, empty } = state.selection
  return empty ? state.tr.delete(from, from + 1) : state.tr.delete(from, to)
}

export function paste(state: EditorState, ...blocks: PMNode[]): Transaction {
  const fragment = doc(...blocks).content
  return state.tr.replaceSelection(new Slice(fragment, 1, 1))
}

/** A simulated author: ids `${name}1`, `${name}2`…, and their own are the ones they made. */
export type Author = SuggestOptions & { name: string; ids: string[] }

export function author(name: string): Author {
  const ids: string[] = []
  return {
    name,
    ids,
    newId: () => {
      const id = `${name}${ids.length + 1}`
      ids.push(id)
      return id
    },
    isOwnSuggestion: (id) => ids.includes(id),
  }
}

/** Applies `tr` as `who` would in suggesting mode. */
export function suggest(state: EditorState, tr: Transaction, who: Author): EditorState {
  return state.apply(suggestTransaction(state, tr, who))
}

function label(marks: readonly Mark[]): string {
  const parts: string[] = []
  for (const mark of marks) {
    const id: unknown = mark.attrs.id ?? mark.attrs.threadId
    if (mark.type.name === 'insertion') parts.push(`+${String(id)}`)
    else if (mark.type.name === 'deletion') parts.push(`-${String(id)}`)
    else if (mark.type.name === 'comment') parts.push(`c${String(id)}`)
    else if (mark.type.name === 'formatChange') parts.push(`~${String(id)}`)
    else parts.push(mark.type.name)
  }
  return parts.sort().join('')
}

/**
 * A document as a line of text: blocks separated by " / ", a list in [ ], its items with "• ",
 * headings with "# "; marked text as <marks:text> with +id for an insertion, -id for a deletion,
 * ~id for a format change, c for a comment and the names of other marks; a break marker as ¶; a
 * textblock suggested to join the one before it starts with ⇠id, one whose type was changed
 * with ~id(former type).
 */
export function show(node: PMNode): string {
  if (node.isTextblock) {
    const join: unknown = node.attrs.joinSuggestion
    const format = node.attrs.formatSuggestion as { id: string; type: string } | null | undefined
    const prefix =
      (typeof join === 'string' ? `⇠${join} ` : '') +
      (format ? `~${format.id}(${format.type}) ` : '') +
      (node.type.name === 'heading' ? '# ' : '')
    return prefix + showInline(node)
  }
  const children: string[] = []
  node.forEach((child) => {
    children.push(show(child))
  })
  const inner = children.join(' / ')
  if (node.type.name === 'listItem') return `• ${inner}`
  if (node.type.name === 'bulletList' || node.type.name === 'orderedList') return `[${inner}]`
  return inner
}

function showInline(block: PMNode): string {
  let out = ''
  let open: string | null = null
  let text = ''
  const flush = () => {
    if (open !== null) out += open === '' ? text : `<${open}:${text}>`
    text = ''
  }
  block.forEach((child) => {
    const key = label(child.marks)
    if (key !== open) {
      flush()
      open = key
    }
    text += child.isText
      ? (child.text ?? '').replaceAll(BLOCK_BREAK, '¶')
      : child.type.name === 'hardBreak'
        ? '⏎'
        : `[${child.type.name}]`
  })
  flush()
  return out
}

export {
  allKinds,
  type EditKind,
  int,
  pick,
  type Rng,
  random,
  randomEdit,
  startDoc,
} from './randomEdits.ts'
