import { describe, expect, it } from 'vitest'
import { RefusalTally } from './refusalTally.ts'

const at = (minute: number, second = 0) => minute * 60_000 + second * 1000

describe('RefusalTally', () => {
  it('records the first refusal of a code at once and counts the rest of its minute', () => {
    const tally = new RefusalTally()
    expect(tally.refused('read_only', 'viewer', 1, at(10))).toEqual([
      { kind: 'first', code: 'read_only', message: 'viewer', seq: 1 },
    ])
    for (let seq = 2; seq <= 600; seq++) {
      expect(tally.refused('read_only', 'viewer', seq, at(10, seq % 60))).toEqual([])
    }
    // Another code is its own bucket.
    expect(tally.refused('locked', 'locked', 601, at(10, 59))).toHaveLength(1)
    // The next minute closes the last one with its count.
    expect(tally.refused('read_only', 'viewer', 602, at(11))).toEqual([
      { kind: 'repeated', code: 'read_only', count: 599, firstSeq: 2, lastSeq: 600, minute: 10 },
      { kind: 'first', code: 'read_only', message: 'viewer', seq: 602 },
    ])
    expect(tally.flush()).toEqual([])
  })

  it('gives the counts not recorded yet when the connection closes, once', () => {
    const tally = new RefusalTally()
    tally.refused('schema_violation', 'x', 1, at(3))
    tally.refused('schema_violation', 'x', 2, at(3, 1))
    tally.refused('schema_violation', 'x', 3, at(3, 2))
    expect(tally.flush()).toEqual([
      { kind: 'repeated', code: 'schema_violation', count: 2, firstSeq: 2, lastSeq: 3, minute: 3 },
    ])
    expect(tally.flush()).toEqual([])
  })
})
