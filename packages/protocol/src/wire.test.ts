import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import {
  decodeKartuMessage,
  encodePermission,
  encodePersisted,
  encodeRejected,
  isDocumentChangingMessage,
  MessageType,
  RejectCode,
} from './wire.ts'

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return doc
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function awarenessMessage(): Uint8Array {
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState({ cursor: 1 })
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(
    encoder,
    awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
  )
  awareness.destroy()
  return encoding.toUint8Array(encoder)
}

function bytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + 7) % 256)
}

describe('Persisted', () => {
  it('round-trips seq and the state vector of a real document', () => {
    const stateVector = Y.encodeStateVector(docWithText('halo'))
    expect(decodeKartuMessage(encodePersisted(3, stateVector))).toEqual({
      type: MessageType.Persisted,
      seq: 3,
      stateVector,
    })
  })

  it.each([0, 127, 128, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER])('round-trips seq %d', (seq) => {
    expect(decodeKartuMessage(encodePersisted(seq, new Uint8Array([1, 2])))).toMatchObject({
      seq,
    })
  })

  it('round-trips an empty and a 200 kB state vector', () => {
    const empty = decodeKartuMessage(encodePersisted(1, new Uint8Array(0)))
    expect(empty).toEqual({ type: MessageType.Persisted, seq: 1, stateVector: new Uint8Array(0) })
    const large = bytes(200_000)
    const decoded = decodeKartuMessage(encodePersisted(2, large))
    expect(decoded).toMatchObject({ type: MessageType.Persisted, seq: 2 })
    const stateVector = decoded?.type === MessageType.Persisted ? decoded.stateVector : null
    // Buffer.equals: a deep equality over 200 000 elements takes seconds.
    expect(stateVector && Buffer.from(stateVector).equals(large)).toBe(true)
  })
})

describe('Rejected', () => {
  it('round-trips seq, code and a non-ASCII message', () => {
    const message = 'peran viewer tidak boleh mengubah — ✋'
    expect(decodeKartuMessage(encodeRejected(7, RejectCode.ReadOnly, message))).toEqual({
      type: MessageType.Rejected,
      seq: 7,
      code: 'read_only',
      message,
    })
  })

  it('round-trips a large seq and an empty message', () => {
    const seq = 2 ** 40
    expect(decodeKartuMessage(encodeRejected(seq, RejectCode.MissingDependencies, ''))).toEqual({
      type: MessageType.Rejected,
      seq,
      code: 'missing_dependencies',
      message: '',
    })
  })
})

describe('Permission', () => {
  it('round-trips role, lock and "everyone suggests"', () => {
    for (const [locked, suggestOnly] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      expect(decodeKartuMessage(encodePermission('editor', locked, suggestOnly))).toEqual({
        type: MessageType.Permission,
        role: 'editor',
        locked,
        suggestOnly,
      })
    }
  })

  it('reads a message from a server that sends no suggestOnly as off', () => {
    // The message as servers wrote it before the field was appended.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Permission)
    encoding.writeVarString(encoder, 'chair')
    encoding.writeVarUint(encoder, 1)
    expect(decodeKartuMessage(encoding.toUint8Array(encoder))).toEqual({
      type: MessageType.Permission,
      role: 'chair',
      locked: true,
      suggestOnly: false,
    })
  })

  it('still gives an older reader, which stops after the lock, the role and the lock', () => {
    const decoder = decoding.createDecoder(encodePermission('suggester', true, true))
    expect(decoding.readVarUint(decoder)).toBe(MessageType.Permission)
    expect(decoding.readVarString(decoder)).toBe('suggester')
    expect(decoding.readVarUint(decoder)).toBe(1)
  })
})

describe('decodeKartuMessage', () => {
  it('returns null for sync and awareness messages', () => {
    const doc = docWithText('x')
    expect(decodeKartuMessage(syncMessage((e) => syncProtocol.writeSyncStep1(e, doc)))).toBeNull()
    expect(decodeKartuMessage(syncMessage((e) => syncProtocol.writeSyncStep2(e, doc)))).toBeNull()
    expect(decodeKartuMessage(awarenessMessage())).toBeNull()
  })

  it('throws on every truncation of a Persisted or Rejected message', () => {
    const messages = [
      encodePersisted(300, Y.encodeStateVector(docWithText('abc'))),
      encodeRejected(300, RejectCode.MalformedUpdate, 'pembaruan rusak'),
    ]
    for (const message of messages) {
      for (let length = 0; length < message.length; length++) {
        expect(() => decodeKartuMessage(message.slice(0, length)), `length ${length}`).toThrow()
      }
    }
  })
})

describe('isDocumentChangingMessage', () => {
  const doc = docWithText('kartu')
  const update = Y.encodeStateAsUpdate(doc)

  it('is true for SyncStep2 and Update', () => {
    expect(isDocumentChangingMessage(syncMessage((e) => syncProtocol.writeSyncStep2(e, doc)))).toBe(
      true,
    )
    expect(isDocumentChangingMessage(syncMessage((e) => syncProtocol.writeUpdate(e, update)))).toBe(
      true,
    )
  })

  it('is false for SyncStep1, awareness, Kartu messages, empty and 1-byte input', () => {
    expect(isDocumentChangingMessage(syncMessage((e) => syncProtocol.writeSyncStep1(e, doc)))).toBe(
      false,
    )
    expect(isDocumentChangingMessage(awarenessMessage())).toBe(false)
    expect(isDocumentChangingMessage(encodePersisted(1, new Uint8Array(0)))).toBe(false)
    expect(isDocumentChangingMessage(new Uint8Array(0))).toBe(false)
    expect(isDocumentChangingMessage(new Uint8Array([MessageType.Sync]))).toBe(false)
  })
})
