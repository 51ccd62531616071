/**
 * The audit log: append-only and hash-chained. Each entry carries the hash of the one before it
 * (auditHash.ts), and `verify()` (also `pnpm kartu audit verify`) names the first entry that does
 * not fit. Appends are serialised by the repository: the head is read and the entry written in
 * one exclusive transaction, so concurrent appends can never fork the chain.
 */
import { GroupCommit } from '../store/GroupCommit.ts'
import type { AuditEntries, AuditRecord } from '../store/types.ts'
import type { AuditInput } from './auditEvents.ts'
import { auditHash, canonicalJson, GENESIS_HASH, type JsonObject } from './auditHash.ts'
import { type AuditVerification, verifyAuditChain } from './verifyAuditChain.ts'

/** What code that must not wait (a room refusing an update) needs: record and move on. */
export interface AuditRecorder {
  record(input: AuditInput): void
}

/** The part of pino's interface the log uses. */
export interface AuditLogger {
  error(obj: object, msg?: string): void
}

export type AuditLogOptions = {
  logger?: AuditLogger
  /** The clock, for tests. */
  now?: () => number
}

/** An entry with its details parsed, for display. */
export type AuditEntry = Omit<AuditRecord, 'details'> & { details: JsonObject }

function parseDetails(text: string): JsonObject {
  // A damaged entry is still shown (verify says what is wrong with it).
  try {
    const value: unknown = JSON.parse(text)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as JsonObject
    }
  } catch {}
  return { unreadable: text }
}

type Pending = { input: AuditInput; at: number }

export class AuditLog implements AuditRecorder {
  private readonly now: () => number
  private readonly appends = new GroupCommit<Pending, AuditRecord>((batch) => this.write(batch))

  constructor(
    private readonly repository: AuditEntries,
    private readonly options: AuditLogOptions = {},
  ) {
    this.now = options.now ?? Date.now
  }

  /**
   * Appends an entry and resolves once it is committed. Rejects when it cannot be written: API
   * routes await this, so an action that cannot be recorded answers 500 rather than pass unseen.
   * Entries asked for in the same turn of the event loop share one commit (a flood of refused
   * updates must not cost an fsync each), and keep the order of the calls.
   */
  append(input: AuditInput): Promise<AuditRecord> {
    return this.appends.add({ input, at: this.now() })
  }

  /** Seals a batch onto the chain's head and writes it in one transaction. */
  private write(batch: readonly Pending[]): Promise<AuditRecord[]> {
    return this.repository.appendAudit((head) => {
      const records: AuditRecord[] = []
      let previous = head
      for (const { input, at } of batch) {
        const unsealed = {
          seq: (previous?.seq ?? 0) + 1,
          at,
          actorUserId: input.actorUserId,
          action: input.action,
          subject: input.subject,
          details: canonicalJson(input.details ?? {}),
          prevHash: previous?.hash ?? GENESIS_HASH,
        }
        const record = { ...unsealed, hash: auditHash(unsealed) }
        records.push(record)
        previous = { seq: record.seq, hash: record.hash }
      }
      return records
    })
  }

  /**
   * Appends without waiting, for synchronous callers (a room's refusal path). Never throws; a
   * failure is logged.
   */
  record(input: AuditInput): void {
    this.append(input).catch((error: unknown) => {
      this.options.logger?.error(
        { err: error, action: input.action, subject: input.subject },
        'audit entry not written',
      )
    })
  }

  /** Entries after `afterSeq`, oldest first, with details parsed. */
  async list(afterSeq = 0, limit = 100): Promise<AuditEntry[]> {
    const records = await this.repository.listAudit(afterSeq, limit)
    return records.map((record) => ({ ...record, details: parseDetails(record.details) }))
  }

  verify(): Promise<AuditVerification> {
    return verifyAuditChain(this.repository)
  }
}
