/**
 * Rebuilding a stored document (snapshot, then log) into a Y.Doc, for a room and for the
 * command line's doctor alike.
 */
import * as Y from 'yjs'
import type { StoredDocument } from '../store/types.ts'
import type { Logger } from './types.ts'

/** Thrown when a stored document cannot be read: the room must not open (and never empty). */
export class DocumentLoadError extends Error {}

/**
 * Rebuilds a document from its snapshot and log. Each record is decoded before it is applied, so
 * a damaged one is not half applied. A damaged LAST record is what a torn write leaves: it was
 * never acknowledged, so it is dropped with a warning. Damage anywhere else means the store is
 * corrupt: loading stops with an error and an alert, and nothing is written over it.
 */
export function restoreDocument(name: string, stored: StoredDocument, logger: Logger): Y.Doc {
  const doc = new Y.Doc({ gc: true })
  const apply = (update: Uint8Array, decodeFirst: boolean) => {
    if (decodeFirst) Y.decodeUpdate(update)
    Y.applyUpdate(doc, update)
  }
  // Why only the last log record is decoded before it is applied: it is the only one whose
  // damage is survived (dropped), so the only one that must not be half applied. Damage anywhere
  // else destroys the whole document below, half applied or not, and Yjs reads every struct of
  // an update before integrating any, so it throws on the same damage decodeUpdate finds. The
  // saved pass is a third of a cold load of a large card.
  if (stored.snapshot) {
    try {
      apply(stored.snapshot, false)
    } catch (error) {
      logger.error({ room: name, err: error, alert: true }, 'ALERT: stored snapshot is corrupt')
      doc.destroy()
      throw new DocumentLoadError(`the stored snapshot of ${name} is corrupt`)
    }
  }
  stored.updates.forEach((update, index) => {
    try {
      apply(update, index === stored.updates.length - 1)
    } catch (error) {
      if (index === stored.updates.length - 1) {
        logger.warn({ room: name, err: error }, 'dropped a damaged last log record (torn write)')
        return
      }
      logger.error({ room: name, err: error, alert: true, index }, 'ALERT: stored log is corrupt')
      doc.destroy()
      throw new DocumentLoadError(`record ${index + 1} of the log of ${name} is corrupt`)
    }
  })
  return doc
}
