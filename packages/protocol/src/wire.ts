/**
 * The Kartu wire: the standard y-websocket protocol plus two Kartu message types.
 *
 * Every websocket frame is one binary message: `varUint messageType` followed by a body.
 *
 *   0 Sync            y-protocols/sync: SyncStep1 (state vector), SyncStep2 (missing update),
 *                     Update. Unchanged, so a stock y-websocket provider works.
 *   1 Awareness       y-protocols/awareness update. The server rewrites identity fields.
 *   2 Auth            y-protocols/auth (permission denied). Sent by the server only.
 *   3 QueryAwareness  ask the peer for its awareness states.
 *   100 Persisted     server -> client: `varUint seq, varUint8Array stateVector`.
 *   101 Rejected      server -> client: `varUint seq, varString code, varString message`.
 *
 * Persisted and Rejected acknowledge *document-changing* messages (Sync SyncStep2 and Sync Update)
 * that the client sent on this connection. Both sides count those messages from 1 on each new
 * connection; `seq` is that count. Persisted(seq) means: every document-changing message up to and
 * including number `seq` is committed to durable storage (or carried nothing new). Because the
 * websocket is ordered, one Persisted acknowledges all earlier messages too. `stateVector` is the
 * state vector of the document as stored after that commit.
 *
 * Why a count and not only the state vector: a Yjs update that only deletes does not advance any
 * client's clock, so a state vector alone cannot tell a client that its deletion is stored.
 *
 * Stock clients do not know types 100 and 101; y-websocket logs "Unable to compute message" and
 * carries on. Register handlers in `provider.messageHandlers` to use them.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  Persisted: 100,
  Rejected: 101,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** y-protocols/sync sub-types, repeated here so that the server can classify without reading. */
export const SyncMessageType = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType]

/**
 * Websocket close codes. y-websocket 3.x does not reconnect after a code in 4400-4499 (the server
 * decided; retrying cannot help) and does reconnect after 4500-4599 (try again later).
 */
export const CloseCode = {
  MalformedMessage: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  UnknownDocument: 4404,
  MessageTooLarge: 4413,
  TooManyRejections: 4429,
  LoadFailed: 4500,
  ShuttingDown: 4503,
  StorageUnavailable: 4507,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Why an update was refused. Sent in Rejected and written to the audit log. */
export const RejectCode = {
  ReadOnly: 'read_only',
  MalformedUpdate: 'malformed_update',
  UpdateTooLarge: 'update_too_large',
  StorageFailed: 'storage_failed',
} as const
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode]

export type PersistedMessage = {
  type: typeof MessageType.Persisted
  seq: number
  stateVector: Uint8Array
}

export type RejectedMessage = {
  type: typeof MessageType.Rejected
  seq: number
  code: string
  message: string
}

export type KartuMessage = PersistedMessage | RejectedMessage

export function encodePersisted(seq: number, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Persisted)
  encoding.writeVarUint(encoder, seq)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

export function encodeRejected(seq: number, code: string, message: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Rejected)
  encoding.writeVarUint(encoder, seq)
  encoding.writeVarString(encoder, code)
  encoding.writeVarString(encoder, message)
  return encoding.toUint8Array(encoder)
}

/** Reads the body of a Persisted message; the decoder is positioned after the message type. */
export function readPersisted(decoder: decoding.Decoder): PersistedMessage {
  const seq = decoding.readVarUint(decoder)
  const stateVector = decoding.readVarUint8Array(decoder)
  return { type: MessageType.Persisted, seq, stateVector }
}

/** Reads the body of a Rejected message; the decoder is positioned after the message type. */
export function readRejected(decoder: decoding.Decoder): RejectedMessage {
  const seq = decoding.readVarUint(decoder)
  const code = decoding.readVarString(decoder)
  const message = decoding.readVarString(decoder)
  return { type: MessageType.Rejected, seq, code, message }
}

/** Decodes a whole Kartu message, or returns null for any other message type. Throws on garbage. */
export function decodeKartuMessage(message: Uint8Array): KartuMessage | null {
  const decoder = decoding.createDecoder(message)
  const type = decoding.readVarUint(decoder)
  if (type === MessageType.Persisted) return readPersisted(decoder)
  if (type === MessageType.Rejected) return readRejected(decoder)
  return null
}

/**
 * True when `message` is one that changes the document (Sync Step2 or Sync Update): the messages
 * that Persisted and Rejected count. Never throws; a message too short to tell is not counted.
 */
export function isDocumentChangingMessage(message: Uint8Array): boolean {
  // Both varUints are single bytes for the types in use, so two bytes decide it.
  if (message.length < 2) return false
  return (
    message[0] === MessageType.Sync &&
    (message[1] === SyncMessageType.Step2 || message[1] === SyncMessageType.Update)
  )
}
