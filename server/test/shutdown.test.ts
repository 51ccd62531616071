/**
 * SIGTERM while clients are connected and typing: the server stores everything, closes the
 * sockets with 4503 and exits within 5 s; after a restart every acknowledged edit is there.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('graceful shutdown', () => {
  const clients: TestClient[] = []
  let server: ServerProcess | null = null
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server?.stop()
    server = null
  })

  it('flushes everything and exits within 5 s of SIGTERM with clients connected', async () => {
    const seeded = await seed()
    server = await startServer(seeded.dataDir)
    const writers = [0, 1, 2, 3, 4].map((i) =>
      connectClient(
        server?.wsUrl as string,
        cardDocumentName(seeded.cardIds[i] as string),
        seeded.users.kp2mi?.token as string,
      ),
    )
    clients.push(...writers)
    await Promise.all(writers.map((w) => w.synced()))
    for (let round = 0; round < 20; round++) {
      for (const [i, writer] of writers.entries())
        firstText(writer.doc).insert(0, `<${i}.${round}>`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await Promise.all(writers.map((w) => w.saved()))
    // Edits still arriving when the signal comes.
    for (const [i, writer] of writers.entries()) firstText(writer.doc).insert(0, `<${i}.last>`)
    const closeCodes: number[] = []
    for (const writer of writers) {
      writer.provider.on('connection-close', (event) => {
        if (event) closeCodes.push(event.code)
      })
    }
    const started = Date.now()
    const exitCode = await server.stop()
    const took = Date.now() - started
    server = null
    expect(exitCode).toBe(0)
    expect(took).toBeLessThan(5000)
    const acknowledged = writers.map((w) => firstText(w.doc).toString())
    for (const writer of writers) writer.provider.disconnect()

    server = await startServer(seeded.dataDir)
    for (const [i] of writers.entries()) {
      const reader = connectClient(
        server.wsUrl,
        cardDocumentName(seeded.cardIds[i] as string),
        seeded.users.chair?.token as string,
      )
      clients.push(reader)
      await reader.synced()
      const text = firstText(reader.doc).toString()
      for (let round = 0; round < 20; round++) expect(text).toContain(`<${i}.${round}>`)
      // The last edit was sent before the signal: stored too, unless it never left the client.
      if (!text.includes(`<${i}.last>`)) expect(acknowledged[i]).toContain(`<${i}.last>`)
    }
    console.info(
      `SIGTERM to exit: ${took} ms; close codes seen: ${[...new Set(closeCodes)].join(', ')}`,
    )
  })
})
