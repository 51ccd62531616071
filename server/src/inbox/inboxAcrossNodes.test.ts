/**
 * A person's inbox events across nodes: two Inbox instances on one storage, each on its own bus
 * (two nodes), on the machine's Redis under a prefix of this run's own. An item delivered on
 * one node reaches the person's streams on both, once each; when a node's subscription comes
 * back, its streams are told to read again.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { InboxEvent } from '@kartu/protocol'
import { Redis } from 'ioredis'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ClusterBus } from '../cluster/clusterBus.ts'
import type { Storage } from '../store/openStore.ts'
import { redisForTests, TEST_REDIS_URL } from '../testing/testRedis.ts'
import { openTestStorage } from '../testing/testStore.ts'
import { Inbox, type Notice } from './inbox.ts'

const hasRedis = await redisForTests()
const silent = { info() {}, warn() {}, error() {}, debug() {} }

const mention: Notice = {
  kind: 'mention',
  deckId: 'd1',
  cardId: 'c1',
  actorUserId: 'u-kemlu',
  threadId: 't1',
  details: { text: 'KP2MI, please' },
}

/** Kills one connection of a bus on Redis (by its name), as a network blip would. */
async function killConnection(name: string): Promise<void> {
  const admin = new Redis(TEST_REDIS_URL)
  try {
    const clients = String(await admin.client('LIST'))
    const line = clients.split('\n').find((entry) => entry.includes(` name=${name} `))
    const id = line?.match(/\bid=(\d+)/)?.[1]
    if (!id) throw new Error(`no Redis connection named ${name}`)
    await admin.client('KILL', 'ID', id)
  } finally {
    admin.disconnect()
  }
}

describe.skipIf(!hasRedis)('inbox events across nodes', () => {
  let dir: string
  let storage: Storage
  const buses: ClusterBus[] = []

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-inbox-nodes-'))
    storage = await openTestStorage(dir)
    const { repository } = storage
    for (const id of ['KEMLU', 'KP2MI']) {
      await repository.upsertMinistry({
        id,
        short: id,
        nameId: id,
        nameEn: id,
        aliases: [],
        color: '#000',
      })
    }
    await repository.createDeck({
      id: 'd1',
      title: 'CMW',
      titleEn: 'CMW',
      committee: 'CMW',
      stateParty: 'Indonesia',
      clusters: [{ id: 'K1', nameId: 'K1', nameEn: 'K1' }],
      ministryIds: ['KEMLU', 'KP2MI'],
    })
    for (const [id, ministryId] of [
      ['u-kemlu', 'KEMLU'],
      ['u-kp2mi', 'KP2MI'],
    ] as const) {
      await repository.createUser({
        id,
        email: `${id}@x.test`,
        name: id,
        ministryId,
        passwordHash: null,
      })
      await repository.setMember('d1', id, 'editor')
    }
    await repository.createCard({
      id: 'c1',
      deckId: 'd1',
      ref: 'CC-01',
      cluster: 'K1',
      questionRef: '',
      question: 'Q?',
      questionId: '',
      articles: [],
      leadMinistry: 'KEMLU',
      contributingMinistries: ['KP2MI'],
      status: 'draft',
      timeBudgetSec: 120,
      position: 0,
      extra: {},
    })
  })
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()))
    await storage.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Two nodes: an Inbox each, on buses of one cluster, both subscribed. */
  async function twoNodes() {
    const prefix = `kartu-test-${randomUUID()}:`
    const run = randomUUID().slice(0, 8)
    const nodes = ['a', 'b'].map((name) => {
      const bus = new ClusterBus({
        redisUrl: TEST_REDIS_URL,
        nodeId: `node-${name}-${run}`,
        prefix,
        logger: silent,
        retryDelayMs: () => 50,
      })
      buses.push(bus)
      return {
        bus,
        inbox: new Inbox(storage.inbox, storage.repository, storage.signOff, silent, bus),
      }
    })
    await vi.waitFor(() => expect(nodes.map((node) => node.bus.state)).toEqual(['up', 'up']), {
      timeout: 10_000,
    })
    return nodes as [(typeof nodes)[0], (typeof nodes)[0]]
  }

  function stream(inbox: Inbox, userId: string): InboxEvent[] {
    const events: InboxEvent[] = []
    inbox.subscribe(userId, (event) => events.push(event))
    return events
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

  it('brings an item delivered on one node to the person’s streams on both, once each', async () => {
    const [a, b] = await twoNodes()
    const onA = stream(a.inbox, 'u-kp2mi')
    const onB = stream(b.inbox, 'u-kp2mi')
    const actorOnB = stream(b.inbox, 'u-kemlu')
    const added = await a.inbox.deliver(mention, ['u-kp2mi', 'u-kemlu'])
    expect(added).toHaveLength(1)
    await vi.waitFor(() => {
      expect(onA).toHaveLength(1)
      expect(onB).toHaveLength(1)
    })
    // Long enough for a second copy (the origin's echo, say) to have come.
    await settle()
    for (const events of [onA, onB]) {
      expect(events).toEqual([
        {
          unread: 1,
          item: expect.objectContaining({ id: added[0]?.id, cardRef: 'CC-01', kind: 'mention' }),
        },
      ])
    }
    // The person who wrote it gets nothing, on either node.
    expect(actorOnB).toEqual([])
  })

  it('tells the person’s streams on every node the new count once items are read', async () => {
    const [a, b] = await twoNodes()
    await a.inbox.deliver(mention, ['u-kp2mi'])
    // The item's own notice to node b is past before the streams open.
    await settle()
    const onA = stream(a.inbox, 'u-kp2mi')
    const onB = stream(b.inbox, 'u-kp2mi')
    expect(await b.inbox.markRead('u-kp2mi', 'all')).toBe(0)
    await vi.waitFor(() => expect(onA).toEqual([{ unread: 0 }]))
    await settle()
    expect(onB).toEqual([{ unread: 0 }])
  })

  it('tells a node’s streams to read again when its subscription comes back', async () => {
    const [a, b] = await twoNodes()
    const onA = stream(a.inbox, 'u-kp2mi')
    const onB = stream(b.inbox, 'u-kp2mi')
    await killConnection(`kartu:${b.bus.nodeId}:subscriber`)
    await vi.waitFor(() => expect(onB).toEqual([{ resync: true }]), { timeout: 10_000 })
    expect(b.bus.state).toBe('up')
    expect(onA).toEqual([])
    // And the bus carries items again.
    await a.inbox.deliver(mention, ['u-kp2mi'])
    await vi.waitFor(() => expect(onB).toHaveLength(2))
    expect(onB[1]).toMatchObject({ unread: 1 })
  })

  it('without a bus, serves its own streams as before', async () => {
    const alone = new Inbox(storage.inbox, storage.repository, storage.signOff, silent)
    const events = stream(alone, 'u-kp2mi')
    await alone.deliver(mention, ['u-kp2mi'])
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(events[0]).toMatchObject({ unread: 1, item: { kind: 'mention' } })
  })
})
