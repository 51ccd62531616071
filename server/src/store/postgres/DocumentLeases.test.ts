/**
 * Leases on documents between nodes sharing one PostgreSQL database (decision 0018): one holder
 * at a time, a takeover when the holder is gone, and the fence that stops a node which lost a
 * document from writing it, even mid-write.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestSchema, postgresForTests, type TestSchema } from '../../testing/testPostgres.ts'
import { DocumentHeldElsewhereError, DocumentLeases, LeaseLostError } from './DocumentLeases.ts'
import { migratePg, openPool, type PgPool } from './database.ts'
import { DOCUMENT_LOCK_SPACE, documentLockKey, PgDocumentStore } from './PgDocumentStore.ts'

const hasPostgres = await postgresForTests()
const NAME = 'card:leased'
const bytes = (...values: number[]) => new Uint8Array(values)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!hasPostgres)('DocumentLeases', () => {
  let schema: TestSchema
  const pools: PgPool[] = []

  beforeEach(async () => {
    schema = await createTestSchema()
  })
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end()
    await schema.drop()
  })

  /** A node: its own pool, leases and fenced document store. */
  async function node(nodeId: string, ttlMs = 10_000) {
    const pool = openPool(schema.url)
    pools.push(pool)
    await migratePg(pool)
    const leases = new DocumentLeases(pool, {
      nodeId,
      nodeUrl: `http://${nodeId}.internal:8080`,
      ttlMs,
    })
    return { pool, leases, documents: new PgDocumentStore(pool, leases) }
  }

  const storedUpdates = async (documents: PgDocumentStore) =>
    (await documents.loadDocument(NAME)).updates.map((update) => [...update])

  it('gives a document to one of several nodes asking at once, and names it to the others', async () => {
    const ids = ['a', 'b', 'c', 'd']
    const nodes = await Promise.all(ids.map((id) => node(id)))
    const answers = await Promise.all(nodes.map((n) => n.leases.acquire(NAME)))
    const winner = answers.findIndex((answer) => answer.mine)
    expect(answers.filter((answer) => answer.mine)).toEqual([{ mine: true, token: 1 }])
    for (const [index, answer] of answers.entries()) {
      if (index === winner) continue
      expect(answer).toMatchObject({
        mine: false,
        holder: { nodeId: ids[winner], nodeUrl: `http://${ids[winner]}.internal:8080`, token: 1 },
      })
    }
    // Asking again changes nothing.
    expect(await nodes[winner]?.leases.acquire(NAME)).toEqual({ mine: true, token: 1 })
  })

  it('lets another node have it once the lease ran out, with a new token, and fences the old holder', async () => {
    const a = await node('a', 300)
    const b = await node('b', 300)
    expect(await a.leases.acquire(NAME)).toEqual({ mine: true, token: 1 })
    expect(await a.documents.appendUpdates(NAME, [bytes(1)])).toBeGreaterThan(0)
    expect((await b.leases.acquire(NAME)).mine).toBe(false)
    await sleep(400)
    expect(await b.leases.acquire(NAME)).toEqual({ mine: true, token: 2 })
    // The old holder did not renew in time: its write is refused and nothing of it is stored.
    const refused = await a.documents
      .appendUpdates(NAME, [bytes(2)])
      .catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(LeaseLostError)
    expect((refused as LeaseLostError).names).toEqual([NAME])
    await b.documents.appendUpdates(NAME, [bytes(3)])
    expect(await storedUpdates(b.documents)).toEqual([[1], [3]])
    expect(a.leases.heldNames()).toEqual([])
  })

  it('a takeover from a holder that does not answer needs no wait; compaction is fenced too', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.leases.acquire(NAME)
    await a.documents.appendUpdates(NAME, [bytes(1), bytes(2)])
    expect(await b.leases.takeOver(NAME, 'a')).toEqual({ mine: true, token: 2 })
    await expect(a.documents.compact(NAME, bytes(9), 10)).rejects.toBeInstanceOf(LeaseLostError)
    // Now a knows it lost it: a later write is one to a document another node holds.
    await expect(a.documents.appendUpdates(NAME, [bytes(4)])).rejects.toBeInstanceOf(
      DocumentHeldElsewhereError,
    )
    expect(await storedUpdates(b.documents)).toEqual([[1], [2]])
    // A takeover names whoever holds it when that is not the node said to be gone.
    const c = await node('c')
    expect(await c.leases.takeOver(NAME, 'a')).toMatchObject({
      mine: false,
      holder: { nodeId: 'b', token: 2 },
    })
  })

  it('renewing keeps what is held and reports what was lost', async () => {
    const a = await node('a', 400)
    const b = await node('b', 400)
    await a.leases.acquire(NAME)
    await a.leases.acquire('card:other')
    for (let i = 0; i < 4; i++) {
      await sleep(150)
      expect(await a.leases.renew()).toEqual([])
    }
    // 600 ms after the first lease, longer than its 400 ms: still a's, as it renewed.
    expect((await b.leases.acquire(NAME)).mine).toBe(false)
    await b.leases.takeOver(NAME, 'a')
    expect(await a.leases.renew()).toEqual([NAME])
    expect(a.leases.heldNames()).toEqual(['card:other'])
  })

  it('a released document goes to the next node at once, with a new token', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.leases.acquire(NAME)
    await a.leases.release(NAME)
    expect(await b.leases.acquire(NAME)).toEqual({ mine: true, token: 2 })
    // a restarted, or came back to the document: a new token again, never an old one.
    expect((await a.leases.acquire(NAME)).mine).toBe(false)
    await b.leases.release(NAME)
    expect(await a.leases.acquire(NAME)).toEqual({ mine: true, token: 3 })
  })

  it('a takeover waits for the holder’s write in progress, then finds it stored', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.leases.acquire(NAME)
    // The holder's append, held open after its fence check (as a slow commit would be).
    const client = await a.pool.connect()
    let committed = false
    try {
      await client.query('BEGIN')
      await a.leases.check(client, [NAME])
      await client.query("INSERT INTO doc_updates (name, data) VALUES ($1, '\\x07')", [NAME])
      const takeover = b.leases.takeOver(NAME, 'a').then((answer) => ({ answer, committed }))
      await sleep(300)
      committed = true
      await client.query('COMMIT')
      const { answer, committed: afterCommit } = await takeover
      expect(answer).toEqual({ mine: true, token: 2 })
      expect(afterCommit).toBe(true)
    } finally {
      client.release()
    }
    expect(await storedUpdates(b.documents)).toEqual([[7]])
  })

  it('a write that waited for the document lock reads the lease as it is after the wait', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.leases.acquire(NAME)
    await a.leases.acquire('card:kept')
    // Another writer holds the document's advisory lock, as a commit of the same document would.
    const other = await b.pool.connect()
    try {
      await other.query('BEGIN')
      await other.query('SELECT pg_advisory_xact_lock($1, $2)', [
        DOCUMENT_LOCK_SPACE,
        documentLockKey(NAME),
      ])
      const write = a.documents
        .appendUpdates(NAME, [bytes(1)])
        .then(() => null)
        .catch((error: unknown) => error)
      // a's write now waits for the lock, inside its one statement; meanwhile b takes over.
      await sleep(200)
      expect(await b.leases.takeOver(NAME, 'a')).toEqual({ mine: true, token: 2 })
      await other.query('COMMIT')
      const refused = await write
      // Its fence read the row b left, not the one there when the statement began.
      expect(refused).toBeInstanceOf(LeaseLostError)
      expect((refused as LeaseLostError).names).toEqual([NAME])
    } finally {
      other.release()
    }
    expect(await storedUpdates(b.documents)).toEqual([])
    // Only the lost document is forgotten; a write to the other one still goes through.
    expect(a.leases.heldNames()).toEqual(['card:kept'])
    expect(await a.documents.appendUpdates('card:kept', [bytes(2)])).toBeGreaterThan(0)
  })

  it('renewing while a write holds some of the leases waits for it, and never deadlocks with it', async () => {
    const a = await node('a')
    // Taken in the reverse of name order, as a node opens cards in any order.
    const names = ['card:e', 'card:d', 'card:c', 'card:b', 'card:a']
    for (const name of names) await a.leases.acquire(name)
    // A write holds the first lease in name order and, a moment later, takes the others (as the
    // fence of a batch naming them all does, in name order).
    const write = await a.pool.connect()
    try {
      await write.query('BEGIN')
      await write.query('SELECT kartu_document_fence($1, $2, $3, $4)', [
        'a',
        ['card:a'],
        [a.leases.tokenOf('card:a')],
        [],
      ])
      const renewed = a.leases.renew()
      await sleep(200)
      const rest = names.filter((name) => name !== 'card:a').sort()
      // Refused with "deadlock detected" if the renewal had locked any of these while it
      // waited for card:a.
      await write.query('SELECT kartu_document_fence($1, $2, $3, $4)', [
        'a',
        rest,
        rest.map((name) => a.leases.tokenOf(name)),
        [],
      ])
      await write.query('COMMIT')
      expect(await renewed).toEqual([])
    } finally {
      write.release()
    }
  })

  it('a batch with one lost document is refused whole, naming it, and writes nothing', async () => {
    const a = await node('a')
    const b = await node('b')
    await a.leases.acquire(NAME)
    await a.leases.acquire('card:kept')
    await b.leases.takeOver(NAME, 'a')
    const both = [
      a.documents.appendUpdates('card:kept', [bytes(1)]),
      a.documents.appendUpdates(NAME, [bytes(2)]),
    ].map((append) => append.then(() => null).catch((error: unknown) => error))
    const [kept, lost] = await Promise.all(both)
    expect(lost).toBeInstanceOf(LeaseLostError)
    expect((lost as LeaseLostError).names).toEqual([NAME])
    expect(kept).toBe(lost)
    expect((await a.documents.loadDocument('card:kept')).updates).toEqual([])
    expect(await storedUpdates(b.documents)).toEqual([])
  })

  it('a document no node holds can be written by any node; one another node holds cannot', async () => {
    const a = await node('a')
    const b = await node('b')
    // A deck import on a writes its new cards: no room holds them anywhere.
    await a.documents.appendUpdates('card:new', [bytes(1)])
    await b.documents.appendUpdates('card:new', [bytes(2)])
    // Once b serves it, a's write would be missed by b's room: refused, nothing stored.
    await b.leases.acquire('card:new')
    await expect(a.documents.appendUpdates('card:new', [bytes(3)])).rejects.toBeInstanceOf(
      DocumentHeldElsewhereError,
    )
    const stored = await b.documents.loadDocument('card:new')
    expect(stored.updates.map((update) => [...update])).toEqual([[1], [2]])
    // Released, it is free again; and the next holder gets a new token.
    await b.leases.release('card:new')
    await a.documents.appendUpdates('card:new', [bytes(4)])
    expect(await a.leases.acquire('card:new')).toEqual({ mine: true, token: 2 })
  })

  it('a node loading a document waits for a write to it in progress elsewhere', async () => {
    const a = await node('a')
    const b = await node('b')
    const client = await a.pool.connect()
    let committed = false
    try {
      await client.query('BEGIN')
      await a.leases.check(client, [NAME])
      const acquired = b.leases.acquire(NAME).then((answer) => ({ answer, committed }))
      await sleep(300)
      committed = true
      await client.query('COMMIT')
      expect(await acquired).toEqual({ answer: { mine: true, token: 1 }, committed: true })
    } finally {
      client.release()
    }
  })

  it('without leases (one node), the document store writes unfenced as before', async () => {
    const { pool } = await node('solo')
    const documents = new PgDocumentStore(pool)
    await documents.appendUpdates(NAME, [bytes(5)])
    expect(await storedUpdates(documents)).toEqual([[5]])
  })
})
