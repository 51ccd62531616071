/**
 * Which node serves a document, when several Kartu nodes share one PostgreSQL database
 * (decision 0018): a lease per loaded document, with a fencing token.
 *
 * - `acquire` gives this node the document when no node holds it, its lease expired, or this node
 *   holds it already; otherwise it names the holder (to forward the connection to).
 * - `takeOver` takes it from a holder that does not answer (its port refuses), without waiting for
 *   the lease to run out: safe, because the fence below stops that holder from writing if it was
 *   alive after all.
 * - `renew` extends this node's leases and says which it lost.
 * - The fence runs inside each append's transaction (in its one statement, through
 *   `fenceTerms`, or through `check` in a transaction of the caller's): the row must still name
 *   this node with the token it was given. It locks the row (FOR SHARE) until the append commits,
 *   so a takeover (an UPDATE of that row) waits for the append, and the new holder then loads it.
 *
 * Every time is the database's clock (`clock_timestamp()`), so the nodes' clocks never disagree
 * about whether a lease has run out.
 */
import type { PgClient, PgPool } from './database.ts'
import type { DocumentFence, FenceTerms } from './PgDocumentStore.ts'

/** The SQLSTATEs kartu_document_fence raises (migrations.ts), with the names in DETAIL. */
const LEASE_LOST = 'KL001'
const HELD_ELSEWHERE = 'KL002'

/** The names a fence refusal carries: a JSON array of strings in the error's DETAIL. */
function fencedNames(error: unknown): string[] {
  const detail = (error as { detail?: unknown }).detail
  const parsed: unknown = typeof detail === 'string' ? JSON.parse(detail) : null
  if (!Array.isArray(parsed) || !parsed.every((name) => typeof name === 'string')) {
    throw new Error(`a fence refusal without its names: ${String(detail)}`)
  }
  return parsed
}

/** A node's lease on a document was taken by another node: it may no longer write it. */
export class LeaseLostError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`this node no longer holds ${names.join(', ')}`)
    this.name = 'LeaseLostError'
  }
}

/** A write to documents another node holds (their room there would not see it). */
export class DocumentHeldElsewhereError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`another node holds ${names.join(', ')}`)
    this.name = 'DocumentHeldElsewhereError'
  }
}

export type LeaseHolder = { nodeId: string; nodeUrl: string; token: number; expiresAt: number }

export type Acquired = { mine: true; token: number } | { mine: false; holder: LeaseHolder }

export type DocumentLeasesOptions = {
  /** This node's id (unique among the nodes) and the address other nodes reach it at. */
  nodeId: string
  nodeUrl: string
  /** How long a lease lasts without renewal. */
  ttlMs: number
}

type LeaseRow = {
  node_id: string
  node_url: string
  token: number
  expires_at: number
  now: number
}

