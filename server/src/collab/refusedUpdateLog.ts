/**
 * What the log keeps of a refused update. An honest client is never refused, so each refusal is a
 * bug to reproduce: the update as it came (base64, its first MAX_LOGGED_UPDATE_BYTES; the full
 * size beside it) and the state vector of the document it met (base64). Loading the stored
 * document as of that state and applying the update shows the refusal again.
 */
import * as Y from 'yjs'

/** 64 KiB of update in one log line at most; a larger update is cut, and says so. */
export const MAX_LOGGED_UPDATE_BYTES = 64 * 1024

export type RefusedUpdateFields = {
  /** The update, base64; cut to MAX_LOGGED_UPDATE_BYTES when `updateTruncated`. */
  update: string
  /** Its full size in bytes. */
  updateBytes: number
  updateTruncated: boolean
  /** The document's state vector when the update was refused, base64. */
  stateVector: string
}

export function refusedUpdateFields(update: Uint8Array, doc: Y.Doc): RefusedUpdateFields {
  const kept = update.subarray(0, MAX_LOGGED_UPDATE_BYTES)
  return {
    update: Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString('base64'),
    updateBytes: update.length,
    updateTruncated: update.length > MAX_LOGGED_UPDATE_BYTES,
    stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
  }
}
