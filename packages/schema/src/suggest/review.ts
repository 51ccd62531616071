/**
 * Reviewing suggestions: listing them, accepting and rejecting them, and the answer as it would
 * read with all of them rejected or accepted. Pure functions of a document or an editor state.
 */
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import type { EditorState, Transaction } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { type BlockFormat, FORMAT_SUGGESTION, JOIN_SUGGESTION } from '../blockSuggestions.ts'
import { SuggestionKind } from '../cardLayout.ts'
import { BLOCK_BREAK, startsWithBreakMarker } from './blockBreak.ts'
import { REVIEW_META } from './passThrough.ts'
import { Resolution, resolveSuggestions } from './resolveSuggestions.ts'
import { idsOf, suggestionIdOf, suggestionMarkTypes } from './suggestionMarks.ts'

/**
 * The inserted or the deleted part of one suggestion. A replacement has both, under one id. The
 * range runs from the first to the last character of that part (it may span paragraphs, and
 * other text may sit between its pieces); `text` is the text of its pieces, with a line break
 * for each paragraph break.
 */
export type SuggestionSpan = {
  id: string
  /** Insert, Delete, Join or Format: what this part of the suggestion is. */
  kind: SuggestionKind
  from: number
  to: number
  text: string
  /**
   * For a format change: the formatting marks added and removed (by name), or the block's type
   * before and after (`paragraph`, `heading 3`).
   */
  format?: FormatDelta
}

export type FormatDelta = {
  added: string[]
  removed: string[]
  block?: { from: string; to: string }
}

/** A block's type as a person names it: `paragraph`, `heading 2`. */
function blockLabel(type: string, attrs: Record<string, unknown>): string {
  return typeof attrs.level === 'number' ? `${type} ${attrs.level}` : type
}

/** How much of a block's text a join or block format part shows. */
const EXCERPT = 60

function textOf(node: PMNode): string {
  return node.textContent.replaceAll(BLOCK_BREAK, '')
}

/** Every suggestion part in the document, in document order (by start, deletion first). */
export function collectSuggestions(doc: PMNode): SuggestionSpan[] {
  const types = suggestionMarkTypes(doc.type.schema)
  const spans = new Map<string, SuggestionSpan & { block: number }>()
  const blockParts: SuggestionSpan[] = []
  let block = -1
  let previousText = ''
  doc.descendants((node, pos, parent, index) => {
    if (node.isTextblock) {
      block = pos
      const joinId: unknown = node.attrs[JOIN_SUGGESTION]
      if (typeof joinId === 'string') {
        blockParts.push({
          id: joinId,
          kind: SuggestionKind.Join,
          from: pos,
          to: pos + node.nodeSize,
          text: `${previousText.slice(-EXCERPT / 2)}\n${textOf(node).slice(0, EXCERPT / 2)}`,
        })
      }
      const format = node.attrs[FORMAT_SUGGESTION] as BlockFormat | null | undefined
      if (format) {
        blockParts.push({
          id: format.id,
          kind: SuggestionKind.Format,
          from: pos,
          to: pos + node.nodeSize,
          text: textOf(node).slice(0, EXCERPT),
          format: {
            added: [],
            removed: [],
            block: {
              from: blockLabel(format.type, format.attrs),
              to: blockLabel(node.type.name, node.attrs),
            },
          },
        })
      }
      previousText = textOf(node)
    }
    if (!node.isInline) return true
    const marker = index === 0 && parent?.isTextblock === true && startsWithBreakMarker(node, types)
    for (const mark of node.marks) {
      const kind =
        mark.type === types.insertion
          ? SuggestionKind.Insert
          : mark.type === types.deletion
            ? SuggestionKind.Delete
            : mark.type === types.format
              ? SuggestionKind.Format
              : null
      const id = suggestionIdOf(mark.attrs)
      if (kind === null || id === null) continue
      let text = node.isText ? (node.text ?? '') : node.type.name === 'hardBreak' ? '\n' : ''
      if (marker) text = `\n${text.slice(BLOCK_BREAK.length)}`
      const key = `${kind}\n${id}`
      const span = spans.get(key)
      if (!span) {
        const created: SuggestionSpan & { block: number } = {
          id,
          kind,
          from: pos,
          to: pos + node.nodeSize,
          text,
          block,
        }
        if (kind === SuggestionKind.Format) created.format = formatDelta(mark, node, types)
        spans.set(key, created)
        continue
      }
      // Another paragraph: a line break, unless this piece starts with its own break marker.
      const separator = span.block !== block && !marker ? '\n' : ''
      span.text += separator + text
      span.to = pos + node.nodeSize
      span.block = block
      if (kind === SuggestionKind.Format && span.format) {
        const more = formatDelta(mark, node, types)
        span.format.added = union(span.format.added, more.added)
        span.format.removed = union(span.format.removed, more.removed)
      }
    }
    return false
  })
  return [...[...spans.values()].map(({ block: _block, ...span }) => span), ...blockParts].sort(
    (a, b) =>
      a.from - b.from || (a.kind === b.kind ? 0 : a.kind === SuggestionKind.Delete ? -1 : 1),
  )
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])]
}

