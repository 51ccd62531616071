/**
 * An answer (a ProseMirror document of the answer schema) as Word paragraphs: headings, bullet
 * and numbered lists (nested), bold, italic and hard breaks; in review, every pending suggestion
 * as a tracked change of its author and date, and the comment ranges of open threads.
 *
 * How each suggestion is written:
 * - inserted text: w:ins; deleted text: w:del (docx writes w:delText); text inserted by one
 *   person and deleted by another: w:del nested in w:ins, as Word writes it;
 * - format change: the run with its formatting now and a w:rPrChange holding the formatting it
 *   had (`before`); of several on one run, the oldest, as the formatting before all of them;
 * - block type change (`formatSuggestion`): a w:pPrChange with the style the block had;
 * - suggested break (a textblock starting with the break marker): the paragraph mark of the
 *   textblock before it inserted, the marker itself not written. In Word a paragraph mark ends
 *   its paragraph, so the mark that a new break adds is the previous paragraph's: rejecting it
 *   joins the two, as rejecting the suggestion does. A marker someone suggests deleting deletes
 *   that mark as well;
 * - join (`joinSuggestion`): the paragraph mark of the textblock before it deleted.
 * Text carrying several insertions (or deletions) of different people is written as the first
 * one's: Word gives a run one author.
 *
 * In clean mode the caller passes the agreed text (every suggestion rejected, no comment marks)
 * and no review: whatever marks are left are not read.
 */
import {
  BLOCK_BREAK,
  type BlockFormat,
  FORMAT_SUGGESTION,
  JOIN_SUGGESTION,
  MarkName,
} from '@kartu/schema'
import type { Mark, Node as PMNode } from '@tiptap/pm/model'
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  InsertedTextRun,
  type IRunOptions,
  Paragraph,
  type ParagraphChild,
  TextRun,
} from 'docx'
import { type BookSuggestion, personLabel } from './cardContent.ts'
import type { CommentAnchors } from './docxComments.ts'
import {
  BULLET_LIST,
  type Change,
  type DocumentState,
  LIST_LEVELS,
  listIndent,
  wordDate,
} from './docxState.ts'
import { xmlSafe } from './docxText.ts'

/** What review mode needs beside the answer. */
export type AnswerReview = {
  suggestions: ReadonlyMap<string, BookSuggestion>
  anchors: CommentAnchors
  /** For a suggestion whose time is unknown (w:date is written for every change). */
  fallbackDate: string
}

/** The Word style of an answer heading: the book's own headings take levels 1 and 2. */
export const ANSWER_HEADING_STYLE: Record<number, string> = { 2: 'Heading3', 3: 'Heading4' }
/** A paragraph's style, named where a block type change says what it was. */
const PARAGRAPH_STYLE = 'Normal'

type Numbering = { reference: string; level: number; instance: number }

/** Where a textblock sits in a list: the first of its item (numbered), or a later one. */
type ListPlace = { numbering: Numbering } | { indent: number } | null

type Draft = {
  /** Null for a paragraph: Normal, or List Paragraph in a list, as Word does. */
  style: string | null
  place: ListPlace
  children: ParagraphChild[]
  /** Its paragraph mark inserted (a suggested break after it) or deleted (a join). */
  markInserted: Change | null
  markDeleted: Change | null
  /** A suggested block type change: the style it had. */
  former: { change: Change; style: string } | null
}

function headingStyle(type: string, attrs: Record<string, unknown>): string | null {
  if (type !== 'heading') return null
  return ANSWER_HEADING_STYLE[Number(attrs.level)] ?? ANSWER_HEADING_STYLE[2] ?? null
}

function idOf(marks: readonly Mark[], name: string): string | null {
  for (const mark of marks) {
    if (mark.type.name === name && typeof mark.attrs.id === 'string') return mark.attrs.id
  }
  return null
}

const isList = (node: PMNode) => node.type.name === 'bulletList' || node.type.name === 'orderedList'

