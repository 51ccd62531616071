/**
 * The bus between nodes (decision 0018) on real Redis: two buses are two nodes. On the machine's
 * Redis, each run under a prefix of its own; the partition on a redis-server of the test's own,
 * killed and started again, never the shared one.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { freePort, OwnRedis, ownRedisForTests } from '../testing/ownRedis.ts'
import { redisForTests, TEST_REDIS_URL } from '../testing/testRedis.ts'
import { ClusterBus } from './clusterBus.ts'

const hasRedis = await redisForTests()
const canStartRedis = ownRedisForTests()

type Received = { data: unknown; from: string }

/** A logger that keeps what was warned. */
function recordingLogger() {
  const warnings: string[] = []
  return {
    warnings,
    info() {},
    debug() {},
    error() {},
    warn(_fields: object, message?: string) {
      warnings.push(message ?? '')
    },
  }
}

/** A node's end of the bus, with what it heard on topic `t` and how often it resynced. */
function listen(bus: ClusterBus) {
  const received: Received[] = []
  let resyncs = 0
  bus.subscribe('t', {
    receive: (data, from) => received.push({ data, from }),
    resync: () => {
      resyncs++
    },
  })
  return { received, resyncs: () => resyncs }
}

const buses: ClusterBus[] = []
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()))
})

function busOn(redisUrl: string, nodeId: string, prefix: string): ClusterBus {
  const bus = new ClusterBus({
    redisUrl,
    nodeId,
    prefix,
    logger: recordingLogger(),
    // Quick reconnection, so that the test does not wait on the backoff.
    retryDelayMs: () => 100,
  })
  buses.push(bus)
  return bus
}

const runPrefix = () => `kartu-test-${randomUUID()}:`

async function untilUp(...all: ClusterBus[]): Promise<void> {
  await vi.waitFor(() => expect(all.map((bus) => bus.state)).toEqual(all.map(() => 'up')), {
    timeout: 10_000,
    interval: 20,
  })
}

describe.skipIf(!hasRedis)('ClusterBus on Redis', () => {
  it('carries a message to every node, the sender too, with the sender’s id', async () => {
    const prefix = runPrefix()
    const a = busOn(TEST_REDIS_URL, 'node-a', prefix)
    const b = busOn(TEST_REDIS_URL, 'node-b', prefix)
    const atA = listen(a)
    const atB = listen(b)
    await untilUp(a, b)
    a.publish('t', { n: 1 })
    b.publish('t', { n: 2 })
    const both = [
      { data: { n: 1 }, from: 'node-a' },
      { data: { n: 2 }, from: 'node-b' },
    ]
    await vi.waitFor(() => {
      expect(atA.received).toEqual(expect.arrayContaining(both))
      expect(atB.received).toEqual(expect.arrayContaining(both))
    })
    expect(atA.received).toHaveLength(2)
    expect(atB.received).toHaveLength(2)
    // The first subscription counts as coming back: a node may have missed what came before.
    expect(atA.resyncs()).toBe(1)
    expect(atB.resyncs()).toBe(1)
  })

  it('keeps topics and prefixes apart', async () => {
    const prefix = runPrefix()
    const a = busOn(TEST_REDIS_URL, 'node-a', prefix)
    const other = busOn(TEST_REDIS_URL, 'node-x', runPrefix())
    const onT = listen(a)
    const onU: unknown[] = []
    a.subscribe('u', { receive: (data) => onU.push(data), resync: () => {} })
    const elsewhere = listen(other)
    await untilUp(a, other)
    a.publish('u', 'for u')
    other.publish('t', 'another cluster')
    await vi.waitFor(() => expect(onU).toEqual(['for u']))
    await vi.waitFor(() => expect(elsewhere.received).toHaveLength(1))
    expect(onT.received).toEqual([])
  })

  it('survives a handler that throws and a message that is not its own format', async () => {
    const prefix = runPrefix()
    const a = busOn(TEST_REDIS_URL, 'node-a', prefix)
    a.subscribe('t', {
      receive: () => {
        throw new Error('handler bug')
      },
      resync: () => {
        throw new Error('handler bug')
      },
    })
    const after = listen(a)
    await untilUp(a)
    await a.commands.publish(`${prefix}t`, 'not json')
    a.publish('t', 'fine')
    await vi.waitFor(() => expect(after.received).toEqual([{ data: 'fine', from: 'node-a' }]))
  })
})

describe('ClusterBus without Redis', () => {
  it('drops publishes without throwing, warns now and then, and closes', async () => {
    const logger = recordingLogger()
    const bus = new ClusterBus({
      // Nothing listens there.
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      nodeId: 'alone',
      prefix: runPrefix(),
      logger,
    })
    buses.push(bus)
    for (let i = 0; i < 100; i++) expect(() => bus.publish('t', { i })).not.toThrow()
    expect(bus.state).toBe('down')
    const dropped = logger.warnings.filter((warning) => warning.includes('dropped'))
    expect(dropped).toHaveLength(1)
    await bus.close()
    expect(() => bus.publish('t', 'after close')).not.toThrow()
  })
})

describe.skipIf(!canStartRedis)('ClusterBus across a partition', () => {
  let own: OwnRedis | null = null
  afterEach(async () => {
    await own?.kill()
    own = null
  })

  it('goes on when Redis is killed, and resubscribes and resyncs once it is back', async () => {
    own = await OwnRedis.start()
    const prefix = runPrefix()
    const a = busOn(own.url, 'node-a', prefix)
    const b = busOn(own.url, 'node-b', prefix)
    const atA = listen(a)
    const atB = listen(b)
    await untilUp(a, b)
    a.publish('t', 'before')
    await vi.waitFor(() => expect(atB.received.map((m) => m.data)).toEqual(['before']))
    const resyncsBefore = [atA.resyncs(), atB.resyncs()]

    await own.kill()
    await vi.waitFor(() => expect([a.state, b.state]).toEqual(['down', 'down']), {
      timeout: 10_000,
    })
    for (let i = 0; i < 20; i++) {
      expect(() => a.publish('t', `during ${i}`)).not.toThrow()
      expect(() => b.publish('t', `during ${i}`)).not.toThrow()
    }
    // A few reconnection attempts fail meanwhile, without a crash.
    await new Promise((resolve) => setTimeout(resolve, 500))

    await own.restart()
    await untilUp(a, b)
    expect(atA.resyncs()).toBeGreaterThan(resyncsBefore[0] as number)
    expect(atB.resyncs()).toBeGreaterThan(resyncsBefore[1] as number)
    a.publish('t', 'after')
    await vi.waitFor(() => expect(atB.received.map((m) => m.data)).toEqual(['before', 'after']))
    // What was published while Redis was away is gone, not delivered late.
    expect(atA.received.map((m) => m.data)).toEqual(['before', 'after'])
  })
})
