/**
 * Rewrites a card stored before the server checked every update (or written past it) into the
 * shape its schema allows, keeping every character of text: unknown marks and attributes are
 * dropped, text standing directly in the answer is wrapped in a paragraph, and blocks whose
 * nesting the schema does not allow are flattened into paragraphs of the same text.
 *
 * What can be fixed in place is (removing an attribute, a formatting key, an embedded object),
 * so the letters keep their Yjs identity and with it who wrote them; only a block whose
 * structure is wrong is replaced by new paragraphs. Run it inside one transaction; the caller
 * stores the update that transaction makes (`pnpm kartu doctor --repair`).
 */
import type { Mark, Schema } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { blockProblem } from './answerShape.ts'
import { decisionProblem, suggestionEntryProblem, threadProblem } from './cardFieldShapes.ts'
import {
  ANSWER_FIELD,
  CommentField,
  DECISIONS_FIELD,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
  ThreadField,
} from './cardLayout.ts'
import { markKey, markNameOfKey } from './markKeys.ts'

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>
type Inline = { text: string; format: Record<string, unknown> } | { hardBreak: true }

/** The mark a formatting key and value stand for, if the schema can hold it; else null. */
function validMark(schema: Schema, key: string, value: unknown): Mark | null {
  const type = schema.marks[markNameOfKey(key)]
  if (!type || typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const known = type.spec.attrs ?? {}
  const attrs = Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(([name]) => Object.hasOwn(known, name)),
  )
  try {
    const mark = type.create(attrs)
    // create() validates what was given; the defaults must pass too (an id is required).
    for (const [name, spec] of Object.entries(known)) {
      const validate = (spec as { validate?: unknown }).validate
      if (typeof validate === 'function') validate(mark.attrs[name])
    }
    return mark
  } catch {
    return null
  }
}

/** The formatting of a run with what the schema cannot hold left out, keyed as y-prosemirror does. */
function validFormat(schema: Schema, attributes: Record<string, unknown> | undefined) {
  const format: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const mark = validMark(schema, key, value)
    if (mark) format[markKey(mark)] = mark.attrs
  }
  return format
}

/** In place: text attributes, formatting keys and embeds the schema cannot hold. */
function fixText(schema: Schema, text: Y.XmlText, problems: string[]): void {
  for (const name of Object.keys(text.getAttributes())) {
    text.removeAttribute(name)
    problems.push(`attribute ${name} on text dropped`)
  }
  const embeds: number[] = []
  let offset = 0
  for (const op of text.toDelta() as Delta) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    if (typeof op.insert !== 'string') embeds.push(offset)
    else {
      const change: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        const mark = validMark(schema, key, value)
        const right = mark ? markKey(mark) : null
        if (right === key) continue
        change[key] = null
        if (mark && right) change[right] = mark.attrs
        problems.push(`mark ${markNameOfKey(key)} ${mark ? 'rekeyed' : 'dropped'}`)
      }
      if (Object.keys(change).length > 0) text.format(offset, length, change)
    }
    offset += length
  }
  // From the end, so that earlier offsets stay right.
  for (const at of embeds.reverse()) {
    text.delete(at, 1)
    problems.push('an embedded object in text dropped')
  }
}

/** In place, all the way down: attributes the node type does not have or whose value it refuses. */
function fixElement(schema: Schema, element: Y.XmlElement, problems: string[]): void {
  const type = schema.nodes[element.nodeName]
  const known = type?.spec.attrs ?? {}
  for (const [name, value] of Object.entries(element.getAttributes() as Record<string, unknown>)) {
    const spec = known[name] as { validate?: unknown } | undefined
    let valid = spec !== undefined
    if (spec && typeof spec.validate === 'function') {
      try {
        spec.validate(value)
      } catch {
        valid = false
      }
    }
    if (!valid) {
      element.removeAttribute(name)
      problems.push(`attribute ${name} on ${element.nodeName} dropped`)
    }
  }
  for (const child of element.toArray() as unknown[]) {
    if (child instanceof Y.XmlElement) fixElement(schema, child, problems)
    else if (child instanceof Y.XmlText) fixText(schema, child, problems)
  }
}

/**
 * The text of `item` as lines of inline content, one per block it contains, in reading order:
 * what a paragraph-by-paragraph rewrite keeps.
 */
function lines(schema: Schema, item: unknown, out: Inline[][]): void {
  const current = () => out[out.length - 1] as Inline[]
  if (item instanceof Y.XmlText) {
    for (const op of item.toDelta() as Delta) {
      if (typeof op.insert === 'string' && op.insert.length > 0) {
        current().push({ text: op.insert, format: validFormat(schema, op.attributes) })
      }
    }
  } else if (item instanceof Y.XmlElement) {
    if (item.nodeName === 'hardBreak') {
      current().push({ hardBreak: true })
      return
    }
    // Any other element is a block boundary: its content starts a line, and so does what follows.
    out.push([])
    for (const child of item.toArray() as unknown[]) lines(schema, child, out)
    out.push([])
  } else if (typeof item === 'string' && item.length > 0) {
    current().push({ text: item, format: {} })
  }
}