/** What a format change mark changed on `node`: its formatting now against `before`. */
function formatDelta(
  mark: Mark,
  node: PMNode,
  types: ReturnType<typeof suggestionMarkTypes>,
): FormatDelta {
  const before: unknown = mark.attrs.before
  const was = new Set(Array.isArray(before) ? (before as string[]) : [])
  const now = new Set(
    node.marks
      .filter(
        (m) =>
          m.type !== types.insertion &&
          m.type !== types.deletion &&
          m.type !== types.format &&
          m.type !== types.comment,
      )
      .map((m) => m.type.name),
  )
  return {
    added: [...now].filter((name) => !was.has(name)),
    removed: [...was].filter((name) => !now.has(name)),
  }
}

/**
 * What a whole suggestion does, from its parts: a format change, a join, a new paragraph (an
 * insertion that adds a paragraph or list item break), a move (the same text deleted and inserted
 * elsewhere in the structure), a replacement, an insertion or a deletion. The one naming used by the panel, the presentation view, the
 * tooltip and the decision log.
 */
export function suggestionKindOf(parts: readonly SuggestionSpan[]): SuggestionKind {
  const kinds = new Set(parts.map((part) => part.kind))
  const text = (kind: SuggestionKind) =>
    parts
      .filter((part) => part.kind === kind)
      .map((part) => part.text)
      .join('')
  if (kinds.has(SuggestionKind.Join) && kinds.size === 1) return SuggestionKind.Join
  if (kinds.has(SuggestionKind.Format) && kinds.size === 1) return SuggestionKind.Format
  const inserted = text(SuggestionKind.Insert)
  const deleted = text(SuggestionKind.Delete)
  if (kinds.has(SuggestionKind.Insert) && kinds.has(SuggestionKind.Delete)) {
    const same = (value: string) => value.replace(/\s+/g, ' ').trim()
    return same(inserted) === same(deleted) ? SuggestionKind.Move : SuggestionKind.Replace
  }
  // A break marker reads as a line break: an insertion that starts a paragraph or a list item
  // (Enter, pasted paragraphs) is a new paragraph, with whatever was typed into it.
  if (kinds.has(SuggestionKind.Insert)) {
    return inserted.includes('\n') ? SuggestionKind.Split : SuggestionKind.Insert
  }
  return SuggestionKind.Delete
}

/**
 * Accepts and rejects suggestions in one transaction: the chair picking one of several
 * alternatives (accept it, reject the others) makes one change, one undo step and one Yjs
 * update. An id in both lists is accepted. Marked with REVIEW_META, so that suggesting mode lets
 * it through.
 */
export function decideSuggestions(
  state: EditorState,
  decisions: { accept?: readonly string[]; reject?: readonly string[] },
): Transaction {
  const accepted = new Set(decisions.accept)
  const rejected = new Set(decisions.reject)
  const tr = state.tr
  resolveSuggestions(tr, (id) =>
    accepted.has(id) ? Resolution.Accept : rejected.has(id) ? Resolution.Reject : null,
  )
  return tr.setMeta(REVIEW_META, true)
}

/** Accepts the suggestions `ids`: inserted text stays (unmarked), deleted text goes. */
export function acceptSuggestions(state: EditorState, ids: readonly string[]): Transaction {
  return decideSuggestions(state, { accept: ids })
}