const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`

export class DocumentLeases implements DocumentFence {
  /** The token of each document this node holds. */
  private readonly held = new Map<string, number>()

  constructor(
    private readonly pool: PgPool,
    private readonly options: DocumentLeasesOptions,
  ) {}

  /** The documents this node holds now (as far as it knows). */
  heldNames(): string[] {
    return [...this.held.keys()]
  }

  tokenOf(name: string): number | undefined {
    return this.held.get(name)
  }

  /** Gives this node the document if it is free, expired or already this node's. */
  acquire(name: string): Promise<Acquired> {
    return this.claim(
      name,
      (row) => row.node_id === this.options.nodeId || row.expires_at <= row.now,
    )
  }

  /**
   * Takes the document from `fromNodeId`, which does not answer, whether or not its lease ran
   * out. If another node took it meanwhile, that one is named instead.
   */
  takeOver(name: string, fromNodeId: string): Promise<Acquired> {
    return this.claim(
      name,
      (row) =>
        row.node_id === fromNodeId ||
        row.node_id === this.options.nodeId ||
        row.expires_at <= row.now,
    )
  }

  /** Extends the leases of `names` this node holds; returns those it no longer holds. */
  async renew(names: readonly string[] = this.heldNames()): Promise<string[]> {
    const mine = names.filter((name) => this.held.has(name))
    if (mine.length === 0) return [...names]
    // The rows are locked in name order by the subquery, before the UPDATE reaches them, as the
    // fence locks them: locked in the order of the join, a renewal holding one lease while it
    // waited for another that a write held (FOR SHARE), which then asked for the first, was a
    // deadlock, broken by PostgreSQL after a second by failing one of them.
    const { rows } = await this.pool.query<{ name: string }>(
      `UPDATE document_leases SET expires_at = ${NOW_MS} + $1
       FROM (SELECT d.name FROM document_leases d
             JOIN unnest($2::text[], $3::bigint[]) AS l(name, token)
               ON d.name = l.name AND d.token = l.token
             WHERE d.node_id = $4
             ORDER BY d.name COLLATE "C"
             FOR NO KEY UPDATE OF d) AS mine
       WHERE document_leases.name = mine.name
       RETURNING document_leases.name`,
      [this.options.ttlMs, mine, mine.map((name) => this.held.get(name)), this.options.nodeId],
    )
    const renewed = new Set(rows.map((row) => row.name))
    const lost = names.filter((name) => !renewed.has(name))
    for (const name of lost) this.held.delete(name)
    return lost
  }

  /**
   * Lets the document go (its room unloaded), if this node still holds it: the lease ends now.
   * The row stays, with its token, so that the next holder's token is a new one.
   */
  async release(name: string): Promise<void> {
    const token = this.held.get(name)
    if (token === undefined) return
    this.held.delete(name)
    await this.pool.query(
      `UPDATE document_leases SET expires_at = ${NOW_MS}
       WHERE name = $1 AND node_id = $2 AND token = $3`,
      [name, this.options.nodeId, token],
    )
  }

  fenceTerms(names: readonly string[]): FenceTerms {
    const unique = [...new Set(names)].sort()
    const held = unique.filter((name) => this.held.has(name))
    return {
      nodeId: this.options.nodeId,
      heldNames: held,
      heldTokens: held.map((name) => this.held.get(name) as number),
      freeNames: unique.filter((name) => !this.held.has(name)),
    }
  }

  /**
   * The fence inside a transaction of the caller's (compaction). What it checks is one SQL
   * function, kartu_document_fence (migrations.ts), which the appends' single statement runs too:
   * - the documents this node holds: each row must still name this node with its token. FOR
   *   SHARE: the rows stay as they are until this transaction ends, so a takeover waits for this
   *   write to commit (and then finds it in the log it loads);
   * - documents written without a room here (a deck's new cards, an import): allowed while no
   *   node holds them, as their room would not see the write (and its compaction could drop it).
   *   The row is made if missing, already run out, and locked until this write commits, so a node
   *   loading the document meanwhile waits and then loads it with this write in.
   */
  async check(client: PgClient, names: readonly string[]): Promise<void> {
    const terms = this.fenceTerms(names)
    try {
      await client.query('SELECT kartu_document_fence($1, $2, $3, $4)', [
        terms.nodeId,
        terms.heldNames,
        terms.heldTokens,
        terms.freeNames,
      ])
    } catch (error) {
      throw this.refusal(error) ?? error
    }
  }

  refusal(error: unknown): LeaseLostError | DocumentHeldElsewhereError | null {
    const code = (error as { code?: unknown } | null)?.code
    if (code !== LEASE_LOST && code !== HELD_ELSEWHERE) return null
    const names = fencedNames(error)
    if (code === HELD_ELSEWHERE) return new DocumentHeldElsewhereError(names)
    for (const name of names) this.held.delete(name)
    return new LeaseLostError(names)
  }

  /**
   * One transaction: insert the document's row if there is none, or lock it and take it when
   * `mayTake` says so, with the next token.
   */
  private async claim(name: string, mayTake: (row: LeaseRow) => boolean): Promise<Acquired> {
    const { nodeId, nodeUrl, ttlMs } = this.options
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      // A first lease for a document. Two nodes may insert at once: one row wins, and the other
      // node's INSERT waits for it, inserts nothing, and finds it locked below.
      const inserted = await client.query<{ token: number }>(
        `INSERT INTO document_leases (name, node_id, node_url, token, expires_at)
         VALUES ($1, $2, $3, 1, ${NOW_MS} + $4) ON CONFLICT (name) DO NOTHING RETURNING token`,
        [name, nodeId, nodeUrl, ttlMs],
      )
      let result: Acquired
      if (inserted.rows.length === 1) {
        result = { mine: true, token: 1 }
      } else {
        const { rows } = await client.query<LeaseRow>(
          `SELECT node_id, node_url, token, expires_at, ${NOW_MS} AS now
           FROM document_leases WHERE name = $1 FOR UPDATE`,
          [name],
        )
        const row = rows[0]
        if (!row) throw new Error(`the lease of ${name} vanished`)
        if (row.node_id === nodeId && this.held.get(name) === row.token) {
          // Ours already: extend it.
          await client.query(
            `UPDATE document_leases SET expires_at = ${NOW_MS} + $2 WHERE name = $1`,
            [name, ttlMs],
          )
          result = { mine: true, token: row.token }
        } else if (mayTake(row)) {
          // A new token at every change of holder, also when this node takes back a row of its
          // own it no longer knows (it restarted): whatever wrote with the old token is fenced.
          const token = row.token + 1
          await client.query(
            `UPDATE document_leases SET node_id = $2, node_url = $3, token = $4,
               expires_at = ${NOW_MS} + $5 WHERE name = $1`,
            [name, nodeId, nodeUrl, token, ttlMs],
          )
          result = { mine: true, token }
        } else {
          result = {
            mine: false,
            holder: {
              nodeId: row.node_id,
              nodeUrl: row.node_url,
              token: row.token,
              expiresAt: row.expires_at,
            },
          }
        }
      }
      await client.query('COMMIT')
      if (result.mine) this.held.set(name, result.token)
      else this.held.delete(name)
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
  }
}
