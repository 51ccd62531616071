/**
 * Restoring a version, against a real server process and stock y-websocket clients: the chair's
 * restore reaches every open client live as a forward change, the text before it is kept as a
 * version, the decision log and the audit trail record it with the reason, a pending suggestion
 * in the replaced text is listed in the log entry (not dropped), and the restored words are the
 * chair's in history. Nobody but the chair may restore; a client may not forge a restore entry.
 */
import {
  type ChangesResponse,
  cardDocumentName,
  type Version,
  type VersionRestoreResponse,
} from '@kartu/protocol'
import {
  answerMarkFormat,
  DECISIONS_FIELD,
  type RestoreRecord,
  SUGGESTIONS_FIELD,
} from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callAs, userOf } from './helpers/api.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { type Seeded, type SeededUser, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

describe('restoring a version', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: TestClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_VERSION_QUIET_MS: '3600000' })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })
  const call = (user: SeededUser, method: string, path: string, body?: unknown) =>
    callAs(server, user, method, path, body)
  const open = async (user: SeededUser, cardId: string) => {
    const client = connectClient(server.wsUrl, cardDocumentName(cardId), user.token)
    clients.push(client)
    await client.synced()
    return client
  }
  const nameVersion = async (user: SeededUser, cardId: string, name: string) => {
    const response = await call(user, 'POST', `/api/cards/${cardId}/versions`, { name })
    expect(response.status).toBe(201)
    return ((await response.json()) as { id: string }).id
  }

  it('reaches every open client live, keeps the text before, and records why', async () => {
    const chair = userOf(seeded, 'chair')
    const kp2mi = userOf(seeded, 'kp2mi')
    const suggester = userOf(seeded, 'suggester')
    const cardId = seeded.cardIds[0] as string
    const editor = await open(kp2mi, cardId)
    firstText(editor.doc).insert(0, 'Teks yang disepakati. ')
    await editor.saved()
    const agreed = await nameVersion(chair, cardId, 'Disepakati')
    const agreedText = firstText(editor.doc).toString()

    firstText(editor.doc).insert(0, 'Kalimat yang keliru. ')
    await editor.saved()
    // A suggestion pending in the text the restore replaces.
    const asSuggester = await open(suggester, cardId)
    asSuggester.doc.transact(() => {
      firstText(asSuggester.doc).insert(
        0,
        'Usulan. ',
        answerMarkFormat('insertion', { id: 's-usulan' }),
      )
      asSuggester.doc
        .getMap(SUGGESTIONS_FIELD)
        .set('s-usulan', { kind: 'insert', createdAt: Date.now() })
    })
    await asSuggester.saved()
    const watcher = await open(userOf(seeded, 'viewer'), cardId)
    expect(firstText(watcher.doc).toString()).toContain('Kalimat yang keliru.')

    for (const key of ['kp2mi', 'suggester', 'viewer', 'commenter']) {
      const refused = await call(
        userOf(seeded, key),
        'POST',
        `/api/cards/${cardId}/versions/${agreed}/restore`,
        {
          reason: 'coba',
        },
      )
      expect(refused.status, key).toBe(403)
    }
    expect(
      (await call(chair, 'POST', `/api/cards/${cardId}/versions/${agreed}/restore`, {})).status,
    ).toBe(400)
    expect(
      (await call(chair, 'POST', `/api/cards/${cardId}/versions/nope/restore`, { reason: 'x' }))
        .status,
    ).toBe(404)

    const response = await call(chair, 'POST', `/api/cards/${cardId}/versions/${agreed}/restore`, {
      reason: 'Kembali ke teks yang disepakati rakor',
    })
    expect(response.status).toBe(200)
    const restored = (await response.json()) as VersionRestoreResponse
    expect(restored.orphanedSuggestions).toBe(1)

    // Live, on every open client: no reload, the same text everywhere.
    for (const client of [editor, asSuggester, watcher]) {
      await waitFor(() => firstText(client.doc).toString() === agreedText, 5_000, 'restored text')
    }

    // The text before is a version, and holds what the restore replaced.
    const versions = (
      (await (await call(chair, 'GET', `/api/cards/${cardId}/versions`)).json()) as {
        versions: Version[]
      }
    ).versions
    const before = versions.find((v) => v.id === restored.beforeVersionId)
    expect(before).toMatchObject({ kind: 'restore', createdBy: { userId: chair.id } })
    const beforeText = (await (
      await call(chair, 'GET', `/api/cards/${cardId}/versions/${restored.beforeVersionId}`)
    ).json()) as { text: string }
    expect(beforeText.text).toContain('Kalimat yang keliru.')
    expect(beforeText.text).toContain('Usulan.')

    // The decision log, in the document everyone has.
    const entries = watcher.doc.getArray<RestoreRecord>(DECISIONS_FIELD).toArray()
    const entry = entries.find((e) => e.kind === 'restore')
    expect(entry).toMatchObject({
      kind: 'restore',
      versionId: agreed,
      versionName: 'Disepakati',
      beforeVersionId: restored.beforeVersionId,
      reason: 'Kembali ke teks yang disepakati rakor',
      orphaned: [
        { suggestionId: 's-usulan', kind: 'insert', text: 'Usulan. ', suggestedBy: suggester.id },
      ],
    })
    expect(watcher.doc.getMap(SUGGESTIONS_FIELD).has('s-usulan')).toBe(false)

    const trail = await auditActions(seeded.dataDir)
    expect(trail.filter((e) => e.action === 'version.restored')).toEqual([
      expect.objectContaining({
        actorUserId: chair.id,
        subject: `card:${cardId}`,
        details: {
          versionId: agreed,
          beforeVersionId: restored.beforeVersionId,
          reason: 'Kembali ke teks yang disepakati rakor',
          orphanedSuggestions: 1,
        },
      }),
    ])

    // In history, the words the restore removed were removed by the chair.
    const changes = (await (
      await call(kp2mi, 'GET', `/api/cards/${cardId}/changes?since=${restored.beforeVersionId}`)
    ).json()) as ChangesResponse
    expect(changes.changes.length).toBeGreaterThan(0)
    for (const change of changes.changes) expect(change.author?.userId).toBe(chair.id)
    expect(changes.changes.map((c) => c.kind)).toContain('delete')

    // Editing goes on after it as before.
    firstText(editor.doc).insert(0, 'Lanjut. ')
    await editor.saved()
    await waitFor(() => firstText(watcher.doc).toString().startsWith('Lanjut. '), 5_000, 'relay')
  })

  it('refuses to restore into a locked card that nobody has open', async () => {
    const chair = userOf(seeded, 'chair')
    const cardId = seeded.cardIds[5] as string
    const version = await nameVersion(chair, cardId, 'Sebelum dikunci')
    const lock = await call(chair, 'PATCH', `/api/cards/${cardId}`, { locked: true })
    expect(lock.status).toBe(200)
    // No connection to the card: the room the restore opens has not been told of the lock.
    const refused = await call(chair, 'POST', `/api/cards/${cardId}/versions/${version}/restore`, {
      reason: 'coba',
    })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('card_locked')
  })

  it('refuses a client, the chair’s too, that writes a restore entry itself', async () => {
    const chair = userOf(seeded, 'chair')
    const cardId = seeded.cardIds[1] as string
    const asChair = await open(chair, cardId)
    const forged: RestoreRecord = {
      kind: 'restore',
      versionId: 'v',
      versionName: null,
      versionAt: 0,
      beforeVersionId: 'b',
      reason: 'palsu',
      at: Date.now(),
      orphaned: [],
    }
    asChair.doc.getArray<RestoreRecord>(DECISIONS_FIELD).push([forged])
    await waitFor(() => asChair.rejected.length > 0, 5_000, 'refusal of the forged restore')
    const reader = await open(userOf(seeded, 'viewer'), cardId)
    expect(reader.doc.getArray(DECISIONS_FIELD).length).toBe(0)
  })
})
