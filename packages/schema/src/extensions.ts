/**
 * The answer editor's document model as Tiptap extensions that run without a DOM or React, so the
 * server builds the same ProseMirror schema as the browser.
 */
import { type AnyExtension, getSchema } from '@tiptap/core'
import type { Schema } from '@tiptap/pm/model'
import StarterKit from '@tiptap/starter-kit'
import { BlockLock } from './blockLock.ts'
import { CommentMark, DeletionMark, InsertionMark } from './reviewMarks.ts'

/**
 * Paragraphs, headings (levels 2-3: the card's question is the title), bold, italic, bullet and
 * numbered lists, hard breaks; the review marks (suggested insertion and deletion,
 * comment); and the lock of a block as agreed text. Undo is left out on purpose: with Yjs, undo must come from the
 * Collaboration extension (y-undo), which undoes only the local user's changes.
 */
export function createAnswerExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      undoRedo: false,
      heading: { levels: [2, 3] },
      blockquote: false,
      code: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      underline: false,
      link: false,
    }),
    InsertionMark,
    DeletionMark,
    CommentMark,
    BlockLock,
  ]
}

let answerSchema: Schema | null = null

/** The ProseMirror schema of an answer (built once). */
export function getAnswerSchema(): Schema {
  answerSchema ??= getSchema(createAnswerExtensions())
  return answerSchema
}
