/**
 * Classifies the frames that y-websocket sends, for the saved-state tracker.
 */
import { isDocumentChangingMessage, MessageType, SyncMessageType } from '@kartu/protocol'
import * as decoding from 'lib0/decoding'

export type SentFrame = {
  /** Sync Step2 or Sync Update: the messages that Persisted and Rejected count. */
  documentChanging: boolean
  isStep2: boolean
  /** A Sync Step2 whose update holds structs (insertions) the server lacks. */
  step2CarriesContent: boolean
}

export function classifySentFrame(frame: Uint8Array): SentFrame {
  const documentChanging = isDocumentChangingMessage(frame)
  const isStep2 =
    documentChanging && frame[0] === MessageType.Sync && frame[1] === SyncMessageType.Step2
  return {
    documentChanging,
    isStep2,
    step2CarriesContent: isStep2 && updateHasStructs(frame),
  }
}

/**
 * A Yjs (v1) update starts with the number of clients whose structs follow; zero means it holds at
 * most a delete set. Step2 always repeats the whole delete set (state vectors do not describe
 * deletions), so only structs tell that we hold content the server has not seen.
 */
function updateHasStructs(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame)
    decoding.readVarUint(decoder) // message type
    decoding.readVarUint(decoder) // sync message type
    const update = decoding.readVarUint8Array(decoder)
    return decoding.readVarUint(decoding.createDecoder(update)) > 0
  } catch {
    return false
  }
}
