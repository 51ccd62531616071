import { RejectCode, Role } from '@kartu/protocol'
import { DecisionOutcome, SuggestionKind } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { AuditRecorder } from '../../audit/AuditLog.ts'
import { AuditAction, type AuditInput } from '../../audit/auditEvents.ts'
import { participant } from '../../testing/collabFixtures.ts'
import { RefusalTally } from '../refusalTally.ts'
import { auditTrail } from './auditTrail.ts'

/** The audit log's interface, keeping what it is given (the real log's writing is tested there). */
function recorder(): AuditRecorder & { entries: AuditInput[] } {
  const entries: AuditInput[] = []
  return { entries, record: (input) => entries.push(input) }
}

describe('auditTrail', () => {
  it('records each decision with its true author and each paragraph lock', () => {
    const audit = recorder()
    auditTrail(audit).updateApplied?.({
      documentName: 'card:c1',
      doc: new Y.Doc(),
      participant: participant('chair', Role.Chair),
      update: new Uint8Array(),
      newClients: [],
      decisions: [
        {
          suggestionId: 's1',
          kind: SuggestionKind.Insert,
          outcome: DecisionOutcome.Accepted,
          text: 'tugas',
          suggestedBy: 'Rina',
          reason: '',
          at: 1,
          authorUserId: 'kp2mi',
        },
      ],
      blockLocks: [true],
    })
    expect(audit.entries.map((entry) => entry.action)).toEqual([
      AuditAction.LockChanged,
      AuditAction.SuggestionDecided,
    ])
    expect(JSON.stringify(audit.entries[1])).toContain('kp2mi')
    expect(JSON.stringify(audit.entries[0])).toContain('c1')
  })

  it('records refusals as counted per code', () => {
    const audit = recorder()
    const tally = new RefusalTally()
    const records = [
      ...tally.refused(RejectCode.ReadOnly, 'role viewer may not edit', 1),
      ...tally.flush(),
    ]
    auditTrail(audit).updatesRefused?.({
      documentName: 'card:c1',
      participant: participant('viewer', Role.Viewer),
      records,
    })
    expect(audit.entries.length).toBe(records.length)
    expect(audit.entries.length).toBeGreaterThan(0)
    expect(audit.entries.every((entry) => entry.action === AuditAction.UpdateRefused)).toBe(true)
  })
})
