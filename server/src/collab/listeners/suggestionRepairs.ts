/**
 * Keeps suggestions whole where Yjs stretched a mark over someone else's concurrent letters
 * (suggestionRepair.ts; decision 0011): after each client update, the paragraphs it touched are
 * repaired as the server's own change. Cards only. Listens after the author binding, which the
 * repair reads (one's own mark on one's own letters is never a race).
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import type * as Y from 'yjs'
import { type RoomContext, type RoomListener, SERVER_ORIGIN } from '../roomListener.ts'
import { SuggestionRepair } from '../suggestionRepair.ts'

export function suggestionRepairs(room: RoomContext): RoomListener | null {
  if (parseDocumentName(room.name)?.kind !== DocumentKind.Card) return null
  const repairs = new SuggestionRepair(room.doc)
  const touched = (transaction: Y.Transaction) => {
    if (room.isClientOrigin(transaction.origin)) repairs.touched(transaction)
  }
  room.doc.on('afterTransaction', touched)
  return {
    updateApplied: () => repairs.repair(SERVER_ORIGIN),
    roomClosed: () => room.doc.off('afterTransaction', touched),
  }
}
