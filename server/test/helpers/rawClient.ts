/**
 * A raw y-protocols client over ws: no provider logic, so a test can send exactly what an
 * attacker would (any update, any awareness state) and see every frame the server answers.
 */
import { MessageType, readPermission, readRejected } from '@kartu/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { waitFor } from './clients.ts'

export type RawClient = {
  doc: Y.Doc
  socket: WebSocket
  rejected: Array<{ seq: number; code: string }>
  permissions: Array<{ role: string; locked: boolean; suggestOnly: boolean }>
  updatesReceived: number
  awareness: awarenessProtocol.Awareness
  closeCode: () => number | null
  synced: () => Promise<void>
  sendUpdate(update: Uint8Array): void
  sendAwareness(clientId: number, clock: number, state: unknown): void
  close(): void
}

export async function connectRaw(url: string, token: string): Promise<RawClient> {
  const socket = new WebSocket(`${url}?token=${token}`)
  socket.binaryType = 'nodebuffer'
  const doc = new Y.Doc()
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(null)
  const state = {
    rejected: [] as Array<{ seq: number; code: string }>,
    permissions: [] as Array<{ role: string; locked: boolean; suggestOnly: boolean }>,
    updatesReceived: 0,
    synced: false,
    closeCode: null as number | null,
  }
  socket.on('close', (code) => {
    state.closeCode = code
  })
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data))
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.Sync) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, 'server')
      if (syncType === syncProtocol.messageYjsSyncStep2) state.synced = true
      if (syncType === syncProtocol.messageYjsUpdate) state.updatesReceived++
      // Answer the server's SyncStep1 (with what it lacks: nothing), as y-websocket would.
      if (syncType === syncProtocol.messageYjsSyncStep1) socket.send(encoding.toUint8Array(encoder))
    } else if (type === MessageType.Awareness) {
      awarenessProtocol.applyAwarenessUpdate(
        awareness,
        decoding.readVarUint8Array(decoder),
        'server',
      )
    } else if (type === MessageType.Rejected) {
      const message = readRejected(decoder)
      state.rejected.push({ seq: message.seq, code: message.code })
    } else if (type === MessageType.Permission) {
      const message = readPermission(decoder)
      state.permissions.push({
        role: message.role,
        locked: message.locked,
        suggestOnly: message.suggestOnly,
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  // Ask for the server's state, as y-websocket does on open.
  const step1 = encoding.createEncoder()
  encoding.writeVarUint(step1, MessageType.Sync)
  syncProtocol.writeSyncStep1(step1, doc)
  socket.send(encoding.toUint8Array(step1))
  return {
    doc,
    socket,
    awareness,
    rejected: state.rejected,
    permissions: state.permissions,
    get updatesReceived() {
      return state.updatesReceived
    },
    closeCode: () => state.closeCode,
    synced: () => waitFor(() => state.synced, 10_000, 'raw sync'),
    sendUpdate(update) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      syncProtocol.writeUpdate(encoder, update)
      socket.send(encoding.toUint8Array(encoder))
    },
    sendAwareness(clientId, clock, value) {
      const inner = encoding.createEncoder()
      encoding.writeVarUint(inner, 1)
      encoding.writeVarUint(inner, clientId)
      encoding.writeVarUint(inner, clock)
      encoding.writeVarString(inner, JSON.stringify(value))
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Awareness)
      encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
      socket.send(encoding.toUint8Array(encoder))
    },
    close() {
      socket.close()
    },
  }
}
