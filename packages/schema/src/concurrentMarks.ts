/**
 * Suggestion marks that Yjs stretched over text typed at the same moment by someone else.
 *
 * Yjs keeps formatting as items between the characters: a mark is on from its opening item to the
 * item that closes it. Text inserted at the very edge of a mark, by someone who had not yet seen
 * that mark, is ordered among those items by client id, and so can land inside the mark's range.
 * For bold that is harmless; for a suggestion it is not: an editor retyping a word while a
 * ministry suggests replacing it could find their letters inside the ministry's insertion (a
 * rejection would then throw the editor's letters away) or half of their word inside the
 * ministry's deletion (an acceptance would leave a fragment). Peritext calls these marks
 * non-expanding: a concurrent insertion at their edge does not take them.
 *
 * Which insertions were concurrent is read from Yjs itself: every item records the neighbours
 * its writer saw on either side (`origin`, `rightOrigin`). A run is captured when the item that
 * opens the mark lies between the run and the run's left origin (the run's writer did not see it)
 * and the opening's own right origin lies beyond the run (its writer did not see the run either);
 * or the same on the right, with the item that closes the mark. A mark put on existing text on
 * purpose (a deletion suggested over words) splits their item, but its items' origins are those
 * words, so it is not mistaken for a race; nor is text written inside a mark on purpose (typing
 * within a suggestion, or the binding writing a suggestion's text again after a split).
 *
 * One more repair keeps every suggestion a whole proposal (markRepairs): letters typed onto a
 * word someone suggested deleting join that deletion (wordContinuations).
 *
 * Run by the server after each update it applies (Room), as the server's own change: one writer
 * of corrections, so that replicas do not correct each other. What remains: Yjs itself deletes
 * formatting items it finds redundant when a remote change arrives (cleanupYTextFormatting), in
 * each replica's view; a replica that has not yet seen a concurrent letter can delete the item
 * that letter needed. Random schedules still meet that now and then (decision 0011).
 */
import * as Y from 'yjs'
import { markNameOfKey } from './markKeys.ts'
import { MarkName } from './reviewMarks.ts'

/** A run of text whose suggestion mark must change: taken off (`value` null) or put on. */
export type MarkRepair = {
  /** Index of the run in its Y.XmlText. */
  index: number
  length: number
  /** The formatting key (`insertion--XXXXXXXX`). */
  key: string
  value: unknown
  /** The Yjs client that wrote the run. */
  client: number
}

const NON_EXPANDING: ReadonlySet<string> = new Set([
  MarkName.Insertion,
  MarkName.Deletion,
  MarkName.FormatChange,
])

/** Whether a formatting key is a suggestion's mark (the marks that must not stretch). */
export function isSuggestionKey(key: string): boolean {
  return NON_EXPANDING.has(markNameOfKey(key))
}

type Active = { value: unknown; order: number; item: Y.Item }

/** Whether two Yjs clients are the same person (the server knows from its authors map). */
export type SamePerson = (a: number, b: number) => boolean

export type RepairOptions = {
  samePerson?: SamePerson
}

/**
 * The repairs `text` needs: runs that carry someone else's suggestion mark they were not written
 * with (taken off), and letters typed onto a word someone suggested deleting (put under that
 * deletion).
 */
