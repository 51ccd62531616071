/**
 * carryOver for a card's answer: its field, and the answer schema's leaves and textblocks.
 */
import { ANSWER_FIELD, getAnswerSchema, randomId } from '@kartu/schema'
import type * as Y from 'yjs'
import { type CarryOver, carryOver } from './carryOver.ts'
import type { RefusedPiece } from './refusedStore.ts'

/** `points`: ProseMirror positions of the seen answer to carry over; `caret`: see carryOver. */
export function carryAnswerOver(
  seen: Y.Doc,
  fresh: Y.Doc,
  points: readonly number[] = [],
  caret?: number,
): CarryOver {
  const { nodes } = getAnswerSchema()
  return carryOver(seen, fresh, {
    field: ANSWER_FIELD,
    isLeaf: (name) => nodes[name]?.isLeaf ?? false,
    isTextblock: (name) => nodes[name]?.isTextblock ?? false,
    points,
    ...(caret === undefined ? {} : { caret }),
  })
}

/** The carried text as pieces to show and keep, each with an id and the refusal's code. */
export function refusedPieces(carried: CarryOver, code: string): RefusedPiece[] {
  return carried.pieces.map((piece) => ({ ...piece, id: randomId(), code }))
}
