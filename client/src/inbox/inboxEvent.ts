/**
 * The data of one `inbox` server-sent event (`GET /api/me/events`), checked with its schema: a
 * malformed one is ignored, the stream goes on.
 */
import { type InboxEvent, inboxEventSchema } from '@kartu/protocol'

export function parseInboxEvent(data: unknown): InboxEvent | null {
  if (typeof data !== 'string') return null
  let payload: unknown
  try {
    payload = JSON.parse(data)
  } catch {
    return null
  }
  const parsed = inboxEventSchema.safeParse(payload)
  return parsed.success ? parsed.data : null
}
