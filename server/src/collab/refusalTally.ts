/**
 * Refused updates of one connection, counted per reject code and minute, so that the audit log
 * records a refusal as it happens but a client refused in a loop (a broken tab, a hostile
 * script) cannot flood the chain: the first refusal of a code in a minute is recorded at once,
 * the rest of that minute as one entry with their count, when the minute is over (at the next
 * refusal of that code) or when the connection closes.
 */

const MINUTE_MS = 60_000

/** What to record: a refusal as it happened, or the count of those that followed it. */
export type RefusalRecord =
  | { kind: 'first'; code: string; message: string; seq: number }
  | {
      kind: 'repeated'
      code: string
      count: number
      firstSeq: number
      lastSeq: number
      minute: number
    }

type Bucket = { minute: number; repeated: number; firstSeq: number; lastSeq: number }

export class RefusalTally {
  /** Made at the first refusal: most connections are never refused anything. */
  private buckets: Map<string, Bucket> | null = null

  /** A refusal happened; returns what to record now (possibly nothing). */
  refused(code: string, message: string, seq: number, now = Date.now()): RefusalRecord[] {
    const minute = Math.floor(now / MINUTE_MS)
    this.buckets ??= new Map()
    const bucket = this.buckets.get(code)
    if (bucket && bucket.minute === minute) {
      if (bucket.repeated === 0) bucket.firstSeq = seq
      bucket.repeated++
      bucket.lastSeq = seq
      return []
    }
    const records = bucket ? this.summary(code, bucket) : []
    this.buckets.set(code, { minute, repeated: 0, firstSeq: seq, lastSeq: seq })
    records.push({ kind: 'first', code, message, seq })
    return records
  }

  /** The counts not recorded yet (the connection is closing). */
  flush(): RefusalRecord[] {
    const records: RefusalRecord[] = []
    for (const [code, bucket] of this.buckets ?? []) records.push(...this.summary(code, bucket))
    this.buckets = null
    return records
  }

  private summary(code: string, bucket: Bucket): RefusalRecord[] {
    if (bucket.repeated === 0) return []
    return [
      {
        kind: 'repeated',
        code,
        count: bucket.repeated,
        firstSeq: bucket.firstSeq,
        lastSeq: bucket.lastSeq,
        minute: bucket.minute,
      },
    ]
  }
}
