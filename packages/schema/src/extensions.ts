/**
 * The answer editor's document model as Tiptap extensions that run without a DOM or React, so the
 * server builds the same ProseMirror schema as the browser.
 */
import { type AnyExtension, type Attributes, getSchema } from '@tiptap/core'
import Heading from '@tiptap/extension-heading'
import { OrderedList } from '@tiptap/extension-list'
import type { Schema } from '@tiptap/pm/model'
import StarterKit from '@tiptap/starter-kit'
import { validateLevel, validateListStart, validateListType } from './attributeRules.ts'
import { BlockLock } from './blockLock.ts'
import { BlockSuggestions } from './blockSuggestions.ts'
import { CommentMark, DeletionMark, FormatChangeMark, InsertionMark } from './reviewMarks.ts'

/**
 * Paragraphs, headings (levels 2-3: the card's question is the title), bold, italic, bullet and
 * numbered lists, hard breaks; the review marks (suggested insertion and deletion,
 * comment); and the lock of a block as agreed text. Undo is left out on purpose: with Yjs, undo must come from the
 * Collaboration extension (y-undo), which undoes only the local user's changes.
 */
const HEADING_LEVELS = [2, 3] as const

/** Headings 2-3 whose level must be one of those (Tiptap's own accepts any value). */
const AnswerHeading = Heading.extend({
  addAttributes() {
    return {
      level: {
        default: HEADING_LEVELS[0],
        rendered: false,
        validate: validateLevel(HEADING_LEVELS),
      },
    }
  },
}).configure({ levels: [...HEADING_LEVELS] })

/** Numbered lists whose start and numbering style are what HTML's <ol> allows. */
const AnswerOrderedList = OrderedList.extend({
  addAttributes() {
    const parent: Attributes = this.parent?.() ?? {}
    return {
      ...parent,
      start: { ...parent.start, validate: validateListStart },
      type: { ...parent.type, validate: validateListType },
    }
  },
})

export function createAnswerExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      heading: false,
      orderedList: false,
      blockquote: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      link: false,
    }),
    AnswerHeading,
    AnswerOrderedList,
    InsertionMark,
    DeletionMark,
    FormatChangeMark,
    CommentMark,
    BlockLock,
    BlockSuggestions,
  ]
}

let answerSchema: Schema | null = null

/** The ProseMirror schema of an answer (built once). */
export function getAnswerSchema(): Schema {
  answerSchema ??= getSchema(createAnswerExtensions())
  return answerSchema
}
