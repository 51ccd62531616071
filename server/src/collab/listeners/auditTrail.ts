/**
 * The audit trail of what happens in rooms: suggestions decided (with their true author, from
 * the server's binding), paragraph locks set and lifted, and refused updates (counted per code
 * and minute, so a hostile client cannot flood the log).
 */
import { parseDocumentName } from '@kartu/protocol'
import type { AuditRecorder } from '../../audit/AuditLog.ts'
import {
  lockChangedEvent,
  suggestionDecidedEvent,
  updateRefusedEvent,
} from '../../audit/auditEvents.ts'
import type { RoomListener } from '../roomListener.ts'

export function auditTrail(audit: AuditRecorder): RoomListener {
  return {
    updateApplied({ documentName, participant, decisions, blockLocks }) {
      for (const locked of blockLocks) {
        audit.record(
          lockChangedEvent({
            userId: participant.userId,
            cardId: parseDocumentName(documentName)?.id ?? documentName,
            locked,
            part: 'paragraph',
          }),
        )
      }
      for (const decision of decisions) {
        audit.record(
          suggestionDecidedEvent({
            userId: participant.userId,
            documentName,
            suggestionId: decision.suggestionId,
            decision: decision.outcome,
            authorUserId: decision.authorUserId,
          }),
        )
      }
    },
    updatesRefused({ documentName, participant, records }) {
      for (const record of records) {
        audit.record(
          updateRefusedEvent({ userId: participant.userId, documentName, refusal: record }),
        )
      }
    },
  }
}
