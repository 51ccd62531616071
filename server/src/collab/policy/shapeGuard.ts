/**
 * The schema guard: after an update is applied to the policy's shadow document, everything it
 * touched must still have the shape the card's schema and layout allow, whoever sent it (the
 * chair too). A client's editor cannot hold what its schema does not allow: y-prosemirror
 * deletes it and writes that back, so invalid content stored once destroys other people's text
 * later (docs/decisions/0008).
 *
 * Only what the update touched is checked: each top-level block of the answer that contains a
 * changed type, every block the update added, the order of the blocks when it added or removed
 * one; and each touched entry of the other fields. A keystroke therefore costs the check of one
 * block, whatever the size of the card.
 */
import {
  ANSWER_FIELD,
  blockProblem,
  DECISIONS_FIELD,
  decisionProblem,
  getAnswerSchema,
  SUGGESTIONS_FIELD,
  sequenceProblem,
  suggestionEntryProblem,
  THREADS_FIELD,
  threadProblem,
} from '@kartu/schema'
import type * as Y from 'yjs'

/** Any shared Yjs type (map, array, text, XML). */
type SharedType = Y.AbstractType<unknown>

/** What an update did to the shadow, as the policy observed it. */
export type TouchedTypes = {
  /** Types whose content (key null) or entries (key) changed, as Yjs reports them. */
  changed: ReadonlyMap<SharedType, ReadonlySet<string | null>>
  /** Clocks before the update: items at or past them were created by it. */
  beforeState: ReadonlyMap<number, number>
}

const isNew = (item: Y.Item, before: ReadonlyMap<number, number>): boolean =>
  item.id.clock >= (before.get(item.id.client) ?? 0)

/** The ancestor of `type` that is a direct child of `root` (or null when it is not under it). */
function childOf(root: SharedType, type: SharedType): SharedType | null {
  let current = type
  while (current._item && (current._item.parent as unknown) !== root) {
    current = current._item.parent as unknown as SharedType
  }
  return current._item ? current : null
}

/** The key of the entry of map `root` that holds `type`. */
function entryKeyOf(root: SharedType, type: SharedType): string | null {
  return childOf(root, type)?._item?.parentSub ?? null
}

/** What an update did to the answer and to the card's other fields, by entry. */
export type TouchedParts = {
  /** Top-level blocks of the answer that hold a changed type, or that the update added. */
  blocks: Set<SharedType>
  /** Blocks were added or removed: the order of the blocks is to be checked. */
  sequenceChanged: boolean
  /** Entries of `suggestions` set by the update. */
  suggestionKeys: Set<string>
  /** The decision log gained entries. */
  decisionsAdded: boolean
  threadIds: Set<string>
  /** A shape problem found while sorting the changes out (an entry where none may be). */
  problem: string | null
}

/** Sorts out what an update touched in a card document. */
export function touchedParts(doc: Y.Doc, touched: TouchedTypes): TouchedParts {
  const answer = doc.getXmlFragment(ANSWER_FIELD) as unknown as SharedType
  const suggestionsType = doc.getMap<unknown>(SUGGESTIONS_FIELD) as unknown as SharedType
  const decisionsType = doc.getArray<unknown>(DECISIONS_FIELD) as unknown as SharedType
  const threads = doc.getMap<unknown>(THREADS_FIELD)
  const threadsType = threads as unknown as SharedType
  const parts: TouchedParts = {
    blocks: new Set(),
    sequenceChanged: false,
    suggestionKeys: new Set(),
    decisionsAdded: false,
    threadIds: new Set(),
    problem: null,
  }
  const fail = (problem: string) => {
    parts.problem ??= problem
  }
  for (const [type, keys] of touched.changed) {
    if (type === answer) {
      if (hasKeys(keys)) fail('the answer holds blocks only')
      parts.sequenceChanged = true
    } else if (type === suggestionsType) {
      if (keys.has(null)) fail('suggestions hold entries by id only')
      for (const key of keys) if (key !== null) parts.suggestionKeys.add(key)
    } else if (type === decisionsType) {
      if (hasKeys(keys)) fail('the decision log holds entries in order only')
      parts.decisionsAdded = true
    } else if (type === threadsType) {
      if (keys.has(null)) fail('threads are kept by id only')
      for (const key of keys) if (key !== null && threads.has(key)) parts.threadIds.add(key)
    } else {
      const block = childOf(answer, type)
      if (block) {
        if (!block._item?.deleted) parts.blocks.add(block)
        continue
      }
      const threadId = entryKeyOf(threadsType, type)
      if (threadId !== null) {
        if (threads.has(threadId)) parts.threadIds.add(threadId)
        continue
      }
      // Inside suggestion metadata or decisions: those are plain data, never shared types.
      if (childOf(suggestionsType, type) || childOf(decisionsType, type)) {
        fail('suggestions and decisions hold plain data only')
      }
    }
  }
  if (parts.sequenceChanged) {
    for (let item = answer._start; item !== null; item = item.right) {
      if (item.deleted || !isNew(item, touched.beforeState)) continue
      const block = item.content.getContent()[0] as SharedType | undefined
      if (block !== undefined) parts.blocks.add(block)
      else fail('the answer holds blocks only')
    }
  }
  return parts
}

/** The problem of the first part of `doc` touched that does not fit its shape, or null. */
export function shapeViolation(
  doc: Y.Doc,
  touched: TouchedTypes,
  parts: TouchedParts = touchedParts(doc, touched),
): string | null {
  if (parts.problem) return parts.problem
  const answer = doc.getXmlFragment(ANSWER_FIELD)
  const suggestions = doc.getMap<unknown>(SUGGESTIONS_FIELD)
  const decisions = doc.getArray<unknown>(DECISIONS_FIELD)
  const threads = doc.getMap<unknown>(THREADS_FIELD)
  if (parts.sequenceChanged) {
    const problem = sequenceProblem(getAnswerSchema(), answer.toArray() as unknown[])
    if (problem) return problem
  }
  for (const block of parts.blocks) {
    const problem = blockProblem(getAnswerSchema(), block)
    if (problem) return problem
  }
  for (const key of parts.suggestionKeys) {
    if (!suggestions.has(key)) continue
    const problem = suggestionEntryProblem(key, suggestions.get(key))
    if (problem) return `suggestion: ${problem}`
  }
  if (parts.decisionsAdded) {
    for (let item = decisions._start; item !== null; item = item.right) {
      if (item.deleted || !isNew(item, touched.beforeState)) continue
      for (const value of item.content.getContent() as unknown[]) {
        const problem = decisionProblem(value)
        if (problem) return `decision: ${problem}`
      }
    }
  }
  for (const id of parts.threadIds) {
    const problem = threadProblem(id, threads.get(id))
    if (problem) return `thread: ${problem}`
  }
  return null
}

function hasKeys(keys: ReadonlySet<string | null>): boolean {
  for (const key of keys) if (key !== null) return true
  return false
}
