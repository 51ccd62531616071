/**
 * The suggestion marks of an answer, character by character, split by who inserted each
 * character: what the policy needs to tell "one person changed another person's suggestion"
 * from what Yjs does on its own when two people type at the same place at the same moment.
 *
 * Yjs keeps formatting as start and end items between the characters. A character inserted at
 * the very edge of someone's mark, concurrently with that mark, is ordered among those items by
 * client id, and so can land inside the mark's range without anyone having formatted it (for
 * instance one ministry's replacement typed just after a word that another ministry marked as
 * deleted at the same moment). Refusing that would drop the typist's keystrokes over a race no
 * one can avoid. Writing into someone's mark on purpose looks different: either the sender wrote
 * the format item that gives the mark, or the sender inserted between characters that already
 * carried it (the new characters' right origin, which the sender saw, is inside the mark).
 */
import { suggestionKeyOf } from '@kartu/schema'
import * as Y from 'yjs'

/** What one suggestion mark (`insertion:<id>` / `deletion:<id>`) covers. */
export type MarkedCharacters = {
  /** The text of the characters carrying the mark that the sender did not insert. */
  others: string
  /**
   * The sender's characters carrying the mark, by Yjs id (`client:clock`), each with whether
   * the sender put it there on purpose in this update (see the module comment).
   */
  own: Map<string, { written: boolean }>
}

export type AnswerMarks = {
  marks: Map<string, MarkedCharacters>
  /** The `watched` characters of the sender still in the answer, by Yjs id. */
  ownCharacters: Set<string>
}

export type SenderItems = {
  /** The client belongs to the sender (bound to them, or new in this update). */
  isOwnClient(client: number): boolean
  /** The item was created in the update being judged (false when judging the state before). */
  isNew(item: Y.Item): boolean
  /**
   * The marks to follow (`insertion:<id>`): other people's suggestions. Marks of the sender's own
   * suggestions are not counted: most of a suggester's typing is inside them, and following each
   * of those characters was most of the policy's cost per keystroke.
   */
  isTracked(key: string): boolean
  /** The sender's characters whose presence to report in `ownCharacters` (by Yjs id). */
  watched?: ReadonlySet<string>
}

/** A new run of the sender's that carries someone's mark: judged once its right origin is seen. */
type Pending = {
  rightOrigin: Y.ID
  key: string
  characters: string[]
}

/** `client:clock` ids grouped by client, so a run is checked with numbers, not strings. */
function clocksByClient(ids: ReadonlySet<string> | undefined): Map<number, Set<number>> {
  const byClient = new Map<number, Set<number>>()
  for (const id of ids ?? []) {
    const [client, clock] = id.split(':').map(Number) as [number, number]
    let clocks = byClient.get(client)
    if (!clocks) {
      clocks = new Set()
      byClient.set(client, clocks)
    }
    clocks.add(clock)
  }
  return byClient
}

export function answerMarks(fragment: Y.XmlFragment, sender: SenderItems): AnswerMarks {
  const marks = new Map<string, MarkedCharacters>()
  const ownCharacters = new Set<string>()
  const watched = clocksByClient(sender.watched)
  const entry = (key: string): MarkedCharacters => {
    let found = marks.get(key)
    if (!found) {
      found = { others: '', own: new Map() }
      marks.set(key, found)
    }
    return found
  }

  const visitText = (text: Y.XmlText): void => {
    // The followed marks active at the walk's position: mark key → the format item that set it.
    const active = new Map<string, Y.Item>()
    const pending: Pending[] = []
    for (let item = text._start; item !== null; item = item.right) {
      // Right origins are always to the right of the run they belong to: judge them here, with
      // the marks active at this point (deleted items included: an origin may be deleted since).
      if (pending.length > 0) settle(item, active, pending)
      if (item.deleted) continue
      const content = item.content
      if (content instanceof Y.ContentFormat) {
        for (const [key, setBy] of active) {
          if ((setBy.content as Y.ContentFormat).key === content.key) active.delete(key)
        }
        const key = suggestionKeyOf(content.key, content.value)
        if (key !== null && sender.isTracked(key)) active.set(key, item)
        continue
      }
      if (!(content instanceof Y.ContentString)) continue
      const { client, clock } = item.id
      if (!sender.isOwnClient(client)) {
        for (const key of active.keys()) entry(key).others += content.str
        continue
      }
      const clocks = watched.get(client)
      if (clocks) {
        for (let i = 0; i < content.str.length; i++) {
          if (clocks.has(clock + i)) ownCharacters.add(`${client}:${clock + i}`)
        }
      }
      if (active.size === 0) continue
      const characters: string[] = []
      for (let i = 0; i < content.str.length; i++) characters.push(`${client}:${clock + i}`)
      for (const [key, setBy] of active) {
        const marked = entry(key)
        const formattedNow = sender.isOwnClient(setBy.id.client) && sender.isNew(setBy)
        for (const character of characters) marked.own.set(character, { written: formattedNow })
        // Inherited by position: on purpose if the sender inserted it inside the mark.
        if (!formattedNow && sender.isNew(item) && item.rightOrigin !== null) {
          pending.push({ rightOrigin: item.rightOrigin, key, characters })
        }
      }
    }
  }

  /** Judges the pending runs whose right origin is `item`. */
  const settle = (item: Y.Item, active: Map<string, Y.Item>, pending: Pending[]): void => {
    for (let i = pending.length - 1; i >= 0; i--) {
      const run = pending[i] as Pending
      const { client, clock } = run.rightOrigin
      if (
        client !== item.id.client ||
        clock < item.id.clock ||
        clock >= item.id.clock + item.length
      )
        continue
      pending.splice(i, 1)
      // Next to the sender's own text the mark may have come from an earlier race: continuing
      // it is not writing into someone else's suggestion.
      if (sender.isOwnClient(client) || !active.has(run.key)) continue
      const marked = entry(run.key)
      for (const character of run.characters) marked.own.set(character, { written: true })
    }
  }

  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook): void => {
    if (node instanceof Y.XmlText) visitText(node)
    else if (node instanceof Y.XmlElement) for (const child of node.toArray()) visit(child)
  }
  for (const child of fragment.toArray()) visit(child)
  return { marks, ownCharacters }
}
