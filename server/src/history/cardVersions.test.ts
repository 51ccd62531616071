import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CardVersions } from './cardVersions.ts'

const HOUR = 3_600_000

describe('CardVersions retention and budget', () => {
  let temp: TempStorage
  let cardId: string

  beforeEach(async () => {
    temp = await openTempStorage()
    cardId = (await importDemoDeck(temp)).cardIds[0] as string
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const add = (id: string, kind: 'auto' | 'named', createdAt: number) => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, id)
    return temp.storage.repository.addVersion({
      id,
      cardId,
      kind,
      name: kind === 'named' ? id : null,
      createdAt,
      createdBy: null,
      words: 1,
      state: Y.encodeStateAsUpdate(doc),
      snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
    })
  }

  it('lets go of aged automatic versions in the store, keeping named ones and visited ones', async () => {
    const now = Date.UTC(2026, 11, 6, 12)
    const old = now - 10 * 24 * HOUR
    // Four automatic versions in one hour ten days ago, a named one, and a fresh one.
    await add('a1', 'auto', old)
    await add('a2', 'auto', old + 60_000)
    await add('a3', 'auto', old + 120_000)
    await add('a4', 'auto', old + 180_000)
    await add('named', 'named', old + 30_000)
    await add('fresh', 'auto', now - HOUR)
    await temp.storage.repository.recordVisits([{ userId: 'u1', cardId, at: old, versionId: 'a1' }])
    const versions = new CardVersions(
      temp.storage.repository,
      temp.storage.documents,
      recordingLogger(),
      1024,
    )
    expect(await versions.thin(cardId, now)).toBe(2)
    const kept = (await temp.storage.repository.listVersions(cardId)).map((v) => v.id)
    // a4: the newest of its hour; a1: someone's last visit; named and fresh: always.
    expect(kept.sort()).toEqual(['a1', 'a4', 'fresh', 'named'])
    const budget = await versions.budget(cardId)
    expect(budget.limitBytes).toBe(1024)
    expect(budget.usedBytes).toBeGreaterThan(0)
  })
})
