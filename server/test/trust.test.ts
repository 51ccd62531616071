/**
 * Attacks with raw y-protocols clients against a real server: the server decides what every
 * update may do, whatever the client claims.
 */
import { cardDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD, AUTHORS_FIELD, answerMarkFormat, SUGGESTIONS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { auditActions } from './helpers/auditTrail.ts'
import { waitFor } from './helpers/clients.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** An update from a copy of `from` with its own clientID, editing the answer's first text. */
function editFrom(from: Y.Doc, change: (text: Y.XmlText, doc: Y.Doc) => void, clientId?: number) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  if (clientId !== undefined) doc.clientID = clientId
  const before = Y.encodeStateVector(doc)
  const block = doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  doc.transact(() => change(block.get(0) as Y.XmlText, doc))
  return Y.encodeStateAsUpdate(doc, before)
}

describe('the server decides what every update may do', () => {
  let seeded: Seeded
  let server: ServerProcess
  const open: RawClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of open) client.close()
    await server?.stop()
  })
  const connect = async (cardIndex: number, user: string) => {
    const url = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[cardIndex] as string)}`
    const client = await connectRaw(url, seeded.users[user]?.token as string)
    open.push(client)
    await client.synced()
    return client
  }

  it('a viewer sending 1,000 real updates changes nothing, reaches no one, and is cut off', async () => {
    const witness = await connect(7, 'chair')
    const viewer = await connect(7, 'viewer')
    const before = Y.encodeStateVector(witness.doc)
    for (let i = 0; i < 1000 && viewer.socket.readyState === viewer.socket.OPEN; i++) {
      viewer.sendUpdate(editFrom(viewer.doc, (text) => text.insert(0, `x${i}`)))
    }
    await waitFor(() => viewer.closeCode() !== null, 10_000, 'the viewer to be disconnected')
    expect(viewer.closeCode()).toBe(4429)
    expect(viewer.rejected.length).toBeGreaterThan(0)
    expect(viewer.rejected.every((r) => r.code === 'read_only')).toBe(true)
    const late = await connect(7, 'kemlu')
    expect(Y.encodeStateVector(late.doc)).toEqual(before)
    expect(witness.updatesReceived).toBe(0)
  })

  it('refuses a commenter’s text change and a suggester’s direct edit; accepts their suggestion', async () => {
    const commenter = await connect(8, 'commenter')
    commenter.sendUpdate(editFrom(commenter.doc, (text) => text.delete(0, 4)))
    const suggester = await connect(8, 'suggester')
    suggester.sendUpdate(editFrom(suggester.doc, (text) => text.delete(0, 4)))
    suggester.sendUpdate(editFrom(suggester.doc, (text) => text.insert(0, 'polos ')))
    await waitFor(() => commenter.rejected.length === 1 && suggester.rejected.length === 2)
    expect(commenter.rejected[0]?.code).toBe('text_change_not_allowed')
    expect(suggester.rejected.map((r) => r.code)).toEqual([
      'text_change_not_allowed',
      'text_change_not_allowed',
    ])
    suggester.sendUpdate(
      editFrom(suggester.doc, (text, doc) => {
        text.insert(0, 'Usulan ', answerMarkFormat('insertion', { id: 's1' }))
        doc.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 1 })
      }),
    )
    const chair = await connect(8, 'chair')
    await waitFor(() => chair.doc.getMap(SUGGESTIONS_FIELD).has('s1'), 5_000, 'the suggestion')
    const item = chair.doc.getMap(SUGGESTIONS_FIELD)._map.get('s1')
    const author = chair.doc.getMap<{ userId: string }>(AUTHORS_FIELD).get(String(item?.id.client))
    expect(author?.userId).toBe(seeded.users.suggester?.id)
    expect(suggester.rejected.length).toBe(2)
  })

  it('refuses content under another person’s clientID and writes to the authors map', async () => {
    const kp2mi = await connect(9, 'kp2mi')
    const kp2miUpdate = editFrom(kp2mi.doc, (text) => text.insert(0, 'asli '), 424242)
    kp2mi.sendUpdate(kp2miUpdate)
    const kemlu = await connect(9, 'kemlu')
    await waitFor(() => kemlu.doc.getMap(AUTHORS_FIELD).has('424242'), 5_000, 'binding')
    kemlu.sendUpdate(editFrom(kemlu.doc, (text) => text.insert(0, 'palsu '), 424242))
    kemlu.sendUpdate(
      editFrom(kemlu.doc, (_text, doc) =>
        doc.getMap(AUTHORS_FIELD).set('777', { userId: seeded.users.chair?.id, name: 'Ketua' }),
      ),
    )
    await waitFor(() => kemlu.rejected.length === 2)
    expect(kemlu.rejected.map((r) => r.code)).toEqual(['client_id_taken', 'forbidden_field'])
    expect(kp2mi.doc.getXmlFragment(ANSWER_FIELD).toString()).not.toContain('palsu')
  })

  it('overwrites an awareness state that claims to be someone else', async () => {
    const witness = await connect(10, 'chair')
    const liar = await connect(10, 'kemlu')
    liar.sendAwareness(31337, 1, { user: { name: 'Ketua Delegasi', color: '#000' }, cardId: null })
    await waitFor(() => witness.awareness.getStates().has(31337), 5_000, 'awareness')
    const state = witness.awareness.getStates().get(31337) as { user: { name: string; id: string } }
    expect(state.user.name).toBe('Test kemlu')
    expect(state.user.id).toBe(seeded.users.kemlu?.id)
  })

  it('a member removed mid-session can no longer write within 5 s', async () => {
    const kemlu = await connect(11, 'kemlu')
    const response = await fetch(
      `${server.httpUrl}/api/decks/${seeded.deckId}/members/${seeded.users.kemlu?.id}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${seeded.users.chair?.token}` } },
    )
    expect(response.status).toBe(204)
    await waitFor(() => kemlu.closeCode() !== null, 5_000, 'the removed member to be cut off')
    expect(kemlu.closeCode()).toBe(4403)
  })

  it('a role change reaches an open connection without a reconnect, and locks bind everyone', async () => {
    const kp2mi = await connect(12, 'kp2mi')
    const chairHeaders = {
      authorization: `Bearer ${seeded.users.chair?.token}`,
      'content-type': 'application/json',
    }
    const demote = await fetch(`${server.httpUrl}/api/decks/${seeded.deckId}/members`, {
      method: 'PUT',
      headers: chairHeaders,
      body: JSON.stringify({ email: seeded.users.kp2mi?.email, role: 'viewer' }),
    })
    expect(demote.status).toBe(200)
    await waitFor(() => kp2mi.permissions.at(-1)?.role === 'viewer', 5_000, 'the new role')
    kp2mi.sendUpdate(editFrom(kp2mi.doc, (text) => text.insert(0, 'tidak boleh ')))
    await waitFor(() => kp2mi.rejected.length === 1)
    expect(kp2mi.rejected[0]?.code).toBe('read_only')

    const chair = await connect(12, 'chair')
    const lock = await fetch(`${server.httpUrl}/api/cards/${seeded.cardIds[12]}`, {
      method: 'PATCH',
      headers: chairHeaders,
      body: JSON.stringify({ locked: true }),
    })
    expect(lock.status).toBe(200)
    await waitFor(() => chair.permissions.at(-1)?.locked === true, 5_000, 'the lock')
    chair.sendUpdate(editFrom(chair.doc, (text) => text.insert(0, 'terkunci ')))
    await waitFor(() => chair.rejected.length === 1)
    expect(chair.rejected[0]?.code).toBe('locked')
    await fetch(`${server.httpUrl}/api/cards/${seeded.cardIds[12]}`, {
      method: 'PATCH',
      headers: chairHeaders,
      body: JSON.stringify({ locked: false }),
    })
    await waitFor(() => chair.permissions.at(-1)?.locked === false, 5_000, 'the unlock')
    chair.sendUpdate(editFrom(chair.doc, (text) => text.insert(0, 'dibuka ')))
    const witness = await connect(12, 'viewer')
    await waitFor(
      () => witness.doc.getXmlFragment(ANSWER_FIELD).toString().includes('dibuka'),
      5_000,
      'the edit after unlocking',
    )
    expect(chair.rejected.length).toBe(1)
    const trail = await auditActions(seeded.dataDir)
    expect(trail.filter((e) => e.action === 'lock.changed').map((e) => e.details)).toEqual([
      { locked: true },
      { locked: false },
    ])
    const refused = trail.filter((e) => e.action === 'update.refused')
    const details = (e: (typeof refused)[number]) => e.details as { code: string; count: number }
    // The viewer's 50 refusals before it was cut off: counted, not one entry each (a minute
    // boundary in between makes it two pairs at most).
    const readOnly = refused.filter((e) => details(e).code === 'read_only')
    expect(readOnly.reduce((sum, e) => sum + details(e).count, 0)).toBeGreaterThanOrEqual(50)
    expect(readOnly.length).toBeLessThanOrEqual(4)
    expect(refused.some((e) => details(e).code === 'locked')).toBe(true)
  })
})
