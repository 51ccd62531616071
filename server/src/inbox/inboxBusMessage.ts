/**
 * What one node's inbox tells the others' over the bus (several nodes, decision 0018): items
 * added, for the streams each node has open, and a person's new unread count after reading.
 * Items travel as stored; each node with a stream of that person describes them itself, so the
 * nodes without one do no work. Checked on arrival: Redis is shared, and a node of another
 * version may be running during an upgrade.
 */
import { inboxItemSchema, inboxKindSchema } from '@kartu/protocol'
import { z } from 'zod'
import type { NewInboxItem } from '../store/types.ts'

/** The bus topic of inbox events. */
export const INBOX_TOPIC = 'inbox'

const newInboxItemSchema = z.object({
  id: z.string(),
  userId: z.string(),
  deckId: z.string(),
  cardId: z.string(),
  kind: inboxKindSchema,
  at: z.number(),
  actorUserId: z.string().nullable(),
  threadId: z.string().nullable(),
  suggestionId: z.string().nullable(),
  versionId: z.string().nullable(),
  details: inboxItemSchema.shape.details,
  dedupeKey: z.string().nullable(),
}) satisfies z.ZodType<NewInboxItem>

export const inboxBusMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('added'), items: z.array(newInboxItemSchema) }),
  z.object({ kind: z.literal('read'), userId: z.string(), unread: z.number().int() }),
])
export type InboxBusMessage = z.infer<typeof inboxBusMessageSchema>
