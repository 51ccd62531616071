/**
 * What values the answer's attributes may hold, as ProseMirror attribute validators. They are
 * part of the schema (Tiptap passes `validate` on to ProseMirror), so the browser's editor and
 * the server's schema guard agree on them: a heading level of "2 onmouseover=..." or a lock of
 * "yes" is not an answer Kartu can hold, whoever wrote it.
 */

/** Ids of suggestions and threads: random UUIDs in practice; bounded, no markup. */
const ID = /^[A-Za-z0-9_-]{1,64}$/

function invalid(what: string, value: unknown): RangeError {
  const shown = JSON.stringify(value) ?? String(value)
  return new RangeError(
    `${what} may not be ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`,
  )
}

/** A suggestion's or a thread's id. */
export function validateId(value: unknown): void {
  if (typeof value !== 'string' || !ID.test(value)) throw invalid('an id', value)
}

/** `locked` on a block: true, or absent (null). */
export function validateLock(value: unknown): void {
  if (value !== null && value !== true) throw invalid('a lock', value)
}

/** A heading's level, among those the answer allows. */
export function validateLevel(levels: readonly number[]): (value: unknown) => void {
  return (value) => {
    if (typeof value !== 'number' || !levels.includes(value))
      throw invalid('a heading level', value)
  }
}

/** A numbered list's first number. */
export function validateListStart(value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000) {
    throw invalid('a list start', value)
  }
}

/** A numbered list's numbering style (HTML's `type`): absent, or one of 1 a A i I. */
export function validateListType(value: unknown): void {
  if (value !== null && !(typeof value === 'string' && /^[1aAiI]$/.test(value))) {
    throw invalid('a list type', value)
  }
}

/** Mark names a format change may record (formatting marks, never review marks). */
const MARK_NAME = /^[a-zA-Z]{1,32}$/

/** A format change's `before`: the formatting marks the text had, by name. */
export function validateFormatBefore(value: unknown): void {
  if (
    !Array.isArray(value) ||
    value.length > 8 ||
    !value.every((name) => typeof name === 'string' && MARK_NAME.test(name))
  ) {
    throw invalid('a format change', value)
  }
}

/** A join suggestion on a textblock: absent, or the id of the suggestion. */
export function validateOptionalId(value: unknown): void {
  if (value !== null) validateId(value)
}

/** The textblock types a block format suggestion may restore. */
const TEXTBLOCKS = ['paragraph', 'heading']

/**
 * A block format suggestion on a textblock: absent, or `{ id, type, attrs }`: the suggestion's
 * id and the type and attributes the block had before (what rejecting it restores).
 */
export function validateBlockFormat(value: unknown): void {
  if (value === null) return
  const record = value as { id?: unknown; type?: unknown; attrs?: unknown }
  const attrs = record?.attrs as Record<string, unknown> | undefined
  const ok =
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value as object).every(
      (key) => key === 'id' || key === 'type' || key === 'attrs',
    ) &&
    typeof record.type === 'string' &&
    TEXTBLOCKS.includes(record.type) &&
    typeof attrs === 'object' &&
    attrs !== null &&
    !Array.isArray(attrs) &&
    Object.entries(attrs).every(
      ([key, attr]) =>
        /^[a-zA-Z]{1,32}$/.test(key) &&
        (attr === null || typeof attr === 'number' || typeof attr === 'boolean'),
    )
  if (!ok) throw invalid('a block format suggestion', value)
  validateId(record.id)
}
