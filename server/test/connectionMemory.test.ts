/**
 * An open websocket holds nothing of the HTTP request that opened it: held for the connection's
 * lifetime, the request (headers, params, raw message, child logger) and the upgrade's response
 * object were most of a connection's memory (benchmark scenario 6: 12.9 KB per connection before,
 * 7.5 KB after). Checked with a weak reference to the raw request and a real garbage collection,
 * against the app in process and a real y-websocket client.
 */
import type { IncomingMessage } from 'node:http'
import v8 from 'node:v8'
import vm from 'node:vm'
import { cardDocumentName } from '@kartu/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { type BuiltApp, buildApp } from '../src/app.ts'
import { configFrom } from '../src/config.ts'
import { testStoreEnv } from '../src/testing/testStore.ts'
import { connectClient, type TestClient } from './helpers/clients.ts'
import { seed } from './helpers/seed.ts'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

describe('an open connection', () => {
  let built: BuiltApp | null = null
  let client: TestClient | null = null

  afterEach(async () => {
    client?.destroy()
    await built?.app.close()
  })

  it('lets the request that opened it be collected', async () => {
    const seeded = await seed()
    built = await buildApp(
      configFrom({
        KARTU_LOG_LEVEL: 'silent',
        KARTU_DATA_DIR: seeded.dataDir,
        ...(await testStoreEnv(seeded.dataDir)),
      }),
    )
    const requests: Array<WeakRef<IncomingMessage>> = []
    built.app.server.on('upgrade', (request: IncomingMessage) => {
      requests.push(new WeakRef(request))
    })
    const address = await built.app.listen({ port: 0, host: '127.0.0.1' })
    client = connectClient(
      `${address.replace('http', 'ws')}/collab`,
      cardDocumentName(seeded.cardIds[0] as string),
      seeded.users.chair?.token as string,
    )
    await client.synced()
    expect(requests).toHaveLength(1)
    for (let round = 0; round < 5 && requests[0]?.deref() !== undefined; round++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      gc()
    }
    expect(requests[0]?.deref(), 'the upgrade request is still held').toBeUndefined()
    // And the connection still works.
    expect(client.provider.wsconnected).toBe(true)
  })
})