/** Rejects (or withdraws) the suggestions `ids`: inserted text goes, deleted text stays. */
export function rejectSuggestions(state: EditorState, ids: readonly string[]): Transaction {
  return decideSuggestions(state, { reject: ids })
}

/** The document as it would be with every suggestion rejected: the text before any was made. */
export function asIfAllRejected(doc: PMNode): PMNode {
  const tr = new Transform(doc)
  resolveSuggestions(tr, () => Resolution.Reject)
  return tr.doc
}

/** The document as it would be with every suggestion accepted. */
export function asIfAllAccepted(doc: PMNode): PMNode {
  const tr = new Transform(doc)
  resolveSuggestions(tr, () => Resolution.Accept)
  return tr.doc
}

/** The document without comment anchors (threads do not change the text). */
export function withoutCommentMarks(doc: PMNode): PMNode {
  const comment = suggestionMarkTypes(doc.type.schema).comment
  if (!comment) return doc
  return new Transform(doc).removeMark(0, doc.content.size, comment).doc
}

/**
 * Whether suggestion `id` means the same in two versions of an answer: its marks cover the same
 * text, in document order, with the same kind of mark; and accepting it alone (every other
 * suggestion rejected) gives the same answer. Where the characters sit in Yjs, and under whose
 * client, does not matter: a paragraph break suggested inside someone's inserted text makes the
 * binding write the text after the break again, under the splitter's client, and the inserted
 * text is still the same suggestion. What it does not allow: text gaining or losing the mark,
 * the mark's text moving, or a block suggestion (a join, a block's type) changing.
 * `withdrawable`: the suggestions of the person whose change is judged.
 */
export function sameSuggestion(
  a: PMNode,
  b: PMNode,
  id: string,
  withdrawable: (id: string) => boolean = () => false,
): boolean {
  if (markedText(a, id, withdrawable) !== markedText(b, id, withdrawable)) return false
  return withoutCommentMarks(onlyAccepting(a, id)).eq(withoutCommentMarks(onlyAccepting(b, id)))
}

/**
 * The text carrying `id`'s marks, as runs of `mark name NUL text`, one per line; without the
 * text inserted by `withdrawable` suggestions (their author may take it out, whoever else's
 * mark it carries).
 */
function markedText(doc: PMNode, id: string, withdrawable: (id: string) => boolean): string {
  const insertion = suggestionMarkTypes(doc.type.schema).insertion
  const runs: string[] = []
  let previous = ''
  doc.descendants((node) => {
    if (!node.isText) return true
    if (idsOf(node.marks, insertion).some(withdrawable)) return false
    for (const mark of node.marks) {
      if (suggestionIdOf(mark.attrs) !== id) continue
      const name = mark.type.name
      const text = node.text ?? ''
      // Text nodes split by other marks are one run: only the mark's own text counts.
      if (name === previous && runs.length > 0) runs[runs.length - 1] += text
      else runs.push(`${name}\u0000${text}`)
      previous = name
    }
    return false
  })
  return runs.join('\n')
}

function onlyAccepting(doc: PMNode, id: string): PMNode {
  const tr = new Transform(doc)
  resolveSuggestions(tr, (other) => (other === id ? Resolution.Accept : Resolution.Reject))
  return tr.doc
}

/**
 * Whether two versions of an answer have the same text once every suggestion is rejected and
 * comment anchors are ignored: an update that keeps this changed nothing but suggestions and
 * comments (what the server requires of a suggester's update).
 */
export function sameBaseText(a: PMNode, b: PMNode): boolean {
  return withoutCommentMarks(asIfAllRejected(a)).eq(withoutCommentMarks(asIfAllRejected(b)))
}

/**
 * The first suggestion of another person that reads differently in `after` than in `before`
 * (sameSuggestion, the server's own test of a suggester's update), or null when each says what
 * it said. Asked for every keystroke while suggesting, so only the top-level blocks where the two
 * documents differ are read, with one block either side (a join belongs to the block after the
 * break, and lists either side of rejected blocks merge): a suggestion wholly outside them covers
 * the same text in both, and the rest of both documents reads the same whatever is decided.
 */
