/**
 * The marks of review: suggested insertions and deletions, and comment anchors.
 *
 * None of them excludes itself (`excludes: ''`): y-prosemirror stores a self-excluding mark under
 * one key per text run, so when two ministries suggest on the same words the last writer would
 * silently replace the other's mark. Non-excluding marks are stored under `name--hash(attrs)`,
 * so every suggestion and every thread keeps its own mark.
 */
import { Mark, mergeAttributes } from '@tiptap/core'
import { validateFormatBefore, validateId } from './attributeRules.ts'

export const MarkName = {
  Insertion: 'insertion',
  Deletion: 'deletion',
  /** Formatting (bold, italic) a suggester added or removed: the text shows the new formatting. */
  FormatChange: 'formatChange',
  Comment: 'comment',
} as const
export type MarkName = (typeof MarkName)[keyof typeof MarkName]

const idAttribute = (name: string, htmlName: string) => ({
  [name]: {
    default: null as string | null,
    // A review mark without a valid id points at nothing: it is refused, not shown.
    validate: validateId,
    parseHTML: (element: { getAttribute(name: string): string | null }) =>
      element.getAttribute(htmlName),
    renderHTML: (attributes: Record<string, unknown>) => ({ [htmlName]: attributes[name] }),
  },
})

/** Text a suggester proposes to add. `id` keys the suggestion's metadata in the card document. */
export const InsertionMark = Mark.create({
  name: MarkName.Insertion,
  excludes: '',
  inclusive: false,
  addAttributes: () => idAttribute('id', 'data-suggestion-id'),
  parseHTML: () => [{ tag: 'ins[data-suggestion-id]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'ins',
    mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--insertion' }),
    0,
  ],
})

/** Text a suggester proposes to remove: it stays visible, struck through, until decided. */
export const DeletionMark = Mark.create({
  name: MarkName.Deletion,
  excludes: '',
  inclusive: false,
  addAttributes: () => idAttribute('id', 'data-suggestion-id'),
  parseHTML: () => [{ tag: 'del[data-suggestion-id]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'del',
    mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--deletion' }),
    0,
  ],
})

/**
 * Formatting a suggester changed: the text carries its new formatting for real, and this mark
 * records the formatting marks it had `before` (by name), which rejecting restores. One mark per
 * run of text with the same former formatting; all of one change share the suggestion's id.
 */
export const FormatChangeMark = Mark.create({
  name: MarkName.FormatChange,
  excludes: '',
  inclusive: false,
  addAttributes: () => ({
    ...idAttribute('id', 'data-suggestion-id'),
    before: {
      default: [] as string[],
      validate: validateFormatBefore,
      parseHTML: (element: { getAttribute(name: string): string | null }) =>
        (element.getAttribute('data-format-before') ?? '').split(' ').filter(Boolean),
      renderHTML: (attributes: Record<string, unknown>) => ({
        'data-format-before': (attributes.before as string[]).join(' '),
      }),
    },
  }),
  parseHTML: () => [{ tag: 'span[data-format-before][data-suggestion-id]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'span',
    mergeAttributes(HTMLAttributes, { class: 'suggestion suggestion--format' }),
    0,
  ],
})

/** The span a comment thread is about. */
export const CommentMark = Mark.create({
  name: MarkName.Comment,
  excludes: '',
  inclusive: false,
  addAttributes: () => idAttribute('threadId', 'data-thread-id'),
  parseHTML: () => [{ tag: 'span[data-thread-id]' }],
  renderHTML: ({ HTMLAttributes }) => [
    'span',
    mergeAttributes(HTMLAttributes, { class: 'comment-anchor' }),
    0,
  ],
})
