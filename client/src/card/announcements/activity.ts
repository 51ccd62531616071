/**
 * What the card page tells a screen reader about other people (the W3C collaboration-tools user
 * requirements): who joined the card, who left it, and who is editing near the person's caret.
 * Pure: a reducer over what the page observes, with the time passed in.
 *
 * - Only changes are said. The people already on the card when it is opened are not "joined":
 *   nothing is said until the first sync, and what was there then is the starting point.
 * - While the connection is down (y-websocket drops everyone's presence then) nothing is said;
 *   once synced again, the difference from before is, as joins and leaves.
 * - Joins and leaves are gathered for GATHER_MS and said together ("A and B joined"); someone who
 *   joins and leaves within it is not mentioned at all.
 * - Editing near the caret is said at most once per person per EDIT_QUIET_MS: a person typing on
 *   must not talk over the screen reader.
 */
import type { PresenceUser } from '@kartu/protocol'

/** How long joins and leaves are gathered before they are said together. */
export const GATHER_MS = 1000
/** How long after "X is editing near your cursor" it is not said again for X. */
export const EDIT_QUIET_MS = 10_000

export type ActivityKind = 'joined' | 'left' | 'editingNear'

export type ActivityMessage = {
  readonly kind: ActivityKind
  readonly people: readonly PresenceUser[]
}

type People = ReadonlyMap<string, PresenceUser>

export type ActivityMemory = {
  /** The people last seen while synced; null until the first sync (they were there already). */
  readonly known: People | null
  /** Synced with the server now (presence is complete). */
  readonly live: boolean
  /** Joins and leaves not said yet, by user id. */
  readonly joined: People
  readonly left: People
  /** When the first of them was seen. */
  readonly gatheringSince: number | null
  /** When each person's editing near the caret was last said, by user id. */
  readonly editSaid: ReadonlyMap<string, number>
}

const nobody: People = new Map()

export const FRESH_ACTIVITY: ActivityMemory = {
  known: null,
  live: false,
  joined: nobody,
  left: nobody,
  gatheringSince: null,
  editSaid: new Map(),
}

const byId = (people: readonly PresenceUser[]): Map<string, PresenceUser> =>
  new Map(people.map((person) => [person.id, person]))

/**
 * The people (other than oneself, each once) on the card now, and whether the session is synced.
 * Joins and leaves are gathered; see takeDue.
 */
export function observePeople(
  memory: ActivityMemory,
  people: readonly PresenceUser[],
  live: boolean,
  now: number,
): ActivityMemory {
  if (!live) return memory.live ? { ...memory, live: false } : memory
  const current = byId(people)
  const { known } = memory
  if (known === null) return { ...memory, known: current, live: true }
  const joined = new Map(memory.joined)
  const left = new Map(memory.left)
  for (const [id, person] of current) {
    if (known.has(id)) continue
    // Back before their leaving was said: nothing happened.
    if (!left.delete(id)) joined.set(id, person)
  }
  for (const [id, person] of known) {
    if (current.has(id)) continue
    if (!joined.delete(id)) left.set(id, person)
  }
  const waiting = joined.size + left.size > 0
  return {
    ...memory,
    known: current,
    live: true,
    joined,
    left,
    gatheringSince: waiting ? (memory.gatheringSince ?? now) : null,
  }
}

/** When the gathered joins and leaves are due to be said, or null if there are none. */
export function dueAt(memory: ActivityMemory): number | null {
  return memory.gatheringSince === null ? null : memory.gatheringSince + GATHER_MS
}

/** The gathered joins and leaves, once they are due. */
export function takeDue(
  memory: ActivityMemory,
  now: number,
): { memory: ActivityMemory; say: ActivityMessage[] } {
  const due = dueAt(memory)
  if (due === null || now < due) return { memory, say: [] }
  const say: ActivityMessage[] = []
  if (memory.joined.size > 0) say.push({ kind: 'joined', people: [...memory.joined.values()] })
  if (memory.left.size > 0) say.push({ kind: 'left', people: [...memory.left.values()] })
  return { memory: { ...memory, joined: nobody, left: nobody, gatheringSince: null }, say }
}

/**
 * Other people just edited near the person's caret (who, and whether it was near, is for
 * whoEdited.ts and nearCaret.ts to say). Said at once, for those not said in EDIT_QUIET_MS.
 */
export function observeEdit(
  memory: ActivityMemory,
  editors: readonly PresenceUser[],
  now: number,
): { memory: ActivityMemory; say: ActivityMessage[] } {
  if (!memory.live) return { memory, say: [] }
  const fresh = [...byId(editors).values()].filter((person) => {
    const said = memory.editSaid.get(person.id)
    return said === undefined || now - said >= EDIT_QUIET_MS
  })
  if (fresh.length === 0) return { memory, say: [] }
  // Only what still holds anyone back is kept.
  const editSaid = new Map([...memory.editSaid].filter(([, said]) => now - said < EDIT_QUIET_MS))
  for (const person of fresh) editSaid.set(person.id, now)
  return { memory: { ...memory, editSaid }, say: [{ kind: 'editingNear', people: fresh }] }
}
