/**
 * Nothing acknowledged is lost: across a graceful restart, and across kill -9 right after a
 * Persisted arrived.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { answerXml, connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('durability of acknowledged edits', () => {
  const clients: TestClient[] = []
  let server: ServerProcess | null = null
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server?.stop()
    server = null
  })

  it('a server restart keeps everything', async () => {
    const seeded = await seed()
    const name = cardDocumentName(seeded.cardIds[0] as string)
    const token = seeded.users.kp2mi?.token as string
    server = await startServer(seeded.dataDir)
    const writer = connectClient(server.wsUrl, name, token)
    clients.push(writer)
    await writer.synced()
    firstText(writer.doc).insert(0, 'Tetap ada setelah restart. ')
    await writer.saved()
    const expected = answerXml(writer.doc)
    writer.destroy()
    expect(await server.stop()).toBe(0)

    server = await startServer(seeded.dataDir)
    const reader = connectClient(server.wsUrl, name, token)
    clients.push(reader)
    await reader.synced()
    expect(answerXml(reader.doc)).toBe(expected)
  })

  it('kill -9 right after Persisted loses nothing that was acknowledged (10 times)', async () => {
    const seeded = await seed()
    const name = cardDocumentName(seeded.cardIds[3] as string)
    const token = seeded.users.kemlu?.token as string
    const acknowledged: string[] = []
    for (let round = 0; round < 10; round++) {
      server = await startServer(seeded.dataDir)
      const writer = connectClient(server.wsUrl, name, token)
      await writer.synced()
      const marker = `[ack-${round}]`
      firstText(writer.doc).insert(0, marker)
      await writer.saved()
      acknowledged.push(marker)
      // No graceful anything: the process dies the moment the acknowledgement is in.
      await server.kill9()
      writer.destroy()
      server = null
    }
    server = await startServer(seeded.dataDir)
    const reader = connectClient(server.wsUrl, name, token)
    clients.push(reader)
    await reader.synced()
    const text = firstText(reader.doc).toString()
    for (const marker of acknowledged) expect(text).toContain(marker)
  })
})
