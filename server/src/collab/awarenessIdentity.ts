/**
 * Awareness updates carry a JSON state per Yjs clientID. A client may put anything there, so the
 * server rewrites the identity (`user`) of each state with the session's, and drops states for
 * clientIDs that another connection already controls.
 *
 * Wire format (y-protocols/awareness): varUint count, then per entry varUint clientID,
 * varUint clock, varString JSON state ("null" when the client went away).
 */

import type { PresenceUser } from '@kartu/protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

export type AwarenessEntry = { clientId: number; clock: number; state: string }

export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarString(decoder)
    entries.push({ clientId, clock, state })
  }
  return entries
}

export function writeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Returns the state with `user` replaced by the server's view of the person. A state that is not
 * a JSON object (other than null, which means "gone") is refused by returning undefined.
 */
export function withIdentity(state: string, user: PresenceUser): string | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(state)
  } catch {
    return undefined
  }
  if (parsed === null) return 'null'
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined
  return JSON.stringify({ ...(parsed as Record<string, unknown>), user })
}
