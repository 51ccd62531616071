/**
 * What the log keeps of a refused update (enough to reproduce it), and the test-only refusal of
 * KARTU_TEST_REFUSE_TEXT, which the room asks before its policy.
 */

import { RejectCode, Role } from '@kartu/protocol'
import { ANSWER_FIELD } from '@kartu/schema'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  edit,
  participant,
  recordingLogger,
  syncUpdate,
  TEST_ROOTS,
} from '../testing/collabFixtures.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { Room, type RoomOptions } from './Room.ts'
import { MAX_LOGGED_UPDATE_BYTES } from './refusedUpdateLog.ts'

const WORD = 'TOLAKUJI'

describe('refused updates in the log', () => {
  let temp: TempStorage | null = null
  let room: Room | null = null

  afterEach(async () => {
    room?.destroy()
    await temp?.cleanup()
    room = null
    temp = null
  })

  async function open(name: string, options: Partial<RoomOptions> = {}) {
    temp = await openTempStorage()
    const logger = recordingLogger()
    room = await Room.load(name, {
      store: temp.storage.documents,
      logger,
      compactAfterUpdates: 1000,
      ...options,
    })
    return { room, logger }
  }

  const refusals = (logger: ReturnType<typeof recordingLogger>) =>
    logger.entries.filter((entry) => entry.msg === 'update refused')

  it('logs the refused update and the state vector it met, in base64, at warn', async () => {
    const { room, logger } = await open('card:log-test', { allowedRoots: TEST_ROOTS })
    const editor = room.addConnection(new RecordingSocket(), participant('e', Role.Editor))
    room.handleMessage(editor, syncUpdate(edit(new Y.Doc(), 'sudah ada ')))
    await room.drain()
    const viewer = room.addConnection(new RecordingSocket(), participant('v', Role.Viewer))
    const update = edit(new Y.Doc(), 'ditolak')
    room.handleMessage(viewer, syncUpdate(update))

    const [entry] = refusals(logger)
    expect(entry?.level).toBe('warn')
    expect(entry?.fields).toMatchObject({
      code: RejectCode.ReadOnly,
      seq: 1,
      updateBytes: update.length,
      updateTruncated: false,
      update: Buffer.from(update).toString('base64'),
      stateVector: Buffer.from(Y.encodeStateVector(room.doc)).toString('base64'),
    })
    // What reproduces it: the update applies to the state it met.
    const fields = entry?.fields as { update: string }
    const replay = new Y.Doc()
    Y.applyUpdate(replay, Buffer.from(fields.update, 'base64'))
    expect(replay.getText('t').toString()).toBe('ditolak')
  })

  it('cuts a large update at 64 KiB and notes its size; logs only the first refusals at warn', async () => {
    const { room, logger } = await open('card:log-test', { allowedRoots: TEST_ROOTS })
    const viewer = room.addConnection(new RecordingSocket(), participant('v', Role.Viewer))
    const large = edit(new Y.Doc(), 'x'.repeat(100_000))
    for (let i = 0; i < 5; i++) room.handleMessage(viewer, syncUpdate(large))

    const entries = refusals(logger)
    expect(entries.map((entry) => entry.level)).toEqual(['warn', 'warn', 'warn', 'debug', 'debug'])
    const first = entries[0]?.fields as {
      update: string
      updateBytes: number
      updateTruncated: boolean
    }
    expect(Buffer.from(first.update, 'base64')).toEqual(
      Buffer.from(large.subarray(0, MAX_LOGGED_UPDATE_BYTES)),
    )
    expect(first.updateBytes).toBe(large.length)
    expect(first.updateTruncated).toBe(true)
    // The quiet ones do not carry the update (a flood must not fill the disk).
    expect(entries[3]?.fields).not.toHaveProperty('update')
  })

  it('refuses with test_refusal an update that writes the test word, and only when set', async () => {
    const paragraph = (text: string): Uint8Array => {
      const doc = new Y.Doc()
      const element = new Y.XmlElement('paragraph')
      element.insert(0, [new Y.XmlText(text)])
      doc.getXmlFragment(ANSWER_FIELD).insert(0, [element])
      return Y.encodeStateAsUpdate(doc)
    }
    const withWord = paragraph(`Ada ${WORD} di sini.`)

    const on = await open('card:hook-test', { testRefuseText: WORD })
    const socket = new RecordingSocket()
    const connection = on.room.addConnection(socket, participant('e', Role.Editor))
    on.room.handleMessage(connection, syncUpdate(withWord))
    on.room.handleMessage(connection, syncUpdate(paragraph('Tanpa kata itu.')))
    await on.room.drain()
    expect(socket.rejected().map((message) => message.code)).toEqual([RejectCode.TestRefusal])
    expect(on.room.doc.getXmlFragment(ANSWER_FIELD).toString()).not.toContain(WORD)
    expect(on.room.doc.getXmlFragment(ANSWER_FIELD).toString()).toContain('Tanpa kata itu.')
    expect(refusals(on.logger)[0]?.fields).toMatchObject({ code: RejectCode.TestRefusal })
    on.room.destroy()
    await temp?.cleanup()

    const off = await open('card:hook-test')
    const offSocket = new RecordingSocket()
    const offConnection = off.room.addConnection(offSocket, participant('e', Role.Editor))
    off.room.handleMessage(offConnection, syncUpdate(withWord))
    await off.room.drain()
    expect(offSocket.rejected()).toEqual([])
    expect(off.room.doc.getXmlFragment(ANSWER_FIELD).toString()).toContain(WORD)
  })
})