export function markRepairs(text: Y.XmlText, options: RepairOptions = {}): MarkRepair[] {
  const samePerson = options.samePerson ?? ((a, b) => a === b)
  // Every item in list order, deleted ones included (origins may point at them).
  const items: Y.Item[] = []
  for (let item = text._start; item !== null; item = item.right) items.push(item)
  const orderOf = itemOrder(items)
  const at = (id: Y.ID | null, fallback: number) => (id ? (orderOf(id) ?? fallback) : fallback)
  const repairs: MarkRepair[] = []
  const active = new Map<string, Active>()
  // The suggested deletions over each item, deleted text included.
  const deletionsAt: Array<ReadonlyMap<string, Active>> = []
  const runs: Array<{
    order: number
    run: { index: number; length: number; client: number }
    inserted: boolean
  }> = []
  let index = 0
  for (const [order, item] of items.entries()) {
    deletionsAt[order] = deletionsOf(active)
    const content = item.content
    if (content instanceof Y.ContentFormat) {
      if (!item.deleted && isSuggestionKey(content.key)) {
        // The first opening of a span counts: a repair writes the same value again around a
        // run, and what a writer saw is the mark as first opened.
        if (content.value === null) active.delete(content.key)
        else if (!active.has(content.key)) {
          active.set(content.key, { value: content.value, order, item })
        }
      }
      continue
    }
    if (item.deleted || !item.countable) continue
    const start = index
    index += item.length
    if (!(content instanceof Y.ContentString)) continue
    const run = { index: start, length: item.length, client: item.id.client }
    const left = at(item.origin, -1)
    const right = at(item.rightOrigin, items.length)
    for (const [key, mark] of active) {
      // One's own mark on one's own letters is never a race.
      if (samePerson(mark.item.id.client, item.id.client)) continue
      // Opened between the run and what its writer saw on its left, by someone who had not
      // seen the run; or closed between the run and what its writer saw on its right, by
      // someone who had not seen it.
      const openedUnseen =
        mark.order > left &&
        at(firstForeign(mark.item, 'rightOrigin', items, orderOf), items.length) > order
      const closing = closingBetween(items, key, order + 1, right)
      const closedUnseen =
        closing !== null && at(firstForeign(closing, 'origin', items, orderOf), -1) < order
      if (openedUnseen || closedUnseen) repairs.push({ ...run, key, value: null })
    }
    runs.push({
      order,
      run,
      inserted: [...active.keys()].some((key) => markNameOfKey(key) === MarkName.Insertion),
    })
  }
  // Second pass: a run's neighbours may lie after it.
  for (const { order, run, inserted } of runs) {
    repairs.push(...wordContinuations(items, order, run, deletionsAt, at, samePerson, inserted))
  }
  return repairs
}

function deletionsOf(active: ReadonlyMap<string, Active>): ReadonlyMap<string, Active> {
  let found: Map<string, Active> | null = null
  for (const [key, mark] of active) {
    if (markNameOfKey(key) !== MarkName.Deletion) continue
    found ??= new Map()
    found.set(key, mark)
  }
  return found ?? NONE
}

