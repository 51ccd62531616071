/**
 * Small builders shared by the room core's unit tests: client messages made with y-protocols,
 * participants, a logger that records, and a polling wait.
 */
import { MessageType, type Role } from '@kartu/protocol'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { Logger, Participant } from '../collab/types.ts'
import { eventually } from './eventually.ts'

export const TEXT = 't'

/** The unit tests write a plain Y.Text: let rooms under test accept it. */
export const TEST_ROOTS: ReadonlySet<string> = new Set([TEXT])

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export function syncStep1(doc: Y.Doc): Uint8Array {
  return syncMessage((encoder) => syncProtocol.writeSyncStep1(encoder, doc))
}

export function syncStep2(doc: Y.Doc): Uint8Array {
  return syncMessage((encoder) => syncProtocol.writeSyncStep2(encoder, doc))
}

export function syncUpdate(update: Uint8Array): Uint8Array {
  return syncMessage((encoder) => syncProtocol.writeUpdate(encoder, update))
}

/**
 * An Awareness message announcing `entries` (y-protocols' wire format: count, then per entry
 * clientID, clock, JSON state). Clocks only move forward: each message is newer than the last.
 */
let awarenessClock = 0
export function awarenessMessage(entries: Array<{ clientId: number; state: unknown }>): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId)
    encoding.writeVarUint(inner, ++awarenessClock)
    encoding.writeVarString(inner, JSON.stringify(entry.state))
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MessageType.Awareness)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

/** Inserts `text` at the start of the doc's text and returns the update that made. */
export function edit(doc: Y.Doc, text: string): Uint8Array {
  let made: Uint8Array | null = null
  const capture = (update: Uint8Array) => {
    made = update
  }
  doc.on('update', capture)
  doc.getText(TEXT).insert(0, text)
  doc.off('update', capture)
  if (!made) throw new Error('the edit made no update')
  return made
}

/** The text of a document rebuilt from a snapshot and a log, as a fresh load would see it. */
export function textOf(parts: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string {
  const doc = new Y.Doc()
  if (parts.snapshot) Y.applyUpdate(doc, parts.snapshot)
  for (const update of parts.updates) Y.applyUpdate(doc, update)
  return doc.getText(TEXT).toString()
}

export function participant(userId: string, role: Role): Participant {
  return {
    userId,
    deckId: 'deck-1',
    role,
    presence: {
      id: userId,
      name: userId,
      ministryId: 'KP2MI',
      ministry: 'KP2MI',
      color: '#123456',
    },
  }
}

export type LogEntry = { level: keyof Logger; msg: string | undefined; fields: object }

export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = []
  const record = (level: keyof Logger) => (fields: object, msg?: string) => {
    entries.push({ level, msg, fields })
  }
  return {
    entries,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
  }
}

/** In-process events: polled every 5 ms, given up on after 5 s (see eventually.ts). */
export function waitFor(check: () => boolean, what = 'condition'): Promise<void> {
  return eventually(check, what, { timeoutMs: 5_000, intervalMs: 5 })
}

/** Lets every pending microtask and immediate run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10))
}
