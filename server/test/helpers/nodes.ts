/**
 * Several Kartu nodes on one PostgreSQL schema and the machine's Redis (decision 0018), each a
 * real server process with a data folder of its own, on a port chosen before it starts (the
 * other nodes reach it at that address).
 */
import net from 'node:net'
import { cardDocumentName } from '@kartu/protocol'
import { TEST_REDIS_URL } from '../../src/testing/testRedis.ts'
import { keepOnPostgres, testStorageLocation } from '../../src/testing/testStore.ts'
import { makeDataDir, type Seeded, seed } from './seed.ts'
import { type ServerProcess, startServer } from './serverProcess.ts'

export const CLUSTER_SECRET = 'a-test-secret-shared-by-every-node-0123456789'

/** A port free now (the node listens on it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export type Cluster = {
  seeded: Seeded
  databaseUrl: string
  nodes: Map<string, ServerProcess>
  /** host:port of node `id` (whether it runs or not). */
  addressOf(id: string): string
  /** Node `id`, which must be running. */
  node(id: string): ServerProcess
  /** The document name of the seeded deck's card `index`. */
  card(index: number): string
  /** Starts (or restarts) node `id` on its port. */
  start(id: string): Promise<ServerProcess>
  stopAll(): Promise<void>
}

/** Seeds the demo deck into PostgreSQL and prepares nodes `ids` (not started). */
export async function makeCluster(
  ids: readonly string[],
  env: Record<string, string> = {},
): Promise<Cluster> {
  const dataDir = makeDataDir()
  keepOnPostgres(dataDir)
  const seeded = await seed(dataDir)
  const databaseUrl = (await testStorageLocation(dataDir)).databaseUrl as string
  const ports = new Map<string, number>()
  for (const id of ids) ports.set(id, await freePort())
  const nodes = new Map<string, ServerProcess>()
  const dirs = new Map(ids.map((id) => [id, makeDataDir()]))
  return {
    seeded,
    databaseUrl,
    nodes,
    addressOf: (id) => `127.0.0.1:${ports.get(id)}`,
    node(id) {
      const found = nodes.get(id)
      if (!found) throw new Error(`node ${id} is not running`)
      return found
    },
    card: (index) => cardDocumentName(seeded.cardIds[index] as string),
    async start(id) {
      const port = ports.get(id) as number
      const node = await startServer(dirs.get(id) as string, {
        PORT: String(port),
        KARTU_DATABASE_URL: databaseUrl,
        KARTU_REDIS_URL: TEST_REDIS_URL,
        KARTU_NODE_ID: id,
        KARTU_NODE_URL: `http://127.0.0.1:${port}`,
        KARTU_CLUSTER_SECRET: CLUSTER_SECRET,
        KARTU_LEASE_TTL_MS: '1500',
        KARTU_ROOM_UNLOAD_DELAY_MS: '200',
        ...env,
      })
      nodes.set(id, node)
      return node
    },
    async stopAll() {
      await Promise.all([...nodes.values()].map((node) => node.stop()))
      nodes.clear()
    },
  }
}
