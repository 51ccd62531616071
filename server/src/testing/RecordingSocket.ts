/**
 * The room core's socket seam (SocketLike), in memory: records what the server sends and how it
 * closed the connection, and decodes the messages for assertions.
 */
import {
  decodeKartuMessage,
  MessageType,
  type PersistedMessage,
  type RejectedMessage,
} from '@kartu/protocol'
import * as decoding from 'lib0/decoding'
import type { SocketLike } from '../collab/types.ts'

export type SyncFrame = { syncType: number; payload: Uint8Array }

export class RecordingSocket implements SocketLike {
  readonly sent: Uint8Array[] = []
  closed: { code: number; reason: string } | null = null

  /** How many messages each batch() call sent (one write each on a real socket). */
  readonly batches: number[] = []

  send(message: Uint8Array): void {
    this.sent.push(message)
  }

  batch(sends: () => void): void {
    const before = this.sent.length
    sends()
    this.batches.push(this.sent.length - before)
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason }
  }

  /** Sync messages sent to the client, in order (sub-type and payload). */
  sync(): SyncFrame[] {
    const frames: SyncFrame[] = []
    for (const message of this.sent) {
      const decoder = decoding.createDecoder(message)
      if (decoding.readVarUint(decoder) !== MessageType.Sync) continue
      const syncType = decoding.readVarUint(decoder)
      frames.push({ syncType, payload: decoding.readVarUint8Array(decoder) })
    }
    return frames
  }

  persisted(): PersistedMessage[] {
    return this.kartu().filter((m): m is PersistedMessage => m.type === MessageType.Persisted)
  }

  rejected(): RejectedMessage[] {
    return this.kartu().filter((m): m is RejectedMessage => m.type === MessageType.Rejected)
  }

  /** The message types sent so far, e.g. [0, 0, 100] (Sync, Sync, Persisted). */
  types(): number[] {
    return this.sent.map((message) => decoding.readVarUint(decoding.createDecoder(message)))
  }

  private kartu() {
    return this.sent.flatMap((message) => decodeKartuMessage(message) ?? [])
  }
}
