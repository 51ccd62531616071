/**
 * People's inbox items and notification settings in PostgreSQL (see inbox/inbox.ts), as
 * sqlite/SqliteInbox.ts keeps them. Ordering by text uses COLLATE "C", SQLite's byte order.
 */
import { type NotificationSettings, notificationSettingsSchema } from '@kartu/protocol'
import { type InboxRow, SELECT_INBOX_ITEMS, toInboxRecord } from '../rows.ts'
import type { InboxRecord, InboxRecords, NewInboxItem } from '../types.ts'
import type { PgPool } from './database.ts'

export class PgInbox implements InboxRecords {
  constructor(private readonly pool: PgPool) {}

  async addInboxItems(items: readonly NewInboxItem[]): Promise<NewInboxItem[]> {
    if (items.length === 0) return []
    const column = <V>(pick: (item: NewInboxItem) => V): V[] => items.map(pick)
    // One statement (so one transaction). Rows go in the order given (ORDER BY n), so of two
    // items with the same dedupe key the first is kept, as SQLite's INSERT OR IGNORE does; an
    // item whose id or dedupe key is taken, here or by a node writing at the same moment, is
    // skipped. RETURNING tells which were added.
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO inbox_items (id, user_id, deck_id, card_id, kind, at, actor_user_id,
         thread_id, suggestion_id, version_id, details, dedupe_key)
       SELECT id, user_id, deck_id, card_id, kind, at, actor_user_id, thread_id, suggestion_id,
         version_id, details, dedupe_key
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         WITH ORDINALITY AS i(id, user_id, deck_id, card_id, kind, at, actor_user_id, thread_id,
           suggestion_id, version_id, details, dedupe_key, n)
       ORDER BY n
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        column((item) => item.id),
        column((item) => item.userId),
        column((item) => item.deckId),
        column((item) => item.cardId),
        column((item) => item.kind),
        column((item) => item.at),
        column((item) => item.actorUserId),
        column((item) => item.threadId),
        column((item) => item.suggestionId),
        column((item) => item.versionId),
        column((item) => JSON.stringify(item.details)),
        column((item) => item.dedupeKey),
      ],
    )
    // By id, each once: an item repeating an id already added in this call was skipped.
    const added = new Set(rows.map((row) => row.id))
    return items.filter((item) => added.delete(item.id))
  }

  async listInbox(
    userId: string,
    query: { unreadOnly: boolean; limit: number },
  ): Promise<InboxRecord[]> {
    const unread = query.unreadOnly ? 'AND i.read_at IS NULL' : ''
    const { rows } = await this.pool.query<InboxRow>(
      `${SELECT_INBOX_ITEMS} WHERE i.user_id = $1 ${unread}
       ORDER BY i.at DESC, i.id COLLATE "C" LIMIT $2`,
      [userId, query.limit],
    )
    return rows.map(toInboxRecord)
  }

  async countUnread(userId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM inbox_items WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    )
    return rows[0]?.n ?? 0
  }

  async markRead(userId: string, ids: readonly string[] | 'all', at: number): Promise<number> {
    const result =
      ids === 'all'
        ? await this.pool.query(
            'UPDATE inbox_items SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL',
            [at, userId],
          )
        : await this.pool.query(
            `UPDATE inbox_items SET read_at = $1
             WHERE user_id = $2 AND id = ANY($3::text[]) AND read_at IS NULL`,
            [at, userId, [...ids]],
          )
    return result.rowCount ?? 0
  }

  async listUnmailed(before: number, limit: number): Promise<InboxRecord[]> {
    const { rows } = await this.pool.query<InboxRow>(
      `${SELECT_INBOX_ITEMS} WHERE i.emailed_at IS NULL AND i.read_at IS NULL AND i.at <= $1
       ORDER BY i.at, i.id COLLATE "C" LIMIT $2`,
      [before, limit],
    )
    return rows.map(toInboxRecord)
  }

  async markEmailed(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return
    await this.pool.query('UPDATE inbox_items SET emailed_at = $1 WHERE id = ANY($2::text[])', [
      at,
      [...ids],
    ])
  }

  async getNotificationSettings(userId: string): Promise<NotificationSettings | null> {
    const { rows } = await this.pool.query<{ settings: string }>(
      'SELECT settings FROM notification_settings WHERE user_id = $1',
      [userId],
    )
    const row = rows[0]
    if (!row) return null
    const parsed = notificationSettingsSchema.safeParse(JSON.parse(row.settings))
    return parsed.success ? parsed.data : null
  }

  async setNotificationSettings(userId: string, settings: NotificationSettings): Promise<void> {
    await this.pool.query(
      `INSERT INTO notification_settings (user_id, settings) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET settings = excluded.settings`,
      [userId, JSON.stringify(settings)],
    )
  }

  async unsubscribeTokenOf(userId: string, fresh: string): Promise<string> {
    // First writer wins. Two statements, not one: when a node stores its token at the same
    // moment, this INSERT waits for it and then does nothing, and only a statement started after
    // that sees the row it committed.
    const inserted = await this.pool.query<{ token: string }>(
      `INSERT INTO unsubscribe_tokens (user_id, token) VALUES ($1, $2)
       ON CONFLICT (user_id) DO NOTHING RETURNING token`,
      [userId, fresh],
    )
    const mine = inserted.rows[0]
    if (mine) return mine.token
    const { rows } = await this.pool.query<{ token: string }>(
      'SELECT token FROM unsubscribe_tokens WHERE user_id = $1',
      [userId],
    )
    const theirs = rows[0]
    if (!theirs) throw new Error(`no unsubscribe token for ${userId}`)
    return theirs.token
  }

  async findUnsubscribeToken(token: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      'SELECT user_id FROM unsubscribe_tokens WHERE token = $1',
      [token],
    )
    return rows[0]?.user_id ?? null
  }
}