const NONE: ReadonlyMap<string, Active> = new Map()
const WORD_BREAK = /[\s.,;:!?()[\]{}"'\u2018-\u201f\u2013\u2014/]/u

/**
 * Letters typed onto a word that someone suggested deleting: the suggestion is to delete that
 * word, so it deletes the letters typed onto it too, up to the first space or punctuation.
 * Without this, an editor retyping "p" into "pendamping" while a ministry replaced "p" with
 * "perawat" would leave a suggestion whose acceptance reads "perawatendamping"; and each letter
 * the editor typed after the first correction arrived would start the fragment again.
 *
 * The run continues the word when its neighbour on that side, as its writer placed it, is a
 * letter under the deletion. Text carrying a suggested insertion is left alone: another
 * ministry's proposal next to the deleted word is an alternative for the chair.
 */
function wordContinuations(
  items: readonly Y.Item[],
  order: number,
  run: { index: number; length: number; client: number },
  deletionsAt: ReadonlyArray<ReadonlyMap<string, Active>>,
  at: (id: Y.ID | null, fallback: number) => number,
  samePerson: SamePerson,
  marked: boolean,
): MarkRepair[] {
  if (marked) return []
  const item = items[order] as Y.Item
  const text = (item.content as Y.ContentString).str
  const here = deletionsAt[order] as ReadonlyMap<string, Active>
  const repairs: MarkRepair[] = []
  const sides = [
    { neighbour: at(item.origin, -1), after: true },
    { neighbour: at(item.rightOrigin, items.length), after: false },
  ]
  for (const side of sides) {
    const { after } = side
    // Past formatting items (a mark closing right there is what the writer typed after).
    let neighbour = side.neighbour
    while (
      neighbour >= 0 &&
      neighbour < items.length &&
      (items[neighbour] as Y.Item).content instanceof Y.ContentFormat
    ) {
      neighbour += after ? -1 : 1
    }
    if (neighbour < 0 || neighbour >= items.length) continue
    const next = items[neighbour] as Y.Item
    if (!(next.content instanceof Y.ContentString) && !(next.content instanceof Y.ContentDeleted)) {
      continue
    }
    // The neighbour's letter on the run's side: the last one before it, or the first after.
    const letter =
      next.content instanceof Y.ContentString
        ? next.content.str.charAt(after ? next.content.str.length - 1 : 0)
        : 'x'
    if (WORD_BREAK.test(letter)) continue
    const word = after ? leadingWord(text) : trailingWord(text)
    if (word === 0) continue
    for (const [key, mark] of deletionsAt[neighbour] as ReadonlyMap<string, Active>) {
      if (here.has(key) || samePerson(mark.item.id.client, item.id.client)) continue
      repairs.push({
        index: after ? run.index : run.index + run.length - word,
        length: word,
        key,
        value: mark.value,
        client: run.client,
      })
    }
  }
  return repairs
}

function leadingWord(text: string): number {
  let length = 0
  while (length < text.length && !WORD_BREAK.test(text.charAt(length))) length++
  return length
}

function trailingWord(text: string): number {
  let length = 0
  while (length < text.length && !WORD_BREAK.test(text.charAt(text.length - 1 - length))) length++
  return length
}

/**
 * The neighbour `item`'s writer saw on one side, looking past the writer's own formatting items:
 * a transaction writes several (a replacement closes its deletion, then opens its insertion),
 * each placed next to the previous one, so the first of the chain tells what the writer saw.
 * Letters stop the walk: the same client may have written them long before (the server's own
 * client writes imported text and these repairs).
 */
function firstForeign(
  item: Y.Item,
  side: 'origin' | 'rightOrigin',
  items: readonly Y.Item[],
  orderOf: (id: Y.ID) => number | undefined,
): Y.ID | null {
  let id = item[side]
  // Bounded: each step moves to another of the writer's formatting items.
  for (
    let steps = 0;
    id !== null && id.client === item.id.client && steps < items.length;
    steps++
  ) {
    const order = orderOf(id)
    const next = order === undefined ? undefined : items[order]
    if (!next || !(next.content instanceof Y.ContentFormat)) break
    id = next[side]
  }
  return id
}

/** The first live item closing `key` in items[from, to), if any. */
function closingBetween(
  items: readonly Y.Item[],
  key: string,
  from: number,
  to: number,
): Y.Item | null {
  for (let order = from; order < to; order++) {
    const item = items[order] as Y.Item
    const content = item.content
    if (!item.deleted && content instanceof Y.ContentFormat && content.key === key) {
      if (content.value === null) return item
    }
  }
  return null
}

/** The position in `items` of the item holding the character `id`. */
function itemOrder(items: readonly Y.Item[]): (id: Y.ID) => number | undefined {
  const byClient = new Map<number, Array<{ clock: number; end: number; order: number }>>()
  for (const [order, item] of items.entries()) {
    let list = byClient.get(item.id.client)
    if (!list) {
      list = []
      byClient.set(item.id.client, list)
    }
    list.push({ clock: item.id.clock, end: item.id.clock + item.length, order })
  }
  return (id) => {
    const list = byClient.get(id.client)
    return list?.find((entry) => entry.clock <= id.clock && id.clock < entry.end)?.order
  }
}

/**
 * Carries out the repairs of every text of `fragment` (or only of `texts`). Returns whether
 * anything changed. Called by the server after it applies an update, inside its own transaction,
 * so the correction is one more update everyone receives.
 */
export function repairConcurrentMarks(
  fragment: Y.XmlFragment,
  options: RepairOptions & {
    texts?: Iterable<Y.XmlText>
    /** Only the runs written by these clients (a client repairing its own letters). */
    writtenBy?: (client: number) => boolean
  } = {},
): boolean {
  let changed = false
  for (const text of options.texts ?? allTexts(fragment)) {
    for (const repair of markRepairs(text, options)) {
      if (options.writtenBy && !options.writtenBy(repair.client)) continue
      text.format(repair.index, repair.length, { [repair.key]: repair.value })
      changed = true
    }
  }
  return changed
}

function allTexts(fragment: Y.XmlFragment): Y.XmlText[] {
  const texts: Y.XmlText[] = []
  const visit = (node: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child)
      else if (child instanceof Y.XmlElement) visit(child)
    }
  }
  visit(fragment)
  return texts
}
