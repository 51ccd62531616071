/**
 * A change of access made on one node re-reads open connections on every node, once each; on
 * the machine's Redis under a prefix of this run's own.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redisForTests, TEST_REDIS_URL } from '../testing/testRedis.ts'
import { accessChangesAcrossNodes } from './accessChanges.ts'
import { ClusterBus } from './clusterBus.ts'

const hasRedis = await redisForTests()
const silent = { info() {}, warn() {}, error() {}, debug() {} }

const buses: ClusterBus[] = []
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()))
})

/** A node: its bus and how often it re-read its connections. */
function node(nodeId: string, prefix: string) {
  const bus = new ClusterBus({ redisUrl: TEST_REDIS_URL, nodeId, prefix, logger: silent })
  buses.push(bus)
  let refreshes = 0
  const afterAccessChange = accessChangesAcrossNodes(bus, async () => {
    refreshes++
  })
  return { bus, afterAccessChange, refreshes: () => refreshes }
}

describe.skipIf(!hasRedis)('access changes across nodes', () => {
  it('re-reads connections on the node that made the change and on the others, once', async () => {
    const prefix = `kartu-test-${randomUUID()}:`
    const a = node('node-a', prefix)
    const b = node('node-b', prefix)
    await vi.waitFor(() => expect([a.bus.state, b.bus.state]).toEqual(['up', 'up']), {
      timeout: 10_000,
    })
    // The first subscription re-read once already (what was missed before it).
    const before = [a.refreshes(), b.refreshes()]
    expect(before).toEqual([1, 1])
    await a.afterAccessChange()
    expect(a.refreshes()).toBe(2)
    await vi.waitFor(() => expect(b.refreshes()).toBe(2))
    // Long enough for the origin's own echo to have come back: it is not applied twice.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect([a.refreshes(), b.refreshes()]).toEqual([2, 2])
  })

  it('is the refresh itself without a bus (one process)', () => {
    const refresh = async () => {}
    expect(accessChangesAcrossNodes(null, refresh)).toBe(refresh)
  })
})
