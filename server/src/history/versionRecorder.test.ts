import { cardDocumentName } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordingLogger, waitFor } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { CardVersions } from './cardVersions.ts'
import { VersionRecorder } from './versionRecorder.ts'

const QUIET_MS = 40
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('VersionRecorder', () => {
  let temp: TempStorage
  let cardIds: string[]

  beforeEach(async () => {
    temp = await openTempStorage()
    cardIds = (await importDemoDeck(temp)).cardIds
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  const storedRoom = (cardId: string) => ({ name: cardDocumentName(cardId), doc: new Y.Doc() })

  it('waits for a quiet period that every commit starts again, then takes one version', async () => {
    const logger = recordingLogger()
    const recorder = new VersionRecorder(
      new CardVersions(temp.storage.repository, temp.storage.documents, logger),
      logger,
      300,
    )
    const cardId = cardIds[0] as string
    const versions = () => temp.storage.repository.listVersions(cardId)
    // Commits every 20 ms for 160 ms: never quiet for 300 ms, so no version meanwhile.
    for (let i = 0; i < 8; i++) {
      recorder.stored(storedRoom(cardId))
      await sleep(20)
    }
    expect(await versions()).toEqual([])
    const start = Date.now()
    while (Date.now() - start < 5000 && (await versions()).length === 0) await sleep(10)
    const taken = (await versions()).length
    expect(taken).toBe(1)
    // Another commit without a change of the stored document: no second version.
    recorder.stored(storedRoom(cardId))
    await sleep(300 * 2)
    expect(await versions()).toHaveLength(1)
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([])
  })

  it('tries a card it could not read again one quiet period later, not in a loop', async () => {
    const logger = recordingLogger()
    const recorder = new VersionRecorder(
      new CardVersions(temp.storage.repository, temp.storage.documents, logger),
      logger,
      QUIET_MS,
    )
    const cardId = cardIds[1] as string
    // A snapshot that is not a Yjs update: the stored document cannot be read.
    await temp.storage.documents.compact(cardDocumentName(cardId), new Uint8Array([255, 1, 2]), 0)
    recorder.stored(storedRoom(cardId))
    const failures = () =>
      logger.entries.filter((entry) => entry.msg === 'automatic version not taken').length
    await waitFor(() => failures() >= 2, 'a second try')
    // A retry loop would have tried dozens of times by now; one per quiet period tries once more
    // at most in half a period.
    await sleep(QUIET_MS / 2)
    expect(failures()).toBeLessThanOrEqual(3)
    expect(await temp.storage.repository.listVersions(cardId)).toEqual([])
    await recorder.flush()
  })
})
