/**
 * People's inbox items and notification settings in SQLite (see inbox/inbox.ts).
 */
import { type NotificationSettings, notificationSettingsSchema } from '@kartu/protocol'
import { type InboxRow, SELECT_INBOX_ITEMS, toInboxRecord } from '../rows.ts'
import type { InboxRecord, InboxRecords, NewInboxItem } from '../types.ts'
import type { SqliteDatabase } from './openDatabase.ts'

export class SqliteInbox implements InboxRecords {
  constructor(private readonly db: SqliteDatabase) {}

  async addInboxItems(items: readonly NewInboxItem[]): Promise<NewInboxItem[]> {
    if (items.length === 0) return []
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO inbox_items (id, user_id, deck_id, card_id, kind, at, actor_user_id,
         thread_id, suggestion_id, version_id, details, dedupe_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const added: NewInboxItem[] = []
    this.db.transaction(() => {
      for (const item of items) {
        const result = insert.run(
          item.id,
          item.userId,
          item.deckId,
          item.cardId,
          item.kind,
          item.at,
          item.actorUserId,
          item.threadId,
          item.suggestionId,
          item.versionId,
          JSON.stringify(item.details),
          item.dedupeKey,
        )
        if (result.changes > 0) added.push(item)
      }
    })()
    return added
  }

  async listInbox(
    userId: string,
    query: { unreadOnly: boolean; limit: number },
  ): Promise<InboxRecord[]> {
    const unread = query.unreadOnly ? 'AND i.read_at IS NULL' : ''
    const rows = this.db
      .prepare(
        `${SELECT_INBOX_ITEMS} WHERE i.user_id = ? ${unread} ORDER BY i.at DESC, i.id LIMIT ?`,
      )
      .all(userId, query.limit) as InboxRow[]
    return rows.map(toInboxRecord)
  }

  async countUnread(userId: string): Promise<number> {
    const row = this.db
      .prepare('SELECT COUNT(*) AS n FROM inbox_items WHERE user_id = ? AND read_at IS NULL')
      .get(userId) as { n: number }
    return row.n
  }

  async markRead(userId: string, ids: readonly string[] | 'all', at: number): Promise<number> {
    if (ids === 'all') {
      return this.db
        .prepare('UPDATE inbox_items SET read_at = ? WHERE user_id = ? AND read_at IS NULL')
        .run(at, userId).changes
    }
    const update = this.db.prepare(
      'UPDATE inbox_items SET read_at = ? WHERE user_id = ? AND id = ? AND read_at IS NULL',
    )
    let changed = 0
    this.db.transaction(() => {
      for (const id of ids) changed += update.run(at, userId, id).changes
    })()
    return changed
  }

  async listUnmailed(before: number, limit: number): Promise<InboxRecord[]> {
    const rows = this.db
      .prepare(
        `${SELECT_INBOX_ITEMS} WHERE i.emailed_at IS NULL AND i.read_at IS NULL AND i.at <= ?
         ORDER BY i.at, i.id LIMIT ?`,
      )
      .all(before, limit) as InboxRow[]
    return rows.map(toInboxRecord)
  }

  async markEmailed(ids: readonly string[], at: number): Promise<void> {
    const update = this.db.prepare('UPDATE inbox_items SET emailed_at = ? WHERE id = ?')
    this.db.transaction(() => {
      for (const id of ids) update.run(at, id)
    })()
  }

  async getNotificationSettings(userId: string): Promise<NotificationSettings | null> {
    const row = this.db
      .prepare('SELECT settings FROM notification_settings WHERE user_id = ?')
      .get(userId) as { settings: string } | undefined
    if (!row) return null
    const parsed = notificationSettingsSchema.safeParse(JSON.parse(row.settings))
    return parsed.success ? parsed.data : null
  }

  async setNotificationSettings(userId: string, settings: NotificationSettings): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO notification_settings (user_id, settings) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET settings = excluded.settings`,
      )
      .run(userId, JSON.stringify(settings))
  }

  async unsubscribeTokenOf(userId: string, fresh: string): Promise<string> {
    this.db
      .prepare('INSERT OR IGNORE INTO unsubscribe_tokens (user_id, token) VALUES (?, ?)')
      .run(userId, fresh)
    const row = this.db
      .prepare('SELECT token FROM unsubscribe_tokens WHERE user_id = ?')
      .get(userId) as { token: string }
    return row.token
  }

  async findUnsubscribeToken(token: string): Promise<string | null> {
    const row = this.db
      .prepare('SELECT user_id FROM unsubscribe_tokens WHERE token = ?')
      .get(token) as { user_id: string } | undefined
    return row?.user_id ?? null
  }
}
