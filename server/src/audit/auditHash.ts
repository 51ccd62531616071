/**
 * The audit chain's hash. Each entry's hash is SHA-256 (hex) over a canonical serialisation that
 * includes the hash of the entry before it, so changing, removing or moving any entry breaks every
 * link after it. The format is fixed and written out here so that an auditor can re-check a copy
 * of the log without Kartu:
 *
 *   hash = sha256_hex(JSON.stringify(
 *     ["kartu-audit-v1", seq, at, actorUserId, action, subject, details, prevHash]))
 *
 * where `details` is the stored JSON text itself (a string, keys sorted when it was written) and
 * the first entry's prevHash is 64 zeros.
 */
import { createHash } from 'node:crypto'
import type { AuditRecord } from '../store/types.ts'

export const AUDIT_HASH_VERSION = 'kartu-audit-v1'
export const GENESIS_HASH = '0'.repeat(64)

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    const parts: string[] = []
    for (const key of keys) {
      const item = value[key]
      // Like JSON.stringify: a key whose value is undefined is left out.
      if (item === undefined) continue
      parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`)
    }
    return `{${parts.join(',')}}`
  }
  // Numbers that JSON cannot hold (NaN, Infinity) become null, as in JSON.stringify.
  return JSON.stringify(value) ?? 'null'
}

/** The hash an entry must carry, computed from everything else in it. */
export function auditHash(entry: Omit<AuditRecord, 'hash'>): string {
  const canonical = JSON.stringify([
    AUDIT_HASH_VERSION,
    entry.seq,
    entry.at,
    entry.actorUserId,
    entry.action,
    entry.subject,
    entry.details,
    entry.prevHash,
  ])
  return createHash('sha256').update(canonical, 'utf8').digest('hex')
}
