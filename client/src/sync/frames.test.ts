import { MessageType } from '@kartu/protocol'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { classifySentFrame } from './frames.ts'

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function step2(doc: Y.Doc, remoteStateVector?: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MessageType.Sync)
    syncProtocol.writeSyncStep2(encoder, doc, remoteStateVector)
  })
}

describe('classifySentFrame', () => {
  it('sees content in a Step2 that holds insertions the server lacks', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'halo')
    expect(classifySentFrame(step2(doc))).toEqual({
      documentChanging: true,
      isStep2: true,
      step2CarriesContent: true,
    })
  })

  it('sees no content in a Step2 against a server that has everything', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'halo')
    doc.getText('t').delete(0, 2)
    const serverState = Y.encodeStateVector(doc)
    expect(classifySentFrame(step2(doc, serverState)).step2CarriesContent).toBe(false)
    expect(classifySentFrame(step2(new Y.Doc())).step2CarriesContent).toBe(false)
  })

  it('classifies Updates, Step1 and awareness frames', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getText('t').insert(0, 'x')
    const update = frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeUpdate(encoder, updates[0] ?? new Uint8Array())
    })
    expect(classifySentFrame(update)).toEqual({
      documentChanging: true,
      isStep2: false,
      step2CarriesContent: false,
    })
    const step1 = frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeSyncStep1(encoder, doc)
    })
    expect(classifySentFrame(step1).documentChanging).toBe(false)
    const awareness = new awarenessProtocol.Awareness(doc)
    const awarenessFrame = frame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.Awareness)
      encoding.writeVarUint8Array(
        encoder,
        awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
      )
    })
    expect(classifySentFrame(awarenessFrame).documentChanging).toBe(false)
    awareness.destroy()
  })
})
