/**
 * Both storage engines side by side, for the contract tests of the store's interfaces
 * (store/*Records.test.ts, DocumentStore.test.ts, SearchIndex.test.ts): each test opens a fresh
 * SQLite file or a fresh PostgreSQL schema, and the same assertions run on both.
 *
 * Records the interfaces under test do not write (ministries, people, decks, cards) are seeded
 * with plain SQL that both engines accept, so these tests depend on no repository.
 */
import type { Card } from '@kartu/protocol'
import { migratePg, openPool, type PgPool } from '../store/postgres/database.ts'
import { PgDocumentStore } from '../store/postgres/PgDocumentStore.ts'
import { PgInbox } from '../store/postgres/PgInbox.ts'
import { PgSearch } from '../store/postgres/PgSearch.ts'
import { PgSignOff } from '../store/postgres/PgSignOff.ts'
import { type CardRow, toCard } from '../store/rows.ts'
import { openDatabase, type SqliteDatabase } from '../store/sqlite/openDatabase.ts'
import { SqliteDocumentStore } from '../store/sqlite/SqliteDocumentStore.ts'
import { SqliteInbox } from '../store/sqlite/SqliteInbox.ts'
import { SqliteSearch } from '../store/sqlite/SqliteSearch.ts'
import { SqliteSignOff } from '../store/sqlite/SqliteSignOff.ts'
import type {
  Cards,
  DocumentStore,
  InboxRecords,
  NewCard,
  SearchIndex,
  SignOffRecords,
} from '../store/types.ts'
import { makeTempDir, removeDir } from './tempStorage.ts'
import { createTestSchema, postgresForTests } from './testPostgres.ts'

export type EngineName = 'sqlite' | 'postgres'

export const ENGINES: readonly EngineName[] = ['sqlite', 'postgres']

/** Whether the engine's tests can run here (PostgreSQL's are skipped, loudly, when it is absent). */
export async function engineAvailable(engine: EngineName): Promise<boolean> {
  return engine === 'sqlite' || (await postgresForTests())
}

export type SqlValue = string | number | Uint8Array | null
export type SqlRow = Record<string, unknown>

/** One connection's stores, as one node or process of Kartu holds them. */
export type EngineConnection = {
  engine: EngineName
  documents: DocumentStore
  signOff: SignOffRecords
  inbox: InboxRecords
  search: SearchIndex
  /** The engine's own handle, for tests of what only that engine does. */
  sqlite: SqliteDatabase | null
  pool: PgPool | null
  /** Runs one statement on the database behind the stores' back (`?` placeholders). */
  sql(text: string, params?: readonly SqlValue[]): Promise<SqlRow[]>
  /** Commits what the document store holds and closes the connection (Storage.close()). */
  close(): Promise<void>
}

export type TestEngine = EngineConnection & {
  /** Another connection to the same database: a second node, or the process after a restart. */
  connectAgain(): Promise<EngineConnection>
  /** Closes every connection and deletes the database (the temp folder, or the schema). */
  destroy(): Promise<void>
}

/** The cards as the tests' sign-off records read them (SqliteSignOff takes the repository). */
function cardReader(sql: EngineConnection['sql']): Pick<Cards, 'getCard'> {
  return {
    async getCard(cardId: string): Promise<Card | null> {
      const [row] = await sql('SELECT * FROM cards WHERE id = ?', [cardId])
      return row ? toCard(row as CardRow) : null
    },
  }
}

function sqliteConnection(dir: string): EngineConnection {
  const db = openDatabase(dir)
  const documents = new SqliteDocumentStore(db)
  const sql: EngineConnection['sql'] = async (text, params = []) => {
    const statement = db.prepare(text)
    const values = params.map((value) => (value instanceof Uint8Array ? Buffer.from(value) : value))
    if (statement.reader) return statement.all(...values) as SqlRow[]
    statement.run(...values)
    return []
  }
  return {
    engine: 'sqlite',
    documents,
    signOff: new SqliteSignOff(db, cardReader(sql)),
    inbox: new SqliteInbox(db),
    search: new SqliteSearch(db),
    sqlite: db,
    pool: null,
    sql,
    async close() {
      if (!db.open) return
      documents.flush()
      db.close()
    },
  }
}

function postgresConnection(url: string): EngineConnection {
  const pool = openPool(url)
  const documents = new PgDocumentStore(pool)
  const sql: EngineConnection['sql'] = async (text, params = []) => {
    let index = 0
    const numbered = text.replace(/\?/g, () => `$${++index}`)
    return (await pool.query(numbered, [...params])).rows as SqlRow[]
  }
  let closing: Promise<void> | null = null
  return {
    engine: 'postgres',
    documents,
    signOff: new PgSignOff(pool, cardReader(sql)),
    inbox: new PgInbox(pool),
    search: new PgSearch(pool),
    sqlite: null,
    pool,
    sql,
    close() {
      closing ??= documents.drain().finally(() => pool.end())
      return closing
    },
  }
}

