/**
 * Size limits, checked first and without decoding anything: an update over the per-update limit,
 * or one that would grow a document past its limit, is refused before any work is spent on it.
 */
import { RejectCode } from '@kartu/protocol'
import type { IncomingUpdate, RoomContext, RoomListener, UpdateCheck } from '../roomListener.ts'

export type UpdateLimits = {
  /** Largest update a client may send (bytes). */
  maxUpdateBytes?: number
  /** Largest a document may grow (bytes stored): past it, growth is refused. */
  docMaxBytes?: number
}

export function updateLimits(room: RoomContext, limits: UpdateLimits): RoomListener {
  const { maxUpdateBytes, docMaxBytes } = limits
  return {
    checkUpdate({ update, storedBytes }: IncomingUpdate): UpdateCheck {
      if (maxUpdateBytes !== undefined && update.length > maxUpdateBytes) {
        return {
          ok: false,
          code: RejectCode.UpdateTooLarge,
          message: `update over ${maxUpdateBytes} bytes`,
        }
      }
      if (docMaxBytes !== undefined && storedBytes + update.length > docMaxBytes) {
        room.logger.error(
          { room: room.name, bytes: storedBytes, alert: true },
          'ALERT: document at its size limit; growth refused',
        )
        return {
          ok: false,
          code: RejectCode.DocumentTooLarge,
          message: 'the document is at its size limit',
        }
      }
      return { ok: true }
    },
  }
}
