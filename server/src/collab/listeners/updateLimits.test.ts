import { RejectCode, Role } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { participant, recordingLogger } from '../../testing/collabFixtures.ts'
import type { IncomingUpdate, RoomContext } from '../roomListener.ts'
import { updateLimits } from './updateLimits.ts'

describe('updateLimits', () => {
  const logger = recordingLogger()
  const room: RoomContext = {
    name: 'card:c1',
    doc: new Y.Doc(),
    logger,
    isClientOrigin: () => true,
  }
  const incoming = (bytes: number, storedBytes: number): IncomingUpdate => ({
    documentName: room.name,
    doc: room.doc,
    update: new Uint8Array(bytes),
    participant: participant('a', Role.Editor),
    sender: { userId: 'a', role: Role.Editor },
    locked: false,
    storedBytes,
  })

  it('refuses an update over the per-update limit, and one that would pass the document limit', () => {
    const check = updateLimits(room, { maxUpdateBytes: 100, docMaxBytes: 1000 }).checkUpdate
    expect(check?.(incoming(100, 0))).toEqual({ ok: true })
    expect(check?.(incoming(101, 0))).toMatchObject({ ok: false, code: RejectCode.UpdateTooLarge })
    expect(check?.(incoming(50, 950))).toEqual({ ok: true })
    expect(check?.(incoming(51, 950))).toMatchObject({
      ok: false,
      code: RejectCode.DocumentTooLarge,
    })
    // The document limit is an operator's alert, not only the sender's refusal.
    expect(logger.entries.some((entry) => entry.level === 'error' && entry.fields)).toBe(true)
  })

  it('lets everything through without limits', () => {
    const check = updateLimits(room, {}).checkUpdate
    expect(check?.(incoming(10_000_000, 10_000_000))).toEqual({ ok: true })
  })
})
