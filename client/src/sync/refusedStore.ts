/**
 * Text the server refused, kept per person and document in localStorage until the person sends
 * it again, copies it or discards it: leaving the card, or reloading the page, loses none of it.
 * Each piece is anchored by a Yjs relative position on content the server stored, which every
 * later copy of the document has, so it is shown where it was whenever the card opens again.
 */
import * as Y from 'yjs'

export type RefusedPiece = {
  readonly id: string
  /** The text as typed. */
  readonly text: string
  /** Where it was, in the server's document (see carryOver.ts). */
  readonly anchor: Y.RelativePosition
  /** Drawn before (-1) or after (1) the caret at its place. */
  readonly side: -1 | 1
  /** Its place is between blocks (a refused paragraph), not inside a text. */
  readonly block: boolean
  /** Why the server refused it (a RejectCode), as far as the page knew. */
  readonly code: string
}

const keyOf = (userId: string, documentName: string): string =>
  `kartu:refused:${userId}:${documentName}`

type Stored = {
  id: string
  text: string
  anchor: unknown
  side?: unknown
  block: boolean
  code: string
}

function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    typeof entry.id === 'string' &&
    typeof entry.text === 'string' &&
    typeof entry.block === 'boolean' &&
    typeof entry.code === 'string' &&
    typeof entry.anchor === 'object' &&
    entry.anchor !== null
  )
}

export function readRefused(userId: string, documentName: string): RefusedPiece[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(localStorage.getItem(keyOf(userId, documentName)) ?? '[]')
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  return parsed.filter(isStored).map((entry) => ({
    id: entry.id,
    text: entry.text,
    anchor: Y.createRelativePositionFromJSON(entry.anchor),
    side: entry.side === 1 ? 1 : -1,
    block: entry.block,
    code: entry.code,
  }))
}

export function writeRefused(
  userId: string,
  documentName: string,
  pieces: readonly RefusedPiece[],
): void {
  const key = keyOf(userId, documentName)
  try {
    if (pieces.length === 0) {
      localStorage.removeItem(key)
      return
    }
    const stored = pieces.map((piece) => ({
      id: piece.id,
      text: piece.text,
      anchor: Y.relativePositionToJSON(piece.anchor),
      side: piece.side,
      block: piece.block,
      code: piece.code,
    }))
    localStorage.setItem(key, JSON.stringify(stored))
  } catch (error) {
    // A full or blocked storage: the pieces stay on screen for as long as the page lives.
    console.error('Kartu: could not keep the refused text on this device', error)
  }
}

/** Adds pieces to those kept (a refusal with no page open to show them). */
export function addRefused(
  userId: string,
  documentName: string,
  pieces: readonly RefusedPiece[],
): void {
  if (pieces.length === 0) return
  writeRefused(userId, documentName, [...readRefused(userId, documentName), ...pieces])
}
