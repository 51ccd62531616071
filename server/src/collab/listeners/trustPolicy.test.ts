import { RejectCode, Role } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  edit,
  participant,
  recordingLogger,
  TEST_ROOTS,
  TEXT,
} from '../../testing/collabFixtures.ts'
import type { IncomingUpdate, RoomContext } from '../roomListener.ts'
import { trustPolicy } from './trustPolicy.ts'

describe('trustPolicy', () => {
  function setUp() {
    const doc = new Y.Doc()
    const room: RoomContext = {
      name: 'card:c1',
      doc,
      logger: recordingLogger(),
      isClientOrigin: () => true,
    }
    const incoming = (update: Uint8Array, role: Role = Role.Editor): IncomingUpdate => ({
      documentName: room.name,
      doc,
      update,
      participant: participant('a', role),
      sender: { userId: 'a', role },
      locked: false,
      storedBytes: 0,
    })
    return { doc, policy: trustPolicy(room, TEST_ROOTS), incoming }
  }

  it('lets an update through with its new clientIDs, and never touches the room’s document', () => {
    const { doc, policy, incoming } = setUp()
    const client = new Y.Doc()
    const verdict = policy.checkUpdate?.(incoming(edit(client, 'halo')))
    expect(verdict).toEqual({
      ok: true,
      facts: { newClients: [client.clientID], decisions: [], blockLocks: [] },
    })
    expect(doc.getText(TEXT).toString()).toBe('')
  })

  it('refuses a malformed update whole, and judges the next on a clean shadow', () => {
    const { doc, policy, incoming } = setUp()
    const client = new Y.Doc()
    const good = edit(client, 'utuh')
    // Cut short: Yjs would integrate the first part and then throw.
    const verdict = policy.checkUpdate?.(incoming(good.slice(0, good.length - 3)))
    expect(verdict).toMatchObject({ ok: false, code: RejectCode.MalformedUpdate })
    expect(policy.checkUpdate?.(incoming(good))).toMatchObject({ ok: true })
    expect(doc.getText(TEXT).toString()).toBe('')
  })

  it('refuses what the role may not write: a field outside the document’s kind', () => {
    const { policy, incoming } = setUp()
    const client = new Y.Doc()
    client.getMap('made-up').set('x', 1)
    const verdict = policy.checkUpdate?.(incoming(Y.encodeStateAsUpdate(client)))
    expect(verdict?.ok).toBe(false)
  })
})
