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
 *   102 Permission    server -> client: `varString role, varUint locked (0|1)`, then
 *                     `varUint suggestOnly (0|1)`: sent on connect and whenever the person's role
 *                     in the deck, the card's lock or its "everyone suggests" switch changes.
 *                     Fields are only ever appended: a reader stops after the ones it knows, and
 *                     a field a server did not send reads as 0.
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
  Permission: 102,
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
  /** A message over KARTU_MAX_MESSAGE_BYTES: the change is too large to take; do not resend it. */
  MessageTooLarge: 4413,
  /** More messages per second than a person can type: a broken or hostile client. */
  RateLimited: 4420,
  /**
   * Presence (awareness) over its limits: a state larger than allowed, a clientID that is not the
   * connection's own, or more presence bytes than the room takes.
   */
  PresenceRefused: 4422,
  TooManyRejections: 4429,
  LoadFailed: 4500,
  ShuttingDown: 4503,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/**
 * The reason sent with 4401 Unauthorized: why the connection's credential no longer holds. The
 * client names it to the person (a password changed elsewhere ends every other session: "signed
 * out"). A client must accept other reasons, or none, as plain 4401.
 */
export const UnauthorizedReason = {
  /** The session was ended: signed out, ended by an administrator, or a password change. */
  SignedOut: 'signed out',
  SessionExpired: 'session expired',
  TokenRevoked: 'token revoked',
  AccountDisabled: 'account disabled',
} as const
export type UnauthorizedReason = (typeof UnauthorizedReason)[keyof typeof UnauthorizedReason]

/** Why an update was refused. Sent in Rejected and written to the audit log. */
export const RejectCode = {
  /** The role (viewer) may not change the document at all. */
  ReadOnly: 'read_only',
  MalformedUpdate: 'malformed_update',
  UpdateTooLarge: 'update_too_large',
  /** Content under a Yjs clientID that the server bound to another person. */
  ClientIdTaken: 'client_id_taken',
  /** A field only the server writes (the authors map). */
  ForbiddenField: 'forbidden_field',
  /** The role may not change the answer this way (commenter: at all; suggester: directly). */
  TextChange: 'text_change_not_allowed',
  /** Someone else's suggestion was changed, removed or withdrawn. */
  NotOwnSuggestion: 'not_own_suggestion',
  /** Only the chair accepts or rejects; the decision log is append-only. */
  DecisionNotAllowed: 'decision_not_allowed',
  /** Someone else's comment was edited or removed. */
  NotOwnComment: 'not_own_comment',
  /** Resolving, reopening or removing a thread one did not open. */
  ThreadNotAllowed: 'thread_change_not_allowed',
  /** The update depends on content the server does not have. */
  MissingDependencies: 'missing_dependencies',
  /** The card is locked as agreed text. */
  Locked: 'locked',
  /** Applying the update would grow the document past the configured maximum. */
  DocumentTooLarge: 'document_too_large',
  /**
   * The update leaves the answer, or another field of the card, in a shape its schema does not
   * allow (unknown node, mark or attribute, wrong nesting, wrong type, oversized string).
   */
  SchemaViolation: 'schema_violation',
  /**
   * Test only: the server runs with KARTU_TEST_REFUSE_TEXT, and the update writes that word into
   * the answer outside suggestions. Never sent by a server configured for people.
   */
  TestRefusal: 'test_refusal',
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

export type PermissionMessage = {
  type: typeof MessageType.Permission
  role: string
  locked: boolean
  /**
   * "Everyone suggests" is on for the card (its own switch or its deck's): an editor's changes
   * are judged as a suggester's. Appended after `locked`; false from a server that does not send it.
   */
  suggestOnly: boolean
}

export type KartuMessage = PersistedMessage | RejectedMessage | PermissionMessage

export function encodePermission(role: string, locked: boolean, suggestOnly = false): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Permission)
  encoding.writeVarString(encoder, role)
  encoding.writeVarUint(encoder, locked ? 1 : 0)
  encoding.writeVarUint(encoder, suggestOnly ? 1 : 0)
  return encoding.toUint8Array(encoder)
}

/** Reads the body of a Permission message; the decoder is positioned after the message type. */
export function readPermission(decoder: decoding.Decoder): PermissionMessage {
  const role = decoding.readVarString(decoder)
  const locked = decoding.readVarUint(decoder) === 1
  // Appended later: a server from before it sends the message without it.
  const suggestOnly = decoding.hasContent(decoder) && decoding.readVarUint(decoder) === 1
  return { type: MessageType.Permission, role, locked, suggestOnly }
}

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
  if (type === MessageType.Permission) return readPermission(decoder)
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
