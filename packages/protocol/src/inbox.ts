/**
 * A person's inbox (issue 16): what asks for their attention, across their decks, with unread
 * counts pushed live (server-sent events) and, where configured, e-mail.
 */
import { z } from 'zod'
import { personRefSchema } from './api.ts'

/**
 * Why an item is in someone's inbox: their ministry (or they) mentioned in a comment, a reply in
 * a thread they wrote in, a decision on their suggestion, their clearance made stale by a later
 * change, a card assigned to their ministry, a card's due date near.
 */
export const inboxKindSchema = z.enum([
  'mention',
  'reply',
  'decision',
  'clearance_stale',
  'assigned',
  'due_soon',
])
export type InboxKind = z.infer<typeof inboxKindSchema>

export const inboxItemSchema = z.object({
  id: z.string(),
  kind: inboxKindSchema,
  at: z.number().int(),
  deckId: z.string(),
  cardId: z.string(),
  cardRef: z.string(),
  /** Who did it; null for what the server did by itself (a due date near). */
  actor: personRefSchema.nullable(),
  /** The exact place in the card: a thread, a suggestion, or the version a clearance held. */
  threadId: z.string().nullable(),
  suggestionId: z.string().nullable(),
  versionId: z.string().nullable(),
  /** What the item says beyond its kind: a comment's words, an outcome, a ministry, a date. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  readAt: z.number().int().nullable(),
})
export type InboxItem = z.infer<typeof inboxItemSchema>

/** `GET /api/me/inbox?unread=true&limit=`: newest first. */
export const inboxQuerySchema = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

export const inboxResponseSchema = z.object({
  items: z.array(inboxItemSchema),
  unread: z.number().int(),
})
export type InboxResponse = z.infer<typeof inboxResponseSchema>

/** `POST /api/me/inbox/read`: these items, or every item (`all`), marked read. */
export const inboxReadRequestSchema = z
  .object({
    ids: z.array(z.string().min(1).max(100)).max(500).optional(),
    all: z.boolean().optional(),
  })
  .refine((value) => value.all === true || (value.ids?.length ?? 0) > 0, 'ids or all')
export type InboxReadRequest = z.infer<typeof inboxReadRequestSchema>

export const inboxReadResponseSchema = z.object({ unread: z.number().int() })

/** One person's notification settings. */
export const notificationSettingsSchema = z.object({
  /** E-mail a mention of me or my ministry at once (when the server has SMTP). */
  emailMentions: z.boolean(),
  /** E-mail the rest as a digest. */
  emailDigest: z.boolean(),
  /** The language of e-mails. */
  language: z.enum(['id', 'en']),
  /** Inbox kinds the person does not want (never e-mailed either). */
  muted: z.array(inboxKindSchema),
})
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  emailMentions: true,
  emailDigest: true,
  language: 'id',
  muted: [],
}

export const notificationSettingsResponseSchema = z.object({
  settings: notificationSettingsSchema,
  /** Whether this server sends e-mail at all (KARTU_SMTP_URL set). */
  emailAvailable: z.boolean(),
})
export type NotificationSettingsResponse = z.infer<typeof notificationSettingsResponseSchema>

export const notificationSettingsRequestSchema = notificationSettingsSchema.partial()

/** What `GET /api/me/events` (server-sent events, event `inbox`) sends: the unread count now. */
export const inboxCountEventSchema = z.object({
  unread: z.number().int(),
  /** The item that just arrived, if one did (absent when items were read). */
  item: inboxItemSchema.optional(),
})
export type InboxCountEvent = z.infer<typeof inboxCountEventSchema>

/**
 * Events may have been lost: the server could not hear the other nodes for a while (several
 * nodes, Redis away and back). The client asks for its unread count and items again.
 */
export const inboxResyncEventSchema = z.object({ resync: z.literal(true) })

/** Either event of `GET /api/me/events`. */
export const inboxEventSchema = z.union([inboxCountEventSchema, inboxResyncEventSchema])
export type InboxEvent = z.infer<typeof inboxEventSchema>