export function changedOthersSuggestion(
  before: PMNode,
  after: PMNode,
  isOwn: (id: string) => boolean,
): string | null {
  const diff = diffOf(before, after)
  if (diff === null) return null
  const a = blocksAround(before, diff.start, diff.endA)
  const b = blocksAround(after, diff.start, diff.endB)
  if (onlyOwnTextAdded(a, b, isOwn)) return null
  const near = new Set<string>()
  collectIds(a, near)
  collectIds(b, near)
  for (const id of near) {
    if (isOwn(id)) continue
    if (!sameSuggestion(a, b, id, isOwn)) return id
  }
  return null
}

/**
 * Where two documents differ: from `start` to `endA` in `a` and `endB` in `b`. Repeated text
 * ("xx" typed after "x") lets the scan from the end pass the start; the range is then moved to
 * end after it, as ProseMirror's own users of findDiffEnd do.
 */
function diffOf(a: PMNode, b: PMNode): { start: number; endA: number; endB: number } | null {
  const start = a.content.findDiffStart(b.content)
  if (start === null) return null
  const end = a.content.findDiffEnd(b.content) ?? { a: a.content.size, b: b.content.size }
  const overlap = start - Math.min(end.a, end.b)
  return overlap > 0
    ? { start, endA: end.a + overlap, endB: end.b + overlap }
    : { start, endA: end.a, endB: end.b }
}

/** A document of the top-level blocks of `doc` around [from, to), one more either side. */
function blocksAround(doc: PMNode, from: number, to: number): PMNode {
  const size = doc.content.size
  const first = Math.max(0, doc.resolve(Math.min(from, size)).index(0) - 1)
  const last = Math.min(doc.childCount - 1, doc.resolve(Math.min(to, size)).index(0) + 1)
  let pos = 0
  for (let index = 0; index < first; index++) pos += doc.child(index).nodeSize
  let endPos = pos
  for (let index = first; index <= last; index++) endPos += doc.child(index).nodeSize
  return doc.copy(doc.content.cut(pos, endPos))
}

/**
 * Whether `after` is `before` with inline text added that carries only the person's own
 * insertion (typing): that changes no one else's suggestion, read as sameSuggestion reads it
 * (one's own proposed words are left out of others' suggestions, and rejected when one of them
 * is accepted alone). The common keystroke, answered without deciding anything.
 */
function onlyOwnTextAdded(before: PMNode, after: PMNode, isOwn: (id: string) => boolean): boolean {
  const diff = diffOf(before, after)
  if (diff === null || diff.endA !== diff.start || diff.endB <= diff.start) return false
  const { start } = diff
  const $from = after.resolve(start)
  const $to = after.resolve(diff.endB)
  if (!$from.sameParent($to) || !$from.parent.inlineContent) return false
  const { insertion, deletion, format } = suggestionMarkTypes(after.type.schema)
  let own = true
  after.nodesBetween(start, diff.endB, (node) => {
    if (!own || !node.isInline) return own
    const review = node.marks.filter(
      (mark) => mark.type === insertion || mark.type === deletion || mark.type === format,
    )
    own =
      review.length > 0 &&
      review.every((mark) => mark.type === insertion && isOwn(suggestionIdOf(mark.attrs) ?? ''))
    return false
  })
  return own
}

/** The suggestion ids (marks, block attributes) in a document. */
function collectIds(doc: PMNode, ids: Set<string>): void {
  const { insertion, deletion, format } = suggestionMarkTypes(doc.type.schema)
  doc.descendants((node) => {
    for (const name of [JOIN_SUGGESTION, FORMAT_SUGGESTION]) {
      const value: unknown = node.attrs[name]
      if (value === null || value === undefined) continue
      const id = typeof value === 'string' ? value : suggestionIdOf(value)
      if (id !== null) ids.add(id)
    }
    for (const mark of node.marks) {
      // Comment anchors carry ids too; they are not suggestions.
      if (mark.type !== insertion && mark.type !== deletion && mark.type !== format) continue
      const id = suggestionIdOf(mark.attrs)
      if (id !== null) ids.add(id)
    }
    return true
  })
}
