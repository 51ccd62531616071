import { cardDocumentName, Role } from '@kartu/protocol'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { participant, recordingLogger } from '../testing/collabFixtures.ts'
import { importDemoDeck, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { EDIT_WINDOW_MS, EditRecorder, editOfUpdate } from './editRecorder.ts'

describe('EditRecorder', () => {
  let temp: TempStorage
  let cardId: string
  let now: number
  const doc = new Y.Doc()
  const text = doc.getText('t')

  beforeEach(async () => {
    temp = await openTempStorage()
    cardId = (await importDemoDeck(temp)).cardIds[0] as string
    now = 1_000_000
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  /** One person's keystroke on the card, applied and committed. */
  const keystroke = (recorder: EditRecorder, userId: string, change: () => void) => {
    const before = Y.encodeStateVector(doc)
    change()
    const update = Y.encodeStateAsUpdate(doc, before)
    const name = cardDocumentName(cardId)
    recorder.updateApplied({
      documentName: name,
      doc,
      participant: participant(userId, Role.Editor),
      update,
      newClients: [],
      decisions: [],
      blockLocks: [],
    })
    recorder.stored({ name, doc })
  }
  const rows = () => temp.storage.repository.listEdits(cardId, 0, Number.MAX_SAFE_INTEGER)

  it('reads the ids an update inserted and deleted', () => {
    const local = new Y.Doc()
    local.clientID = 7
    local.getText('t').insert(0, 'abcdef')
    const before = Y.encodeStateVector(local)
    local.transact(() => {
      local.getText('t').delete(1, 2)
      local.getText('t').insert(0, 'xy')
    })
    expect(editOfUpdate(Y.encodeStateAsUpdate(local, before), null)).toEqual({
      inserted: { '7': [[6, 2]] },
      deleted: { '7': [[1, 2]] },
      counts: { insertedChars: 2, deletedChars: 2, suggestions: 0, comments: 0 },
    })
  })

  it('keeps one row per person and minute of typing, and a new one when someone else types', async () => {
    const recorder = new EditRecorder(temp.storage.repository, recordingLogger(), () => now)
    for (const letter of 'halo') {
      keystroke(recorder, 'ani', () => text.insert(text.length, letter))
      now += 1_000
    }
    await recorder.flush()
    expect(await rows()).toEqual([
      {
        cardId,
        at: 1_000_000,
        userId: 'ani',
        inserted: { [String(doc.clientID)]: [[0, 4]] },
        deleted: {},
        counts: { insertedChars: 4, deletedChars: 0, suggestions: 0, comments: 0 },
      },
    ])

    keystroke(recorder, 'budi', () => text.delete(0, 1))
    now += 1_000
    keystroke(recorder, 'ani', () => text.insert(0, 'H'))
    // A minute later, the same person: a new row, timed by its first keystroke.
    now += EDIT_WINDOW_MS
    keystroke(recorder, 'ani', () => text.insert(text.length, '!'))
    await recorder.flush()
    const written = await rows()
    expect(written.map((row) => [row.userId, row.at])).toEqual([
      ['ani', 1_000_000],
      ['budi', 1_004_000],
      ['ani', 1_005_000],
      ['ani', 1_005_000 + EDIT_WINDOW_MS],
    ])
    expect(written[1]?.deleted).toEqual({ [String(doc.clientID)]: [[0, 1]] })
  })

  it('writes committed edits together after a delay, or at once when history is read', async () => {
    const recorder = new EditRecorder(temp.storage.repository, recordingLogger(), () => now, 60_000)
    keystroke(recorder, 'ani', () => text.insert(0, 'a'))
    // Applied but not committed yet: never written before its update is stored.
    const before = Y.encodeStateVector(doc)
    text.insert(0, 'b')
    recorder.updateApplied({
      documentName: cardDocumentName(cardId),
      doc,
      participant: participant('budi', Role.Editor),
      update: Y.encodeStateAsUpdate(doc, before),
      newClients: [],
      decisions: [],
      blockLocks: [],
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await rows()).toEqual([])
    await recorder.settle()
    expect((await rows()).map((row) => row.userId)).toEqual(['ani'])
    // Once its commit is stored, the next read has it too.
    recorder.stored({ name: cardDocumentName(cardId), doc })
    await recorder.settle()
    expect((await rows()).map((row) => row.userId)).toEqual(['ani', 'budi'])
  })

  it('logs a failed write and records the next edits as new rows', async () => {
    const logger = recordingLogger()
    let fail = true
    const repository = temp.storage.repository
    const flaky = {
      writeEdits: (writes: Parameters<typeof repository.writeEdits>[0]) =>
        fail ? Promise.reject(new Error('disk busy')) : repository.writeEdits(writes),
      listEdits: repository.listEdits.bind(repository),
    }
    const recorder = new EditRecorder(flaky, logger, () => now)
    keystroke(recorder, 'ani', () => text.insert(0, 'a'))
    await recorder.flush()
    expect(logger.entries.map((entry) => entry.msg)).toContain('edits not recorded for history')
    fail = false
    keystroke(recorder, 'ani', () => text.insert(0, 'b'))
    await recorder.flush()
    // The failed row was never written: the next write creates it, with both keystrokes.
    const written = await rows()
    expect(written).toHaveLength(1)
    const ranges = Object.values(written[0]?.inserted ?? {}).flat()
    expect(ranges.map(([, length]) => length)).toEqual([2])
  })
})
