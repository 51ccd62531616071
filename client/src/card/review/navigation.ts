/**
 * Moving through a card's suggestions and comments from the keyboard, in the order they stand
 * in the answer: the next or previous one from the item chosen, or from the caret when none is.
 */
import type { ActiveItem } from '../reviewActions.ts'

/** A suggestion or an anchored, open comment thread, and where it starts in the answer. */
export type PlacedItem = { kind: ActiveItem['kind']; id: string; from: number }

/**
 * The item `step` (1 or -1) away from `current` among `items`, or from the caret at `caret` when
 * `current` is not among them; it wraps around. Null when there are none.
 */
export function adjacentItem(
  items: readonly PlacedItem[],
  current: ActiveItem | null,
  caret: number,
  step: 1 | -1,
): PlacedItem | null {
  if (items.length === 0) return null
  const ordered = [...items].sort((a, b) => a.from - b.from || (a.kind < b.kind ? -1 : 1))
  const index = current
    ? ordered.findIndex((item) => item.kind === current.kind && item.id === current.id)
    : -1
  if (index !== -1) {
    return ordered[(index + step + ordered.length) % ordered.length] ?? null
  }
  if (step === 1) return ordered.find((item) => item.from > caret) ?? ordered[0] ?? null
  return [...ordered].reverse().find((item) => item.from < caret) ?? ordered.at(-1) ?? null
}