/** A fresh, migrated, empty database on `engine`. */
export async function openTestEngine(engine: EngineName): Promise<TestEngine> {
  const others: EngineConnection[] = []
  if (engine === 'sqlite') {
    const dir = makeTempDir()
    const main = sqliteConnection(dir)
    return {
      ...main,
      async connectAgain() {
        const other = sqliteConnection(dir)
        others.push(other)
        return other
      },
      async destroy() {
        for (const connection of [main, ...others]) await connection.close()
        removeDir(dir)
      },
    }
  }
  const schema = await createTestSchema()
  const main = postgresConnection(schema.url)
  await migratePg(main.pool as PgPool)
  return {
    ...main,
    async connectAgain() {
      const other = postgresConnection(schema.url)
      others.push(other)
      return other
    },
    async destroy() {
      for (const connection of [main, ...others]) await connection.close().catch(() => {})
      await schema.drop()
    },
  }
}

// Seeding: the rows the records under test refer to, with plain SQL both engines accept.

export async function addMinistry(db: EngineConnection, id: string): Promise<void> {
  await db.sql(
    'INSERT INTO ministries (id, short, name_id, name_en, aliases, color) VALUES (?, ?, ?, ?, ?, ?)',
    [id, id, `Kementerian ${id}`, `Ministry ${id}`, '[]', '#1d4ed8'],
  )
}

export async function addUser(
  db: EngineConnection,
  id: string,
  ministryId: string,
  name = id,
): Promise<void> {
  await db.sql(
    'INSERT INTO users (id, email, name, ministry_id, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)',
    [id, `${id}@kartu.test`, name, ministryId, Date.now()],
  )
}

export async function addDeck(
  db: EngineConnection,
  id: string,
  ministryIds: readonly string[],
): Promise<void> {
  await db.sql(
    `INSERT INTO decks (id, title, title_en, committee, state_party, clusters, ministry_ids, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      `Dialog ${id}`,
      `Dialogue ${id}`,
      'CMW',
      'Indonesia',
      JSON.stringify([{ id: 'C1', nameId: 'Umum', nameEn: 'General' }]),
      JSON.stringify(ministryIds),
      Date.now(),
    ],
  )
}

export async function addMember(
  db: EngineConnection,
  deckId: string,
  userId: string,
  role = 'editor',
): Promise<void> {
  await db.sql('INSERT INTO memberships (deck_id, user_id, role) VALUES (?, ?, ?)', [
    deckId,
    userId,
    role,
  ])
}

export type SeedCard = Partial<NewCard> & { id: string; deckId: string; dueDate?: string | null }

export async function addCard(db: EngineConnection, card: SeedCard): Promise<void> {
  await db.sql(
    `INSERT INTO cards (id, deck_id, ref, cluster, question_ref, question, question_id, articles,
       lead_ministry, contributing_ministries, status, time_budget_sec, position, extra,
       updated_at, due_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      card.id,
      card.deckId,
      card.ref ?? card.id.toUpperCase(),
      card.cluster ?? 'C1',
      card.questionRef ?? '',
      card.question ?? `Question ${card.id}`,
      card.questionId ?? `Pertanyaan ${card.id}`,
      JSON.stringify(card.articles ?? []),
      card.leadMinistry ?? 'KP2MI',
      JSON.stringify(card.contributingMinistries ?? []),
      card.status ?? 'draft',
      card.timeBudgetSec ?? 120,
      card.position ?? 0,
      JSON.stringify(card.extra ?? {}),
      Date.now(),
      card.dueDate ?? null,
    ],
  )
}

/** Changes a card's row as the repository's updateCard would (the columns named). */
export async function updateCard(
  db: EngineConnection,
  cardId: string,
  change: Partial<
    Record<'question' | 'question_id' | 'status' | 'due_date' | 'position', string | number | null>
  >,
): Promise<void> {
  const entries = Object.entries(change)
  await db.sql(
    `UPDATE cards SET ${entries.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`,
    [...entries.map(([, value]) => value ?? null), cardId],
  )
}

export async function deleteCard(db: EngineConnection, cardId: string): Promise<void> {
  await db.sql('DELETE FROM cards WHERE id = ?', [cardId])
}

/**
 * Makes every later insert of an update of document `name` fail (a trigger raising an error),
 * the way a full disk or a lost connection fails a commit, but for that document alone.
 */
export async function poisonDocument(db: EngineConnection, name: string): Promise<void> {
  if (!/^[\w:-]+$/.test(name)) throw new Error(`not a plain document name: ${name}`)
  if (db.engine === 'sqlite') {
    await db.sql(
      `CREATE TRIGGER poison_${name.replace(/\W/g, '_')} BEFORE INSERT ON doc_updates
       WHEN new.name = '${name}' BEGIN SELECT RAISE(ABORT, 'poisoned document'); END`,
    )
    return
  }
  await db.sql(
    `CREATE OR REPLACE FUNCTION kartu_test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'poisoned document'; END $$`,
  )
  await db.sql(
    `CREATE TRIGGER poison_${name.replace(/\W/g, '_')} BEFORE INSERT ON doc_updates
     FOR EACH ROW WHEN (NEW.name = '${name}') EXECUTE FUNCTION kartu_test_poison()`,
  )
}
