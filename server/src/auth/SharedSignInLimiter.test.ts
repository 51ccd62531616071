/**
 * Failed sign-ins counted in Redis, shared by the nodes (two limiters on two buses are two
 * nodes), and counted in the process when Redis does not answer. Keys under a prefix of this
 * run's own on the machine's Redis.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ClusterBus } from '../cluster/clusterBus.ts'
import { freePort } from '../testing/ownRedis.ts'
import { redisForTests, TEST_REDIS_URL } from '../testing/testRedis.ts'
import { signInLimiterFor } from './SharedSignInLimiter.ts'
import type { SignInGuard } from './SignInLimiter.ts'

const hasRedis = await redisForTests()

const MINUTE = 60_000
const limits = { windowMs: 15 * MINUTE, maxFailuresPerAccount: 5, maxFailuresPerAddress: 20 }

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

const buses: ClusterBus[] = []
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()))
})

function bus(redisUrl: string, nodeId: string, prefix: string, logger = recordingLogger()) {
  const created = new ClusterBus({ redisUrl, nodeId, prefix, logger })
  buses.push(created)
  return created
}

/** Two nodes' limiters on the machine's Redis, under a prefix of their own. */
async function twoNodes(nodeLimits = limits): Promise<[SignInGuard, SignInGuard]> {
  const prefix = `kartu-test-${randomUUID()}:`
  const a = bus(TEST_REDIS_URL, 'node-a', prefix)
  const b = bus(TEST_REDIS_URL, 'node-b', prefix)
  await vi.waitFor(() => expect([a.state, b.state]).toEqual(['up', 'up']), { timeout: 10_000 })
  const logger = recordingLogger()
  return [signInLimiterFor(nodeLimits, a, logger), signInLimiterFor(nodeLimits, b, logger)]
}

describe.skipIf(!hasRedis)('SharedSignInLimiter on Redis', () => {
  it('counts one account’s failures on every node together', async () => {
    const [a, b] = await twoNodes()
    for (let i = 0; i < 5; i++) {
      const node = i % 2 === 0 ? a : b
      expect((await node.begin('siti@kp2mi.go.id', `10.0.0.${i}`)).ok).toBe(true)
    }
    const refused = await a.begin(' Siti@KP2MI.go.id', '10.9.9.9')
    expect(refused).toMatchObject({ ok: false, scope: 'account' })
    if (refused.ok) throw new Error('expected a refusal')
    // The window runs from the first failure: about 15 minutes left.
    expect(refused.retryAfterSec).toBeGreaterThan(14 * 60)
    expect(refused.retryAfterSec).toBeLessThanOrEqual(15 * 60)
    expect((await b.begin('siti@kp2mi.go.id', '10.9.9.9')).ok).toBe(false)
    // Other accounts are not affected.
    expect((await b.begin('budi@kemlu.go.id', '10.9.9.9')).ok).toBe(true)
  })

  it('counts one address’s failures over many accounts on every node together', async () => {
    const [a, b] = await twoNodes()
    for (let i = 0; i < 20; i++) {
      expect((await (i < 10 ? a : b).begin(`user${i}@x.id`, '192.0.2.7')).ok).toBe(true)
    }
    expect(await a.begin('someone-new@x.id', '192.0.2.7')).toMatchObject({
      ok: false,
      scope: 'address',
    })
    expect((await b.begin('someone-new@x.id', '192.0.2.8')).ok).toBe(true)
  })

  it('lets through exactly the allowed attempts of a parallel burst over two nodes', async () => {
    const [a, b] = await twoNodes()
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).begin('a@x.id', '10.0.0.1')),
    )
    expect(burst.filter((attempt) => attempt.ok)).toHaveLength(5)
  })

  it('does not count a success, which clears the account but not the address', async () => {
    const [a, b] = await twoNodes({ ...limits, maxFailuresPerAddress: 7 })
    for (let i = 0; i < 4; i++) await a.begin('a@x.id', '10.0.0.1')
    const attempt = await b.begin('a@x.id', '10.0.0.1')
    if (!attempt.ok) throw new Error('expected the 5th attempt to be allowed')
    await b.succeeded(attempt.ticket)
    // The account starts afresh; the address keeps its 4 failures (of 7): 3 more, then refused.
    for (let i = 0; i < 3; i++) expect((await a.begin('a@x.id', '10.0.0.1')).ok).toBe(true)
    expect(await a.begin('a@x.id', '10.0.0.1')).toMatchObject({ ok: false, scope: 'address' })
  })

  it('forgets the failures once the window is over', async () => {
    const [a, b] = await twoNodes({ ...limits, windowMs: 300 })
    for (let i = 0; i < 5; i++) await a.begin('a@x.id', '10.0.0.1')
    expect(await b.begin('a@x.id', '10.0.0.1')).toMatchObject({ ok: false, retryAfterSec: 1 })
    await new Promise((resolve) => setTimeout(resolve, 350))
    expect((await b.begin('a@x.id', '10.0.0.1')).ok).toBe(true)
  })
})

describe('SharedSignInLimiter without Redis', () => {
  it('still limits, in the process, and says so', async () => {
    const logger = recordingLogger()
    // Nothing listens there.
    const away = bus(`redis://127.0.0.1:${await freePort()}`, 'node-a', 'kartu-test:')
    const limiter = signInLimiterFor(limits, away, logger)
    for (let i = 0; i < 4; i++) expect((await limiter.begin('a@x.id', '10.0.0.1')).ok).toBe(true)
    const fifth = await limiter.begin('a@x.id', '10.0.0.1')
    if (!fifth.ok) throw new Error('expected the 5th attempt to be allowed')
    await limiter.succeeded(fifth.ticket)
    for (let i = 0; i < 5; i++) expect((await limiter.begin('a@x.id', '10.0.0.1')).ok).toBe(true)
    expect(await limiter.begin('a@x.id', '10.0.0.1')).toMatchObject({
      ok: false,
      scope: 'account',
    })
    // Said, but not at every attempt.
    expect(logger.warnings.filter((w) => w.includes('this node alone'))).toHaveLength(1)
  })

  it('is the in-process limiter when there is no bus (one process)', async () => {
    const limiter = signInLimiterFor(limits, null, recordingLogger())
    for (let i = 0; i < 5; i++) expect((await limiter.begin('a@x.id', '10.0.0.1')).ok).toBe(true)
    expect((await limiter.begin('a@x.id', '10.0.0.1')).ok).toBe(false)
  })
})
