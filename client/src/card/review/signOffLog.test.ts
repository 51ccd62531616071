import type { ActivityEvent, Ministry } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import type { DecisionView, RestoreView } from './decisions.ts'
import {
  decisionLogEntries,
  ministryShorts,
  type SignOffEntry,
  signOffEntries,
  signOffFacts,
} from './signOffLog.ts'

const ministries: Ministry[] = [
  { id: 'kemlu', short: 'Kemlu', nameId: 'K', nameEn: 'K', aliases: [], color: '#1f5fa8' },
  { id: 'kp2mi', short: 'KP2MI', nameId: 'K', nameEn: 'K', aliases: [], color: '#b34700' },
]

const chair = { userId: 'u-chair', name: 'Sari', ministryId: 'kemlu' }

function event(
  kind: ActivityEvent['kind'],
  at: number,
  details: ActivityEvent['details'],
): ActivityEvent {
  return { kind, at, cardId: 'c1', cardRef: '12', person: chair, details }
}

function decision(index: number, at: number): DecisionView {
  return {
    suggestionId: `s${index}`,
    kind: 'insert',
    outcome: 'accepted',
    text: 'teks',
    suggestedBy: null,
    reason: '',
    at,
    index,
    decidedBy: null,
    suggestedByAuthor: null,
  }
}

function restore(index: number, at: number): RestoreView {
  return {
    index,
    versionId: `v${index}`,
    versionName: null,
    versionAt: 1,
    beforeVersionId: 'v0',
    reason: 'kembali',
    at,
    restoredBy: null,
    orphaned: [],
  }
}

function signOff(at: number): SignOffEntry {
  return { at, person: chair, facts: { kind: 'clearance', ministry: 'kemlu', outcome: 'given' } }
}

/** The log as "d<index>" / "r<index>" / "s<at>", newest first. */
function shape(entries: ReturnType<typeof decisionLogEntries>): string[] {
  return entries.map((entry) =>
    entry.type === 'decision'
      ? `d${entry.decision.index}`
      : entry.type === 'restore'
        ? `r${entry.restore.index}`
        : `s${entry.at}`,
  )
}

describe('signOffFacts', () => {
  it('reads an assignment with its contributing ministries and due date', () => {
    expect(
      signOffFacts(
        event('assignment', 1, {
          lead: 'kemlu',
          contributing: 'kp2mi, bp2mi',
          dueDate: '2026-12-10',
        }),
      ),
    ).toEqual({
      kind: 'assignment',
      lead: 'kemlu',
      contributing: ['kp2mi', 'bp2mi'],
      dueDate: '2026-12-10',
    })
    expect(
      signOffFacts(event('assignment', 1, { lead: 'kemlu', contributing: '', dueDate: null })),
    ).toEqual({ kind: 'assignment', lead: 'kemlu', contributing: [], dueDate: null })
  })

  it('reads a clearance given or withdrawn', () => {
    expect(
      signOffFacts(event('clearance', 1, { ministry: 'kp2mi', outcome: 'withdrawn' })),
    ).toEqual({ kind: 'clearance', ministry: 'kp2mi', outcome: 'withdrawn' })
    expect(
      signOffFacts(event('clearance', 1, { ministry: 'kp2mi', outcome: 'given', textHash: 'x' })),
    ).toEqual({ kind: 'clearance', ministry: 'kp2mi', outcome: 'given' })
  })

  it('reads "final" with the override reason and the ministries missing, or without', () => {
    expect(signOffFacts(event('final', 1, { override: 'sidang besok', missing: 'kp2mi' }))).toEqual(
      { kind: 'final', override: 'sidang besok', missing: ['kp2mi'] },
    )
    expect(signOffFacts(event('final', 1, { override: null, missing: '' }))).toEqual({
      kind: 'final',
      override: null,
      missing: [],
    })
  })

  it('is null for the rest of the activity', () => {
    expect(signOffFacts(event('decision', 1, { decision: 'accepted' }))).toBeNull()
    expect(signOffFacts(event('edit', 1, {}))).toBeNull()
  })
})

describe('signOffEntries', () => {
  it('keeps the sign-off events, oldest first, same-millisecond ones in the order they happened', () => {
    // As the server lists them: newest first.
    const entries = signOffEntries([
      event('final', 30, { override: null, missing: '' }),
      event('edit', 25, {}),
      event('clearance', 20, { ministry: 'kp2mi', outcome: 'given' }),
      event('clearance', 20, { ministry: 'kemlu', outcome: 'given' }),
      event('assignment', 10, { lead: 'kemlu', contributing: 'kp2mi', dueDate: null }),
      event('decision', 5, {}),
    ])
    expect(
      entries.map((entry) =>
        entry.facts.kind === 'clearance' ? `${entry.at}:${entry.facts.ministry}` : `${entry.at}`,
      ),
    ).toEqual(['10', '20:kemlu', '20:kp2mi', '30'])
  })
})

describe('decisionLogEntries', () => {
  it('places each sign-off entry by its time among the decisions and restores, newest first', () => {
    const entries = decisionLogEntries(
      [decision(0, 100), decision(2, 300)],
      [restore(1, 200)],
      [signOff(50), signOff(150), signOff(250), signOff(400)],
    )
    expect(shape(entries)).toEqual(['s400', 'd2', 's250', 'r1', 's150', 'd0', 's50'])
  })

  it('keeps decisions and restores in their log order even when their clocks disagree', () => {
    // The restore was logged after decision 0, by a clock that runs behind.
    const entries = decisionLogEntries(
      [decision(0, 300), decision(2, 400)],
      [restore(1, 100)],
      [signOff(200), signOff(350)],
    )
    expect(shape(entries)).toEqual(['d2', 's350', 'r1', 'd0', 's200'])
  })

  it('puts a sign-off entry of the same millisecond after the decision', () => {
    expect(shape(decisionLogEntries([decision(0, 100)], [], [signOff(100)]))).toEqual([
      's100',
      'd0',
    ])
  })

  it('is the decisions alone, or the sign-off entries alone, when there is nothing else', () => {
    expect(shape(decisionLogEntries([decision(1, 2), decision(0, 1)], [], []))).toEqual([
      'd1',
      'd0',
    ])
    expect(shape(decisionLogEntries([], [], [signOff(2), signOff(1)]))).toEqual(['s2', 's1'])
  })

  it('gives every entry its own key, same-millisecond sign-off entries too', () => {
    const entries = decisionLogEntries([decision(0, 1)], [restore(1, 2)], [signOff(3), signOff(3)])
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(4)
  })
})

describe('ministryShorts', () => {
  it("names ministries by the deck's short names, an unknown id as it is", () => {
    expect(ministryShorts(['kemlu', 'kp2mi', 'bp2mi'], ministries)).toBe('Kemlu, KP2MI, bp2mi')
    expect(ministryShorts([], ministries)).toBe('')
  })
})
