/**
 * Several nodes on one PostgreSQL and Redis (decision 0018), real server processes: people on
 * different nodes co-edit one card live, through the node that holds it; a clientID bound on one
 * node cannot be forged through another; a member removed on one node is cut off on the other;
 * and a node killed mid-edit hands its cards over with nothing acknowledged lost.
 */
import { ANSWER_FIELD, AUTHORS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { postgresForTests, TEST_STORE } from '../src/testing/testPostgres.ts'
import { redisForTests } from '../src/testing/testRedis.ts'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Cluster, makeCluster } from './helpers/nodes.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'

const services = (await postgresForTests()) && (await redisForTests())

/** An update from a copy of `from` with its own clientID, editing the answer's first text. */
function editFrom(from: Y.Doc, text: string, clientId: number): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  doc.clientID = clientId
  const before = Y.encodeStateVector(doc)
  const block = doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  doc.transact(() => (block.get(0) as Y.XmlText).insert(0, text))
  return Y.encodeStateAsUpdate(doc, before)
}

// Always on PostgreSQL (several nodes need it): run once, in the suite's first pass.
describe.skipIf(!services || TEST_STORE === 'postgres')('several nodes', () => {
  let cluster: Cluster
  const clients: TestClient[] = []
  const raws: RawClient[] = []

  beforeAll(async () => {
    cluster = await makeCluster(['a', 'b'])
    await cluster.start('a')
    await cluster.start('b')
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const raw of raws) raw.close()
    await cluster?.stopAll()
  })

  const node = (id: string) => cluster.node(id)
  const card = (index: number) => cluster.card(index)
  const tokenOf = (key: string) => cluster.seeded.users[key]?.token as string
  const open = (nodeId: string, index: number, user: string) => {
    const client = connectClient(node(nodeId).wsUrl, card(index), tokenOf(user))
    clients.push(client)
    return client
  }

  it('people on different nodes co-edit one card live, every edit stored once', async () => {
    const onA = open('a', 0, 'kp2mi')
    const onB = open('b', 0, 'kemlu')
    await Promise.all([onA.synced(), onB.synced()])
    firstText(onA.doc).insert(0, 'dari A ')
    firstText(onB.doc).insert(0, 'dari B ')
    await Promise.all([onA.saved(), onB.saved()])
    await waitFor(
      () => answerXml(onA.doc) === answerXml(onB.doc) && answerXml(onA.doc).includes('dari B'),
      5_000,
      'both nodes to show both edits',
    )
    expect(answerXml(onB.doc)).toContain('dari A')
    // Presence crosses too: each sees the other's cursor state.
    onA.provider.awareness.setLocalStateField('cardId', 'here')
    await waitFor(
      () => onB.provider.awareness.getStates().has(onA.doc.clientID),
      5_000,
      'presence from the other node',
    )
    // A newcomer on either node loads what both wrote.
    const late = open('b', 0, 'chair')
    await late.synced()
    expect(answerXml(late.doc)).toBe(answerXml(onA.doc))
  })

  it('a clientID bound on one node cannot be forged through the other', async () => {
    const honest = await connectRaw(`${node('a').wsUrl}/${card(1)}`, tokenOf('kp2mi'))
    raws.push(honest)
    await honest.synced()
    honest.sendUpdate(editFrom(honest.doc, 'asli ', 515151))
    const forger = await connectRaw(`${node('b').wsUrl}/${card(1)}`, tokenOf('kemlu'))
    raws.push(forger)
    await forger.synced()
    await waitFor(() => forger.doc.getMap(AUTHORS_FIELD).has('515151'), 5_000, 'the binding')
    forger.sendUpdate(editFrom(forger.doc, 'palsu ', 515151))
    await waitFor(() => forger.rejected.length === 1, 5_000, 'the refusal')
    expect(forger.rejected.map((r) => r.code)).toEqual(['client_id_taken'])
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(honest.doc.getXmlFragment(ANSWER_FIELD).toString()).not.toContain('palsu')
  })

  it('a member removed through one node is cut off on the other within 5 s', async () => {
    // a holds card 2; the commenter's connection reaches b, which relays it to a.
    const holder = await connectRaw(`${node('a').wsUrl}/${card(2)}`, tokenOf('kp2mi'))
    raws.push(holder)
    await holder.synced()
    const commenter = await connectRaw(`${node('b').wsUrl}/${card(2)}`, tokenOf('commenter'))
    raws.push(commenter)
    await commenter.synced()
    // Removed through b, where nothing of card 2 is held: a must hear of it.
    const removed = await fetch(
      `${node('b').httpUrl}/api/decks/${cluster.seeded.deckId}/members/${cluster.seeded.users.commenter?.id}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${tokenOf('chair')}` } },
    )
    expect(removed.status).toBe(204)
    await waitFor(() => commenter.closeCode() !== null, 5_000, 'the removed member to be cut off')
    expect(commenter.closeCode()).toBe(4403)
    expect(holder.closeCode()).toBeNull()
  })

  it('a node killed mid-edit: its people come back within 5 s, nothing acknowledged is lost', async () => {
    // Whoever holds card 3 is killed; the writer's connection is on it.
    const writer = open('a', 3, 'kp2mi')
    const witness = open('b', 3, 'kemlu')
    await Promise.all([writer.synced(), witness.synced()])
    firstText(writer.doc).insert(0, 'sebelum ')
    await writer.saved()
    await node('a').kill9()
    cluster.nodes.delete('a')
    // The witness was relayed through b to a (or held by b): either way it is served again.
    const cutAt = Date.now()
    const onB = open('b', 3, 'chair')
    await onB.synced()
    expect(Date.now() - cutAt).toBeLessThan(5_000)
    expect(answerXml(onB.doc)).toContain('sebelum')
    firstText(onB.doc).insert(0, 'sesudah ')
    await onB.saved()
    await waitFor(() => answerXml(witness.doc).includes('sesudah'), 5_000, 'the witness to follow')
    await cluster.start('a')
  })
})