function paragraphOf(content: Inline[]): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph')
  const children: Array<Y.XmlElement | Y.XmlText> = []
  let text: Y.XmlText | null = null
  for (const piece of content) {
    if ('hardBreak' in piece) {
      children.push(new Y.XmlElement('hardBreak'))
      text = null
      continue
    }
    if (!text) {
      text = new Y.XmlText()
      children.push(text)
    }
    const at = text.length
    text.insert(at, piece.text, piece.format)
  }
  paragraph.insert(0, children)
  return paragraph
}

/** Every character of text in document order (what a repair must keep). */
export function textOfAnswer(fragment: Y.XmlFragment): string {
  let out = ''
  const walk = (item: unknown) => {
    if (item instanceof Y.XmlText) {
      for (const op of item.toDelta() as Delta) if (typeof op.insert === 'string') out += op.insert
    } else if (item instanceof Y.XmlElement) {
      for (const child of item.toArray() as unknown[]) walk(child)
    } else if (typeof item === 'string') out += item
  }
  for (const item of fragment.toArray() as unknown[]) walk(item)
  return out
}

function repairAnswer(schema: Schema, fragment: Y.XmlFragment, problems: string[]): void {
  let index = 0
  for (const item of fragment.toArray() as unknown[]) {
    if (blockProblem(schema, item) === null) {
      index++
      continue
    }
    if (item instanceof Y.XmlElement && schema.nodes[item.nodeName]) {
      fixElement(schema, item, problems)
      if (blockProblem(schema, item) === null) {
        index++
        continue
      }
    }
    const found: Inline[][] = [[]]
    lines(schema, item, found)
    const paragraphs = found.filter((line) => line.length > 0).map(paragraphOf)
    const what =
      item instanceof Y.XmlElement ? item.nodeName : typeof item === 'string' ? 'text' : 'content'
    problems.push(`${what} at block ${index + 1} rewritten as ${paragraphs.length} paragraph(s)`)
    // Items are counted from Yjs's view: a JSON array pushed as one item still counts its values.
    fragment.delete(index, 1)
    if (paragraphs.length > 0) fragment.insert(index, paragraphs)
    index += paragraphs.length
  }
}

function repairThreads(threads: Y.Map<unknown>, problems: string[]): void {
  const allowed = new Set<string>(Object.values(ThreadField))
  const commentFields = new Set<string>(Object.values(CommentField))
  for (const [id, thread] of Array.from(threads.entries())) {
    if (threadProblem(id, thread) === null) continue
    if (!(thread instanceof Y.Map)) {
      threads.delete(id)
      problems.push(`thread ${id}: not a map, removed`)
      continue
    }
    for (const key of Array.from(thread.keys())) {
      if (!allowed.has(key)) thread.delete(key)
    }
    const comments = thread.get(ThreadField.Comments)
    if (comments instanceof Y.Array) {
      for (let i = comments.length - 1; i >= 0; i--) {
        const comment: unknown = comments.get(i)
        if (!(comment instanceof Y.Map)) comments.delete(i, 1)
        else
          for (const key of Array.from(comment.keys()))
            if (!commentFields.has(key)) comment.delete(key)
      }
    }
    const mentions = thread.get(ThreadField.Mentions)
    if (mentions instanceof Y.Array) {
      for (let i = mentions.length - 1; i >= 0; i--) {
        const mention: unknown = mentions.get(i)
        if (typeof mention !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(mention)) {
          mentions.delete(i, 1)
        }
      }
    }
    const left = threadProblem(id, thread)
    problems.push(`thread ${id}: ${left === null ? 'unknown fields removed' : `still ${left}`}`)
  }
}

/**
 * Repairs the card document `doc` in the current transaction; returns what it changed, and what
 * it could not (the decision log is append-only: an invalid entry is reported, kept as it is).
 */
export function repairCard(schema: Schema, doc: Y.Doc): string[] {
  const problems: string[] = []
  repairAnswer(schema, doc.getXmlFragment(ANSWER_FIELD), problems)
  const suggestions = doc.getMap<unknown>(SUGGESTIONS_FIELD)
  for (const [id, value] of Array.from(suggestions.entries())) {
    const problem = suggestionEntryProblem(id, value)
    if (problem === null) continue
    suggestions.delete(id)
    problems.push(`suggestion ${id}: ${problem}; its metadata removed (its marks stay)`)
  }
  doc
    .getArray<unknown>(DECISIONS_FIELD)
    .toArray()
    .forEach((value, index) => {
      const problem = decisionProblem(value)
      if (problem) problems.push(`decision ${index + 1}: ${problem}; kept (the log is append-only)`)
    })
  repairThreads(doc.getMap<unknown>(THREADS_FIELD), problems)
  return problems
}
