/**
 * The shapes of a card document's fields beside the answer (cardLayout.ts says where each
 * lives): suggestion metadata, the decision log, comment threads (replies on a suggestion
 * included). Every client writes these, a
 * modified one too, so the server checks each entry an update touches against these zod shapes:
 * no unknown keys, no wrong types, no oversized strings, and the right kind of Yjs type where a
 * shared type is expected. Bounds are generous for honest use and small against abuse.
 */
import * as Y from 'yjs'
import { z } from 'zod'
import { CommentField, DecisionOutcome, SuggestionKind, ThreadField } from './cardLayout.ts'

/** Ids of suggestions, threads and comments (random UUIDs in practice). */
export const entryIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id')
/** Ministry ids, as the REST API has them. */
const ministryIdSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a ministry id')
const time = z.number().finite().nonnegative()

const suggestionKindSchema = z.enum(
  Object.values(SuggestionKind) as [SuggestionKind, ...SuggestionKind[]],
)

export const suggestionMetaSchema = z.strictObject({
  kind: suggestionKindSchema,
  createdAt: time,
})

export const decisionSchema = z.strictObject({
  suggestionId: entryIdSchema,
  kind: suggestionKindSchema,
  outcome: z.enum([DecisionOutcome.Accepted, DecisionOutcome.Rejected, DecisionOutcome.Withdrawn]),
  text: z.string().max(20_000),
  suggestedBy: z.string().max(300).nullable(),
  reason: z.string().max(2_000),
  at: time,
})

/** A thread's own values; `mentions` and `comments` are shared types, checked apart. */
const threadValues = {
  [ThreadField.Quote]: z.string().max(10_000),
  [ThreadField.CreatedAt]: time,
  [ThreadField.Resolved]: z.boolean(),
  [ThreadField.SuggestionId]: entryIdSchema,
} as const

const commentSchema = z.strictObject({
  [CommentField.Id]: entryIdSchema,
  [CommentField.Body]: z.string().max(10_000),
  [CommentField.CreatedAt]: time,
  [CommentField.EditedAt]: time,
  [CommentField.Deleted]: z.boolean(),
})
const partialComment = commentSchema.partial()

const MAX_MENTIONS = 200
const MAX_COMMENTS = 2_000

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid'
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  return `${where}${issue.message}`
}

/** A plain JSON entry (not a Yjs type) that `schema` accepts; the problem, or null. */
function jsonProblem(schema: z.ZodType, value: unknown): string | null {
  if (value instanceof Y.AbstractType) return 'a shared type where plain data belongs'
  const parsed = schema.safeParse(value)
  return parsed.success ? null : firstIssue(parsed.error)
}

/** The problem with one entry of `suggestions` (id -> metadata), or null. */
export function suggestionEntryProblem(id: string, value: unknown): string | null {
  if (!entryIdSchema.safeParse(id).success) return 'the suggestion id is not an id'
  return jsonProblem(suggestionMetaSchema, value)
}

/** The problem with one entry of `decisions` written by a client, or null. */
export function decisionProblem(value: unknown): string | null {
  return jsonProblem(decisionSchema, value)
}

export const restoreRecordSchema = z.strictObject({
  kind: z.literal('restore'),
  versionId: z.string().max(64),
  versionName: z.string().max(300).nullable(),
  versionAt: time,
  beforeVersionId: z.string().max(64),
  reason: z.string().max(2_000),
  at: time,
  orphaned: z
    .array(
      z.strictObject({
        suggestionId: entryIdSchema,
        kind: suggestionKindSchema,
        text: z.string().max(20_000),
        suggestedBy: z.string().max(300).nullable(),
      }),
    )
    .max(10_000),
})

/**
 * The problem with one entry of `decisions` as stored, or null: a client's decision, or a
 * restore the server recorded (which clients may not write: see decisionProblem).
 */
export function storedDecisionProblem(value: unknown): string | null {
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'restore'
  ) {
    return jsonProblem(restoreRecordSchema, value)
  }
  return decisionProblem(value)
}

/** The problem with one comment of a thread, or null. */
function commentProblem(value: unknown): string | null {
  if (!(value instanceof Y.Map)) return 'a comment that is not a map'
  const parsed = partialComment.safeParse(Object.fromEntries(value.entries()))
  if (!parsed.success) return firstIssue(parsed.error)
  return parsed.data.id === undefined ? 'a comment without id' : null
}

/** The problem with one thread (id -> Y.Map), everything in it included, or null. */
export function threadProblem(id: string, value: unknown): string | null {
  if (!entryIdSchema.safeParse(id).success) return 'the thread id is not an id'
  if (!(value instanceof Y.Map)) return 'a thread that is not a map'
  for (const [key, entry] of value.entries()) {
    if (key === ThreadField.Mentions) {
      if (!(entry instanceof Y.Array)) return 'mentions that are not a list'
      if (entry.length > MAX_MENTIONS) return 'too many mentions'
      for (const mention of entry.toArray() as unknown[]) {
        if (!ministryIdSchema.safeParse(mention).success) return 'a mention that is not a ministry'
      }
    } else if (key === ThreadField.Comments) {
      if (!(entry instanceof Y.Array)) return 'comments that are not a list'
      if (entry.length > MAX_COMMENTS) return 'too many comments'
      for (const comment of entry.toArray() as unknown[]) {
        const problem = commentProblem(comment)
        if (problem) return problem
      }
    } else if (Object.hasOwn(threadValues, key)) {
      const problem = jsonProblem(threadValues[key as keyof typeof threadValues], entry)
      if (problem) return `${key}: ${problem}`
    } else {
      return `unknown field ${JSON.stringify(key).slice(0, 40)} in a thread`
    }
  }
  return null
}