class AnswerWriter {
  private readonly drafts: Draft[] = []
  /** Index of the next inline node, in document order (as docxComments.ts counts them). */
  private inline = 0

  constructor(
    private readonly state: DocumentState,
    private readonly review: AnswerReview | null,
  ) {}

  write(answer: PMNode): Paragraph[] {
    answer.forEach((child) => {
      this.block(child, 0, null)
    })
    return this.drafts.map(paragraphOf)
  }

  /** `depth`: the level a list met here has. */
  private block(node: PMNode, depth: number, place: ListPlace): void {
    if (node.isTextblock) {
      this.textblock(node, place)
      return
    }
    if (!isList(node)) {
      node.forEach((child) => {
        this.block(child, depth, place)
      })
      return
    }
    const level = Math.min(depth, LIST_LEVELS - 1)
    const reference =
      node.type.name === 'orderedList'
        ? this.state.orderedList(node.attrs.type, node.attrs.start)
        : BULLET_LIST
    // Every list its own instance: a numbered list after a paragraph starts again at its start.
    const instance = this.state.takeListInstance()
    node.forEach((item) => {
      item.forEach((child, _offset, index) => {
        if (isList(child)) this.block(child, depth + 1, null)
        else if (child.isTextblock) {
          this.textblock(
            child,
            index === 0
              ? { numbering: { reference, level, instance } }
              : { indent: listIndent(level) },
          )
        } else this.block(child, depth + 1, { indent: listIndent(level) })
      })
    })
  }

  private textblock(node: PMNode, place: ListPlace): void {
    const previous = this.drafts.at(-1) ?? null
    const draft: Draft = {
      style: headingStyle(node.type.name, node.attrs),
      place,
      children: [],
      markInserted: null,
      markDeleted: null,
      former: null,
    }
    if (this.review) {
      const joinId: unknown = node.attrs[JOIN_SUGGESTION]
      if (typeof joinId === 'string' && previous) previous.markDeleted ??= this.change(joinId)
      const format = node.attrs[FORMAT_SUGGESTION] as BlockFormat | null | undefined
      if (format) {
        const style = headingStyle(format.type, format.attrs) ?? PARAGRAPH_STYLE
        draft.former = { change: this.change(format.id), style }
      }
      if (!previous) {
        // Threads whose words are gone: a point at the start of the answer.
        for (const id of this.review.anchors.detached) {
          draft.children.push(new CommentRangeStart(id), new CommentRangeEnd(id), referenceRun(id))
        }
      }
    }
    node.forEach((child, _offset, index) => {
      this.inlineNode(child, index === 0, draft, previous)
    })
    this.drafts.push(draft)
  }

  private inlineNode(node: PMNode, first: boolean, draft: Draft, previous: Draft | null): void {
    const index = this.inline++
    for (const id of this.review?.anchors.starts.get(index) ?? []) {
      draft.children.push(new CommentRangeStart(id))
    }
    const hardBreak = node.type.name === 'hardBreak'
    let text = node.isText ? xmlSafe(node.text ?? '') : ''
    const insertion = idOf(node.marks, MarkName.Insertion)
    const deletion = idOf(node.marks, MarkName.Deletion)
    if (this.review && first && insertion !== null && text.startsWith(BLOCK_BREAK)) {
      // A suggested break: the previous paragraph's mark is what it inserts.
      text = text.slice(BLOCK_BREAK.length)
      if (previous) {
        previous.markInserted ??= this.change(insertion)
        if (deletion !== null) previous.markDeleted ??= this.change(deletion)
      }
    }
    if (hardBreak || text.length > 0) {
      draft.children.push(this.run(node.marks, hardBreak ? { break: 1 } : { text }))
    }
    for (const id of this.review?.anchors.ends.get(index) ?? []) {
      draft.children.push(new CommentRangeEnd(id), referenceRun(id))
    }
  }

