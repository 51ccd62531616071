/**
 * How y-prosemirror (y-tiptap) stores ProseMirror marks on Yjs text: as formatting attributes.
 * A mark that excludes itself (bold, italic) is stored under its name. A mark that does not
 * (insertion, deletion, comment: several of them may cover the same letters) is stored under
 * `name--<hash>`, where the hash is 8 base64 characters of the mark's JSON, so that marks with
 * different attributes get different keys.
 *
 * Read and written in one place: the server's schema guard checks that every key is exactly the
 * one y-prosemirror would write (a key it would not write is rewritten by the next editor that
 * touches the text, which looks like a change to someone else's suggestion). The hash is
 * y-prosemirror's own recipe (sha256 of lib0's encodeAny of the JSON, folded to 6 bytes); a test
 * beside this file holds it against what @tiptap/y-tiptap writes, so an upgrade that changes it
 * fails loudly.
 */
import type { Mark } from '@tiptap/pm/model'
import { encodeAny, toBase64 } from 'lib0/buffer'
import { digest } from 'lib0/hash/sha256'
import { getAnswerSchema } from './extensions.ts'

/** `name--XXXXXXXX`: y-prosemirror's key of a mark that does not exclude itself. */
const HASHED_KEY = /^(.*)--([a-zA-Z0-9+/=]{8})$/

/** The mark name a formatting key stands for (the key without its hash). */
export function markNameOfKey(key: string): string {
  return HASHED_KEY.exec(key)?.[1] ?? key
}

/** y-prosemirror's hash of a JSON value: sha256 of its lib0 encoding, folded to 6 bytes. */
function hashOfJson(json: unknown): string {
  const hash = digest(encodeAny(json))
  const folded = 6
  for (let i = folded; i < hash.length; i++) {
    hash[i % folded] = (hash[i % folded] as number) ^ (hash[i] as number)
  }
  return toBase64(hash.slice(0, folded))
}

/** The formatting key under which y-prosemirror stores `mark`. */
export function markKey(mark: Mark): string {
  return mark.type.excludes(mark.type)
    ? mark.type.name
    : `${mark.type.name}--${hashOfJson(mark.toJSON())}`
}

/**
 * The formatting attribute y-prosemirror writes for a mark of the answer: `{ [key]: attrs }`,
 * for code that writes Yjs text directly (the server, tests, the benchmark's clients).
 */
export function answerMarkFormat(
  name: string,
  attrs: Record<string, unknown> = {},
): Record<string, Record<string, unknown>> {
  const type = getAnswerSchema().marks[name]
  if (!type) throw new Error(`the answer has no mark ${name}`)
  const mark = type.create(attrs)
  return { [markKey(mark)]: mark.attrs }
}
