/**
 * The machine's Redis for tests (several nodes). Where it does not answer, `redisForTests()` says
 * so loudly and the tests that need it skip; under CI=true its absence is a failure instead.
 */
import { Redis } from 'ioredis'

/** KARTU_TEST_REDIS_URL, or CI's. */
export const TEST_REDIS_URL = process.env.KARTU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

let reachable: Promise<boolean> | null = null

async function probe(): Promise<boolean> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return true
  } catch (error) {
    const message = `Redis is not reachable at ${TEST_REDIS_URL}: ${String(error)}`
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: Redis is required)`)
    console.warn(
      `\n!!!!!!!!\n!!! SKIPPING the tests of several nodes: ${message}\n!!! Start Redis or set KARTU_TEST_REDIS_URL.\n!!!!!!!!\n`,
    )
    return false
  } finally {
    redis.disconnect()
  }
}

/** Whether the tests that need Redis can run (probed once per test file). Throws under CI=true. */
export function redisForTests(): Promise<boolean> {
  reachable ??= probe()
  return reachable
}
