/**
 * @kartu/schema: the cue card's document model, shared by client and server. Tiptap extensions
 * that run headless, the names of the fields inside card and deck documents, and pure functions
 * over them.
 */
export { ANSWER_FIELD } from './cardLayout.ts'
export { createAnswerExtensions, getAnswerSchema } from './extensions.ts'
export { countWords, fragmentToPlainText } from './plainText.ts'
export { type AnswerBlock, writeAnswer } from './seed.ts'
