/**
 * Versions of a card's answer, against a real server process and stock y-websocket clients: a
 * version named by an editor holds the answer as it was stored, and keeps it when the answer
 * changes; an automatic one follows changes and a quiet period, and none follows no change; a
 * stopping server takes the versions of the cards changed since their last. Naming is for the
 * chair and editors; reading for every member; anyone else gets 404.
 */
import { cardDocumentName, type Version, type VersionDetailResponse } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAs, userOf } from './helpers/api.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { removeFromDeck } from './helpers/cli.ts'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const QUIET_MS = 400

function api(server: ServerProcess, user: SeededUser) {
  const call = (method: string, path: string, body?: unknown) =>
    callAs(server, user, method, path, body)
  return {
    call,
    async versions(cardId: string): Promise<Version[]> {
      const response = await call('GET', `/api/cards/${cardId}/versions`)
      expect(response.status).toBe(200)
      return ((await response.json()) as { versions: Version[] }).versions
    },
    async version(cardId: string, id: string): Promise<VersionDetailResponse> {
      const response = await call('GET', `/api/cards/${cardId}/versions/${id}`)
      expect(response.status).toBe(200)
      return (await response.json()) as VersionDetailResponse
    },
  }
}

/** Types `text` at the start of the answer and waits until the server acknowledged it stored. */
async function typeAndSave(client: TestClient, text: string): Promise<void> {
  firstText(client.doc).insert(0, text)
  await client.saved()
}

