/**
 * Clearances, agreed-text hashes and focal persons in SQLite (see signoff/signOff.ts).
 */
import type { Card, FocalPersons } from '@kartu/protocol'
import { type ClearanceRecordRow, toClearanceRecord } from '../rows.ts'
import type { Cards as CardRecords, ClearanceRecord, SignOffRecords } from '../types.ts'
import type { SqliteDatabase } from './openDatabase.ts'

export class SqliteSignOff implements SignOffRecords {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly cards: Pick<CardRecords, 'getCard'>,
  ) {}

  async putClearance(record: ClearanceRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO card_clearances (card_id, ministry_id, user_id, at, text_hash, version_id)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (card_id, ministry_id) DO UPDATE SET user_id = excluded.user_id,
           at = excluded.at, text_hash = excluded.text_hash, version_id = excluded.version_id`,
      )
      .run(
        record.cardId,
        record.ministryId,
        record.userId,
        record.at,
        record.textHash,
        record.versionId,
      )
  }

  async deleteClearance(cardId: string, ministryId: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM card_clearances WHERE card_id = ? AND ministry_id = ?')
      .run(cardId, ministryId)
    return result.changes > 0
  }

  async listClearances(cardId: string): Promise<ClearanceRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM card_clearances WHERE card_id = ? ORDER BY at')
      .all(cardId) as ClearanceRecordRow[]
    return rows.map(toClearanceRecord)
  }

  async setAnswerHashes(
    entries: ReadonlyArray<{ cardId: string; hash: string }>,
  ): Promise<ClearanceRecord[]> {
    const read = this.db.prepare('SELECT answer_hash FROM cards WHERE id = ?')
    const write = this.db.prepare('UPDATE cards SET answer_hash = ? WHERE id = ?')
    const current = this.db.prepare(
      'SELECT * FROM card_clearances WHERE card_id = ? AND text_hash = ?',
    )
    const stale: ClearanceRecord[] = []
    // Read and write in one transaction: which clearances went stale is decided against the
    // hash this write replaces, not one another writer put there in between.
    this.db.transaction(() => {
      for (const { cardId, hash } of entries) {
        const row = read.get(cardId) as { answer_hash: string | null } | undefined
        if (!row || row.answer_hash === hash) continue
        if (row.answer_hash !== null) {
          for (const clearance of current.all(cardId, row.answer_hash) as ClearanceRecordRow[]) {
            stale.push(toClearanceRecord(clearance))
          }
        }
        write.run(hash, cardId)
      }
    })()
    return stale
  }

  async getAnswerHash(cardId: string): Promise<string | null> {
    const row = this.db.prepare('SELECT answer_hash FROM cards WHERE id = ?').get(cardId) as
      | { answer_hash: string | null }
      | undefined
    return row?.answer_hash ?? null
  }

  async listFocalPersons(deckId: string): Promise<FocalPersons[]> {
    const rows = this.db
      .prepare(
        'SELECT ministry_id, user_id FROM focal_persons WHERE deck_id = ? ORDER BY ministry_id, user_id',
      )
      .all(deckId) as Array<{ ministry_id: string; user_id: string }>
    const byMinistry = new Map<string, string[]>()
    for (const row of rows) {
      const list = byMinistry.get(row.ministry_id) ?? []
      list.push(row.user_id)
      byMinistry.set(row.ministry_id, list)
    }
    return [...byMinistry].map(([ministryId, userIds]) => ({ ministryId, userIds }))
  }

  async listCardsDueBy(lastDay: string): Promise<Card[]> {
    const ids = this.db
      .prepare(
        `SELECT id FROM cards WHERE due_date IS NOT NULL AND due_date <= ? AND status != 'final'
         ORDER BY due_date, position`,
      )
      .all(lastDay) as Array<{ id: string }>
    const cards: Card[] = []
    for (const { id } of ids) {
      const card = await this.cards.getCard(id)
      if (card) cards.push(card)
    }
    return cards
  }

  async setFocalPersons(
    deckId: string,
    ministryId: string,
    userIds: readonly string[],
  ): Promise<void> {
    const remove = this.db.prepare(
      'DELETE FROM focal_persons WHERE deck_id = ? AND ministry_id = ?',
    )
    const add = this.db.prepare(
      'INSERT OR IGNORE INTO focal_persons (deck_id, ministry_id, user_id) VALUES (?, ?, ?)',
    )
    this.db.transaction(() => {
      remove.run(deckId, ministryId)
      for (const userId of userIds) add.run(deckId, ministryId, userId)
    })()
  }
}
