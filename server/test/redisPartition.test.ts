/**
 * Redis cut off from two real nodes (decision 0018): a redis-server of the test's own is killed
 * (SIGKILL, as when the network or its machine goes) while people type on both nodes, then
 * started again on the same port. Redis carries only what every node must hear at once (access
 * changes, inbox events, sign-in counts): while it is away people go on editing and everything
 * acknowledged is stored; once it is back, each node catches up on what it missed at once, not at
 * its next poll, which this test sets ten minutes away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OwnRedis, ownRedisForTests } from '../src/testing/ownRedis.ts'
import { postgresForTests, TEST_STORE } from '../src/testing/testPostgres.ts'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Cluster, makeCluster } from './helpers/nodes.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'

const services = (await postgresForTests()) && ownRedisForTests()

type Readiness = { ok: boolean; redis?: 'up' | 'down' }

// Always on PostgreSQL (several nodes need it): run once, in the suite's first pass.
describe.skipIf(!services || TEST_STORE === 'postgres')('Redis cut off from the nodes', () => {
  let redis: OwnRedis
  let cluster: Cluster
  const clients: TestClient[] = []
  const raws: RawClient[] = []

  beforeAll(async () => {
    redis = await OwnRedis.start()
    cluster = await makeCluster(['a', 'b'], {
      KARTU_REDIS_URL: redis.url,
      // The nodes' own re-reading of access, the slow way to catch up, is out of the picture:
      // whatever reaches the other node within seconds came through Redis.
      KARTU_PERMISSION_REFRESH_MS: '600000',
    })
    await cluster.start('a')
    await cluster.start('b')
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const raw of raws) raw.close()
    await cluster?.stopAll()
    await redis?.kill()
  })

  const node = (id: string) => cluster.node(id)
  const card = (index: number) => cluster.card(index)
  const user = (key: string) => {
    const found = cluster.seeded.users[key]
    if (!found) throw new Error(`no seeded user ${key}`)
    return found
  }
  const open = (nodeId: string, index: number, key: string) => {
    const client = connectClient(node(nodeId).wsUrl, card(index), user(key).token)
    clients.push(client)
    return client
  }
  const readiness = async (nodeId: string): Promise<Readiness> =>
    (await (await fetch(`${node(nodeId).httpUrl}/readyz`)).json()) as Readiness
  const redisOnBoth = async (state: 'up' | 'down') => {
    const deadline = Date.now() + 10_000
    for (;;) {
      const [a, b] = await Promise.all([readiness('a'), readiness('b')])
      if (a.redis === state && b.redis === state) return
      if (Date.now() > deadline) {
        throw new Error(`redis not ${state} on both nodes: ${JSON.stringify({ a, b })}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const signIn = (nodeId: string, key: string) =>
    fetch(`${node(nodeId).httpUrl}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://kartu.test' },
      body: JSON.stringify({ email: user(key).email, password: user(key).password }),
    })
  const removeMember = (nodeId: string, key: string) =>
    fetch(`${node(nodeId).httpUrl}/api/decks/${cluster.seeded.deckId}/members/${user(key).id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${user('chair').token}` },
    })

  it('people go on editing while Redis is away, nothing is lost, and the nodes catch up once it is back', async () => {
    await redisOnBoth('up')
    const onA = open('a', 0, 'kp2mi')
    const onB = open('b', 0, 'kemlu')
    await Promise.all([onA.synced(), onB.synced()])
    firstText(onA.doc).insert(0, 'sebelum ')
    await onA.saved()

    // Someone about to be removed: held on a, connected through b.
    const holderOfCard1 = await connectRaw(`${node('a').wsUrl}/${card(1)}`, user('kp2mi').token)
    raws.push(holderOfCard1)
    await holderOfCard1.synced()
    const commenter = await connectRaw(`${node('b').wsUrl}/${card(1)}`, user('commenter').token)
    raws.push(commenter)
    await commenter.synced()

    await redis.kill()
    await redisOnBoth('down')

    // Typing on both nodes goes on and is acknowledged: the relay between nodes needs no Redis.
    for (let i = 0; i < 20; i++) {
      firstText(onA.doc).insert(0, `a${i} `)
      firstText(onB.doc).insert(0, `b${i} `)
    }
    await Promise.all([onA.saved(), onB.saved()])
    await waitFor(
      () => answerXml(onA.doc) === answerXml(onB.doc) && answerXml(onB.doc).includes('a19 '),
      5_000,
      'both nodes to show every edit made while Redis is away',
    )
    const typedWhileAway = answerXml(onA.doc)
    for (let i = 0; i < 20; i++) {
      expect(typedWhileAway).toContain(`a${i} `)
      expect(typedWhileAway).toContain(`b${i} `)
    }
    // A newcomer is served too, on the node that does not hold the card.
    const newcomer = open('b', 0, 'chair')
    await newcomer.synced()
    expect(answerXml(newcomer.doc)).toBe(typedWhileAway)
    // Signing in still works: each node counts failures on its own meanwhile.
    expect((await signIn('b', 'kemlu')).status).toBe(200)

    // A removal made on b while nobody can hear it: a's connection stays open for now.
    expect((await removeMember('b', 'commenter')).status).toBe(204)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(commenter.closeCode()).toBeNull()

    await redis.restart()
    const backAt = Date.now()
    await redisOnBoth('up')
    // Back on the bus, a reads access again at once: the removed member is cut off.
    await waitFor(() => commenter.closeCode() !== null, 5_000, 'the missed removal to take effect')
    expect(commenter.closeCode()).toBe(4403)
    expect(Date.now() - backAt).toBeLessThan(10_000)
    expect(holderOfCard1.closeCode()).toBeNull()

    // And the bus carries changes live again: a removal made on b reaches a, which holds card 2.
    const holderOfCard2 = await connectRaw(`${node('a').wsUrl}/${card(2)}`, user('kp2mi').token)
    raws.push(holderOfCard2)
    await holderOfCard2.synced()
    const viewer = await connectRaw(`${node('b').wsUrl}/${card(2)}`, user('viewer').token)
    raws.push(viewer)
    await viewer.synced()
    const removedAt = Date.now()
    expect((await removeMember('b', 'viewer')).status).toBe(204)
    await waitFor(() => viewer.closeCode() !== null, 5_000, 'a live removal after the outage')
    expect(viewer.closeCode()).toBe(4403)
    expect(Date.now() - removedAt).toBeLessThan(5_000)

    // Everything acknowledged is in PostgreSQL: both nodes stopped, one started, the card read.
    for (const client of clients) client.destroy()
    clients.length = 0
    await cluster.stopAll()
    await cluster.start('b')
    const reader = open('b', 0, 'chair')
    await reader.synced()
    expect(answerXml(reader.doc)).toBe(typedWhileAway)
  })
})