  private run(
    marks: readonly Mark[],
    content: { text: string } | { break: number },
  ): ParagraphChild {
    const has = (name: string) => marks.some((mark) => mark.type.name === name)
    const options: IRunOptions = {
      ...content,
      ...(has('bold') ? { bold: true } : {}),
      ...(has('italic') ? { italics: true } : {}),
    }
    if (!this.review) return new TextRun(options)
    const format = this.formatChange(marks)
    const styled: IRunOptions = format
      ? {
          ...options,
          revision: {
            ...this.change(format.id),
            bold: format.before.includes('bold'),
            italics: format.before.includes('italic'),
          },
        }
      : options
    const insertion = idOf(marks, MarkName.Insertion)
    const deletion = idOf(marks, MarkName.Deletion)
    if (insertion !== null && deletion !== null) {
      return new DeletedInsertion(this.change(insertion), { ...styled, ...this.change(deletion) })
    }
    if (insertion !== null) return new InsertedTextRun({ ...styled, ...this.change(insertion) })
    if (deletion !== null) return new DeletedTextRun({ ...styled, ...this.change(deletion) })
    return new TextRun(styled)
  }

  /** Of the format changes on a run, the oldest: its `before` is the formatting before all. */
  private formatChange(marks: readonly Mark[]): { id: string; before: string[] } | null {
    let oldest: { id: string; before: string[]; at: number } | null = null
    for (const mark of marks) {
      if (mark.type.name !== MarkName.FormatChange || typeof mark.attrs.id !== 'string') continue
      const before: unknown = mark.attrs.before
      const at = this.review?.suggestions.get(mark.attrs.id)?.at ?? Number.POSITIVE_INFINITY
      if (oldest && oldest.at <= at) continue
      oldest = {
        id: mark.attrs.id,
        before: Array.isArray(before) ? before.filter((name) => typeof name === 'string') : [],
        at,
      }
    }
    return oldest
  }

  /** A new tracked change of suggestion `id`, by its author at its time. */
  private change(id: string): Change {
    const suggestion = this.review?.suggestions.get(id)
    return {
      id: this.state.takeId(),
      author: xmlSafe(personLabel(suggestion?.author ?? null)),
      date:
        suggestion && suggestion.at > 0
          ? wordDate(suggestion.at)
          : (this.review?.fallbackDate ?? ''),
    }
  }
}

/** Text one person inserted and another deleted: w:del nested in w:ins, as Word writes it. */
class DeletedInsertion extends InsertedTextRun {
  constructor(insertion: Change, deletion: IRunOptions & Change) {
    super(insertion)
    // docx's insertion holds its attributes, then its run: the run gives way to the deletion.
    this.root.splice(1, this.root.length - 1, new DeletedTextRun(deletion))
  }
}

function referenceRun(id: number): TextRun {
  return new TextRun({ children: [new CommentReference(id)] })
}

function placeOptions(place: ListPlace) {
  if (!place) return {}
  return 'numbering' in place ? { numbering: place.numbering } : { indent: { left: place.indent } }
}

function paragraphOf(draft: Draft): Paragraph {
  const mark =
    draft.markInserted || draft.markDeleted
      ? {
          run: {
            ...(draft.markInserted ? { insertion: draft.markInserted } : {}),
            ...(draft.markDeleted ? { deletion: draft.markDeleted } : {}),
          },
        }
      : {}
  const former = draft.former
    ? {
        revision: {
          ...draft.former.change,
          style: draft.former.style,
          ...placeOptions(draft.place),
        },
      }
    : {}
  return new Paragraph({
    ...(draft.style ? { style: draft.style } : {}),
    ...placeOptions(draft.place),
    ...mark,
    ...former,
    children: draft.children,
  })
}

/**
 * The answer's paragraphs. `review` null: clean mode, the answer already being the agreed text.
 */
export function answerParagraphs(
  answer: PMNode,
  state: DocumentState,
  review: AnswerReview | null,
): Paragraph[] {
  return new AnswerWriter(state, review).write(answer)
}
