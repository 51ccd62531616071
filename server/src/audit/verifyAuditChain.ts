/**
 * Walks the audit chain in seq order and names the first entry that breaks it. Checks per entry,
 * in this order: seq follows the previous one (else an entry is missing), prevHash is the previous
 * entry's hash (else the entries were reordered, when it is some other entry's hash, or changed),
 * and the stored hash matches the entry's contents. At the end the last entry must be the head
 * recorded beside the log, which catches a removed last entry.
 *
 * What it cannot catch alone: someone with write access to the database who rewrites every entry
 * after a point and the head, recomputing the hashes. Against that, keep the head (printed by
 * `pnpm kartu audit verify`) somewhere else, and compare.
 *
 * Reads in pages, so a long log does not have to fit in memory.
 */
import type { AuditHead, AuditRecord, Repository } from '../store/types.ts'
import { auditHash, GENESIS_HASH } from './auditHash.ts'

export const AuditProblem = {
  /** An entry is missing: seq jumps over it. */
  Gap: 'gap',
  /** The entry carries the prevHash of another entry of the chain: entries were moved. */
  Reordered: 'reordered',
  /** The entry's prevHash is not the previous entry's hash. */
  PrevHashMismatch: 'prev_hash_mismatch',
  /** The stored hash does not match the entry's contents: the entry or its hash was changed. */
  HashMismatch: 'hash_mismatch',
  /** The head recorded beside the log is further on than the last entry: entries at the end are gone. */
  Truncated: 'truncated',
  /** The last entry is not the recorded head. */
  HeadMismatch: 'head_mismatch',
} as const
export type AuditProblem = (typeof AuditProblem)[keyof typeof AuditProblem]

export type AuditVerification =
  | { ok: true; count: number; head: AuditHead | null }
  | {
      ok: false
      /** Entries verified before the break. */
      count: number
      /** The first broken entry (for a missing entry: the seq it should have had). */
      seq: number
      problem: AuditProblem
      message: string
    }

export type AuditSource = Pick<Repository, 'listAudit' | 'getAuditHead'>

const PAGE = 1000

async function* entriesAfter(source: AuditSource, afterSeq: number): AsyncGenerator<AuditRecord> {
  let after = afterSeq
  for (;;) {
    const page = await source.listAudit(after, PAGE)
    yield* page
    const last = page.at(-1)
    if (!last || page.length < PAGE) return
    after = last.seq
  }
}

/** The seq of the entry whose stored hash is `hash`, if any (a second pass, only on a break). */
async function ownerOf(source: AuditSource, hash: string): Promise<number | null> {
  for await (const entry of entriesAfter(source, Number.MIN_SAFE_INTEGER)) {
    if (entry.hash === hash) return entry.seq
  }
  return null
}

export async function verifyAuditChain(source: AuditSource): Promise<AuditVerification> {
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let count = 0
  const broken = (seq: number, problem: AuditProblem, message: string): AuditVerification => ({
    ok: false,
    count,
    seq,
    problem,
    message,
  })

  // The first pass starts below any seq, so that stray entries (seq 0, negative) are seen too.
  let after = Number.MIN_SAFE_INTEGER
  for (;;) {
    let progressed = false
    for await (const entry of entriesAfter(source, after)) {
      if (entry.seq !== expectedSeq) {
        return entry.seq > expectedSeq
          ? broken(
              expectedSeq,
              AuditProblem.Gap,
              `entry #${expectedSeq} is missing (the next one present is #${entry.seq})`,
            )
          : broken(
              expectedSeq,
              AuditProblem.Reordered,
              `an entry numbered #${entry.seq} stands where #${expectedSeq} should be`,
            )
      }
      if (entry.prevHash !== prevHash) {
        const owner = await ownerOf(source, entry.prevHash)
        if (owner !== null && owner !== entry.seq - 1) {
          return broken(
            entry.seq,
            AuditProblem.Reordered,
            `entry #${entry.seq} follows the entry now at #${owner}, not #${entry.seq - 1}: entries were moved`,
          )
        }
        return broken(
          entry.seq,
          AuditProblem.PrevHashMismatch,
          `entry #${entry.seq} does not carry the hash of entry #${entry.seq - 1}`,
        )
      }
      if (auditHash(entry) !== entry.hash) {
        return broken(
          entry.seq,
          AuditProblem.HashMismatch,
          `entry #${entry.seq} does not match its hash: its contents or its hash were changed`,
        )
      }
      prevHash = entry.hash
      expectedSeq = entry.seq + 1
      count++
      progressed = true
    }
    after = expectedSeq - 1

    // The head is read after the walk: a server running meanwhile may have appended more.
    const head = await source.getAuditHead()
    const lastSeq = expectedSeq - 1
    if (!head) {
      if (count === 0) return { ok: true, count, head: null }
      return broken(lastSeq, AuditProblem.HeadMismatch, 'the log has entries but no recorded head')
    }
    if (head.seq > lastSeq) {
      // Entries appended during the walk: check them too. Nothing new: the end is gone.
      if (progressed) continue
      return broken(
        lastSeq + 1,
        AuditProblem.Truncated,
        `entry #${lastSeq + 1} is missing: the log ends at #${lastSeq}, its head is #${head.seq}`,
      )
    }
    if (head.seq < lastSeq || head.hash !== prevHash) {
      return broken(
        head.seq < lastSeq ? head.seq + 1 : lastSeq,
        AuditProblem.HeadMismatch,
        head.seq < lastSeq
          ? `entries from #${head.seq + 1} on were not appended through the log (its head is #${head.seq})`
          : `entry #${lastSeq} is not the recorded head`,
      )
    }
    return { ok: true, count, head }
  }
}
