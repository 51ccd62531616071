/**
 * Sign-off and the work list (issue 16): who must answer a card and by when, the ministries'
 * clearances, the deck's focal persons, the dashboard's filters and search.
 */
import { z } from 'zod'
import { cardSchema, clearanceSchema, dueDateSchema, idSchema, roleSchema } from './api.ts'

/** `PUT /api/cards/:cardId/assignment` (chair): who answers the card, and by when. */
export const assignmentRequestSchema = z.object({
  leadMinistryId: idSchema,
  contributingMinistryIds: z.array(idSchema).max(50).default([]),
  /** A calendar day (YYYY-MM-DD), or null for none. */
  dueDate: dueDateSchema.nullable().default(null),
})
export type AssignmentRequest = z.input<typeof assignmentRequestSchema>

/** `POST /api/cards/:cardId/clearances`: the clearance given, and the card as it is now. */
export const clearanceResponseSchema = z.object({
  clearance: clearanceSchema,
  card: cardSchema,
  role: roleSchema,
})
export type ClearanceResponse = z.infer<typeof clearanceResponseSchema>

export const clearanceParams = z.object({
  cardId: z.string().min(1).max(100),
  ministryId: idSchema,
})

/** A ministry's focal persons in a deck: who its inbox items go to first. */
export const focalPersonsSchema = z.object({
  ministryId: z.string(),
  userIds: z.array(z.string()),
})
export type FocalPersons = z.infer<typeof focalPersonsSchema>

/** `GET /api/decks/:deckId/focal-persons`. */
export const focalPersonsResponseSchema = z.object({ focalPersons: z.array(focalPersonsSchema) })
export type FocalPersonsResponse = z.infer<typeof focalPersonsResponseSchema>

/** `PUT /api/decks/:deckId/focal-persons/:ministryId` (chair): members of that ministry. */
export const focalPersonsRequestSchema = z.object({
  userIds: z.array(z.string().min(1).max(100)).max(20),
})
export type FocalPersonsRequest = z.infer<typeof focalPersonsRequestSchema>

/**
 * The dashboard's filters, for `GET /api/decks/:deckId/cards?filter=…` (comma-separated, all must
 * hold): `mine` (my ministry leads or contributes), `waiting` (my ministry is assigned and has not
 * cleared the current text), `mentions` (an open thread mentions my ministry), `changed` (changed
 * by others since my last visit), `due_soon` (due within the next days, not final), `open`
 * (pending suggestions or open threads).
 */
export const cardFilterSchema = z.enum([
  'mine',
  'waiting',
  'mentions',
  'changed',
  'due_soon',
  'open',
])
export type CardFilter = z.infer<typeof cardFilterSchema>

export const cardListQuerySchema = z.object({
  filter: z
    .string()
    .max(200)
    .optional()
    .transform((value, context) => {
      const names = (value ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
      const filters: CardFilter[] = []
      for (const name of names) {
        const parsed = cardFilterSchema.safeParse(name)
        if (!parsed.success) {
          context.addIssue({ code: 'custom', message: `unknown filter ${name}` })
          return z.NEVER
        }
        filters.push(parsed.data)
      }
      return filters
    }),
  status: z.string().max(200).optional(),
  cluster: z.string().max(200).optional(),
})

/** Days before its due date when a card counts as due soon (filter and inbox). */
export const DUE_SOON_DAYS = 3

/** `GET /api/decks/:deckId/search?q=…`: cards whose question or answer has every word. */
export const searchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})

export const searchFieldSchema = z.enum(['question', 'questionId', 'answer'])
export type SearchField = z.infer<typeof searchFieldSchema>

export const searchHitSchema = z.object({
  cardId: z.string(),
  ref: z.string(),
  /** Where the words were found first: the question (English), its Indonesian text, the answer. */
  field: searchFieldSchema,
  /** The text around the words; the words found are between [[ and ]]. */
  snippet: z.string(),
})
export type SearchHit = z.infer<typeof searchHitSchema>

export const searchResponseSchema = z.object({ hits: z.array(searchHitSchema) })
export type SearchResponse = z.infer<typeof searchResponseSchema>