describe('versions of a card’s answer', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, {
      KARTU_VERSION_QUIET_MS: String(QUIET_MS),
      KARTU_VERSION_BUDGET_BYTES: '1024',
    })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const open = async (user: SeededUser, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
    clients.push(client)
    await client.synced()
    return client
  }

  it('names the answer as stored, and the version keeps it when the answer changes', async () => {
    const editor = userOf(seeded, 'kp2mi')
    const cardId = seeded.cardIds[0] as string
    const client = await open(editor, cardId)
    await typeAndSave(client, 'Versi pertama. ')
    const asEditor = api(server, editor)
    const named = await asEditor.call('POST', `/api/cards/${cardId}/versions`, {
      name: 'Sebelum rakor',
    })
    expect(named.status).toBe(201)
    const { id } = (await named.json()) as { id: string }

    await typeAndSave(client, 'Tambahan sesudahnya. ')
    const list = await api(server, userOf(seeded, 'viewer')).versions(cardId)
    const listed = list.find((v) => v.id === id)
    expect(listed).toMatchObject({
      kind: 'named',
      name: 'Sebelum rakor',
      createdBy: { userId: editor.id, name: 'Test kp2mi', ministryId: 'KP2MI' },
    })
    expect(listed?.words).toBeGreaterThan(2)

    const read = await asEditor.version(cardId, id)
    expect(read.text).toContain('Versi pertama.')
    expect(read.text).not.toContain('Tambahan sesudahnya.')
    expect(read.doc.type).toBe('doc')
    expect(JSON.stringify(read.doc)).toContain('Versi pertama.')

    // The size of the card's history, against its budget (a small one in this test).
    const listed2 = (await (
      await asEditor.call('GET', `/api/cards/${cardId}/versions`)
    ).json()) as {
      budget: { usedBytes: number; limitBytes: number }
    }
    expect(listed2.budget.limitBytes).toBe(1024)
    expect(listed2.budget.usedBytes).toBeGreaterThan(1024)

    const trail = await auditActions(seeded.dataDir)
    expect(trail.filter((e) => e.action === 'version.named')).toEqual([
      expect.objectContaining({
        actorUserId: editor.id,
        subject: `card:${cardId}`,
        details: { versionId: id, name: 'Sebelum rakor' },
      }),
    ])
  })

  it('lets the chair and editors name versions, every member read them, and nobody else see them', async () => {
    const cardId = seeded.cardIds[1] as string
    const name = { name: 'Draf' }
    const post = (key: string, body: unknown = name) =>
      api(server, userOf(seeded, key)).call('POST', `/api/cards/${cardId}/versions`, body)
    expect((await post('chair')).status).toBe(201)
    for (const key of ['suggester', 'viewer', 'commenter']) {
      expect((await post(key)).status, key).toBe(403)
    }
    expect((await post('chair', { name: '' })).status).toBe(400)
    expect((await post('chair', {})).status).toBe(400)
    const suggester = api(server, userOf(seeded, 'suggester'))
    expect(await suggester.versions(cardId)).toHaveLength(1)
    const unknown = await suggester.call('GET', `/api/cards/${cardId}/versions/no-such-version`)
    expect(unknown.status).toBe(404)

    const outsider = userOf(seeded, 'commenter')
    const removed = await removeFromDeck(seeded, outsider.email)
    expect(removed.code).toBe(0)
    const asOutsider = api(server, outsider)
    expect((await asOutsider.call('GET', `/api/cards/${cardId}/versions`)).status).toBe(404)
    expect((await asOutsider.call('POST', `/api/cards/${cardId}/versions`, name)).status).toBe(404)
  })

  it('takes an automatic version after changes and a quiet period, and none without a change', async () => {
    const editor = userOf(seeded, 'kemlu')
    const cardId = seeded.cardIds[2] as string
    const reader = api(server, editor)
    const automatic = async () => (await reader.versions(cardId)).filter((v) => v.kind === 'auto')
    const client = await open(editor, cardId)
    await typeAndSave(client, 'Satu. ')
    await typeAndSave(client, 'Dua. ')
    let versions: Version[] = []
    const waitForAutomatic = async (count: number) => {
      const start = Date.now()
      while (Date.now() - start < 10_000) {
        versions = await automatic()
        if (versions.length >= count) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`expected ${count} automatic versions, found ${versions.length}`)
    }
    await waitForAutomatic(1)
    expect(versions).toHaveLength(1)
    expect(versions[0]?.createdBy).toBeNull()
    const first = await reader.version(cardId, versions[0]?.id as string)
    expect(first.text).toContain('Dua. Satu.')

    // Quiet, unchanged: no second version however long it stays so.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS * 3))
    expect(await automatic()).toHaveLength(1)

    await typeAndSave(client, 'Tiga. ')
    await waitForAutomatic(2)
    expect(versions).toHaveLength(2)
    // Newest first.
    const [newest, older] = versions
    expect((newest?.createdAt ?? 0) >= (older?.createdAt ?? 0)).toBe(true)
    expect((await reader.version(cardId, newest?.id as string)).text).toContain('Tiga. Dua.')
  })
})

describe('a stopping server', () => {
  it('takes a version of every card changed since its last one', async () => {
    const seeded = await seed()
    // A quiet period that never ends during the test: only the stop can take the version.
    const first = await startServer(seeded.dataDir, { KARTU_VERSION_QUIET_MS: '3600000' })
    const editor = userOf(seeded, 'kp2mi')
    const cardId = seeded.cardIds[0] as string
    const client = connectClient(first.wsUrl, cardDocumentName(cardId), editor.token)
    try {
      await client.synced()
      await typeAndSave(client, 'Sebelum berhenti. ')
      expect(await api(first, editor).versions(cardId)).toEqual([])
    } finally {
      client.destroy()
      expect(await first.stop()).toBe(0)
    }
    const second = await startServer(seeded.dataDir)
    try {
      const reader = api(second, editor)
      const versions = await reader.versions(cardId)
      expect(versions.map((v) => v.kind)).toEqual(['auto'])
      const read = await reader.version(cardId, versions[0]?.id as string)
      expect(read.text).toContain('Sebelum berhenti.')
      // The other cards did not change: no version for them.
      expect(await reader.versions(seeded.cardIds[1] as string)).toEqual([])
    } finally {
      await second.stop()
    }
  })
})
