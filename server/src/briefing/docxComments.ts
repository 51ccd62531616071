/**
 * A card's open comment threads as Word comments: the first comment of a thread is the comment,
 * the others its replies (docx writes their w15:paraIdParent in commentsExtended.xml). Every
 * comment of a thread, replies included, gets the range and reference of the thread in the
 * document: Word and LibreOffice drop a comment that nothing in the document refers to.
 *
 * Where a thread sits: on the text carrying its comment mark; a thread on a suggestion (replies
 * on it) on that suggestion's text, or on the textblock a join or block format change is about.
 * A thread whose words are all gone is attached at the start of the answer, its first comment
 * quoting them. Resolved threads are left out: the book is for what is still open, and a
 * resolved thread shown in Word's margin would read as open to a reviewer who never sees the
 * "done" tick of an older Word.
 */
import { FORMAT_SUGGESTION, JOIN_SUGGESTION, MarkName } from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import type { Paragraph } from 'docx'
import { Label } from './bookLabels.ts'
import { type BookComment, type BookThread, personLabel } from './cardContent.ts'
import type { DocumentState } from './docxState.ts'
import { textParagraphs, xmlSafe } from './docxText.ts'

/** The comments to anchor, by the index of an inline node of the answer in document order. */
export type CommentAnchors = {
  /** Comment ids whose range starts right before the inline node. */
  starts: Map<number, number[]>
  /** Comment ids whose range ends right after the inline node (then their references). */
  ends: Map<number, number[]>
  /** Comment ids whose words are gone: a point at the start of the answer. */
  detached: number[]
}

type Span = { first: number; last: number }

const REVIEW_MARKS = new Set<string>([MarkName.Insertion, MarkName.Deletion, MarkName.FormatChange])

function widen(spans: Map<string, Span>, id: string, index: number): void {
  const span = spans.get(id)
  if (span) span.last = index
  else spans.set(id, { first: index, last: index })
}

/** Where each comment mark and each suggestion sits, by inline node index. */
function spansOf(answer: PMNode): { comments: Map<string, Span>; suggestions: Map<string, Span> } {
  const comments = new Map<string, Span>()
  const suggestions = new Map<string, Span>()
  const blocks = new Map<string, Span>()
  let index = 0
  answer.descendants((node) => {
    if (node.isTextblock) {
      const first = index
      const last = index + node.childCount - 1
      const ids = [
        node.attrs[JOIN_SUGGESTION],
        (node.attrs[FORMAT_SUGGESTION] as { id?: unknown } | null)?.id,
      ]
      for (const id of ids) {
        if (typeof id === 'string' && last >= first && !blocks.has(id))
          blocks.set(id, { first, last })
      }
      return true
    }
    if (!node.isInline) return true
    for (const mark of node.marks) {
      if (mark.type.name === MarkName.Comment && typeof mark.attrs.threadId === 'string') {
        widen(comments, mark.attrs.threadId, index)
      } else if (REVIEW_MARKS.has(mark.type.name) && typeof mark.attrs.id === 'string') {
        widen(suggestions, mark.attrs.id, index)
      }
    }
    index++
    return false
  })
  // Text marks first: a join's thread is about the break, the block is the nearest words.
  for (const [id, span] of blocks) if (!suggestions.has(id)) suggestions.set(id, span)
  return { comments, suggestions }
}

/** "SR" for "Siti Rahma": Word shows initials where there is no room for the name. */
function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .slice(0, 3)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('')
}

function add(map: Map<number, number[]>, index: number, ids: number[]): void {
  map.set(index, [...(map.get(index) ?? []), ...ids])
}

/**
 * Registers the open threads of one card as comments of the file and says where each goes.
 * `fallbackDate`: for a comment without a time (never shown as 1970).
 */
export function placeComments(
  answer: PMNode,
  threads: readonly BookThread[],
  state: DocumentState,
  fallbackDate: Date,
): CommentAnchors {
  const anchors: CommentAnchors = { starts: new Map(), ends: new Map(), detached: [] }
  const spans = spansOf(answer)
  for (const thread of threads) {
    if (thread.resolved || thread.comments.length === 0) continue
    const span =
      spans.comments.get(thread.id) ??
      (thread.suggestionId !== null ? spans.suggestions.get(thread.suggestionId) : undefined)
    const ids = thread.comments.map(() => state.takeId())
    const root = ids[0]
    if (root === undefined) continue
    thread.comments.forEach((comment, index) => {
      const id = ids[index] ?? root
      const quote = index === 0 && !span ? thread.quote : null
      state.comments.push({
        id,
        author: xmlSafe(personLabel(comment.author)),
        initials: xmlSafe(initialsOf(comment.author?.name ?? 'Kartu')),
        date: comment.at > 0 ? new Date(comment.at) : fallbackDate,
        children: commentBody(comment, quote),
        ...(index > 0 ? { parentId: root } : {}),
      })
    })
    if (span) {
      add(anchors.starts, span.first, ids)
      add(anchors.ends, span.last, ids)
    } else {
      anchors.detached.push(...ids)
    }
  }
  return anchors
}

function commentBody(comment: BookComment, quote: string | null): Paragraph[] {
  const body = textParagraphs(comment.body)
  if (quote === null) return body
  const [first, ...rest] = textParagraphs(`${Label.orphanedComment}: “${quote}”`, { italics: true })
  return first ? [first, ...rest, ...body] : body
}
