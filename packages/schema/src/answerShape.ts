/**
 * Whether the answer, as it is in Yjs, is a document the answer's ProseMirror schema can hold.
 *
 * y-prosemirror reads Yjs leniently: what it cannot build it deletes from the Yjs document and
 * writes back, under the session of whoever merely opened the card. So content a modified client
 * wrote (an unknown element, an `onclick` attribute, a mark with a `javascript:` link, text
 * directly in the answer, a paragraph inside a paragraph) would be stored and then destroy
 * other people's text. This module reads strictly instead: every element, attribute, text run
 * and formatting key is built into a ProseMirror node with the schema itself and `check()`ed, so
 * the rules are the schema's (its node names, content expressions, attribute validators and
 * marks), never a hand-kept list. Nothing here changes the document.
 */
import type { Mark, Node as PMNode, Schema } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { markKey, markNameOfKey } from './markKeys.ts'

/** Thrown while reading: the message says what is wrong and where. */
export class ShapeError extends Error {}

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

function describe(value: unknown): string {
  if (value instanceof Y.XmlElement) return `<${value.nodeName}>`
  if (value instanceof Y.XmlText) return 'text'
  if (value instanceof Y.AbstractType) return value.constructor.name
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 40 ? `${json.slice(0, 40)}…` : json
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Y.AbstractType) &&
    !(value instanceof Uint8Array)
  )
}

/** The marks a formatting run stands for; throws on anything y-prosemirror would not write. */
function marksOf(schema: Schema, attributes: Record<string, unknown> | undefined): Mark[] {
  const marks: Mark[] = []
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const name = markNameOfKey(key)
    const type = schema.marks[name]
    if (!type) throw new ShapeError(`unknown mark ${describe(name)}`)
    if (!isPlainObject(value))
      throw new ShapeError(`mark ${name} with attributes ${describe(value)}`)
    const known = type.spec.attrs ?? {}
    for (const attribute of Object.keys(value)) {
      if (!Object.hasOwn(known, attribute)) {
        throw new ShapeError(`unknown attribute ${describe(attribute)} on mark ${name}`)
      }
    }
    const mark = type.create(value)
    if (markKey(mark) !== key) {
      throw new ShapeError(
        `mark ${name} stored under ${describe(key)}, not as y-prosemirror writes it`,
      )
    }
    marks.push(mark)
  }
  return marks
}

function textNodes(schema: Schema, text: Y.XmlText): PMNode[] {
  if (Object.keys(text.getAttributes()).length > 0) {
    throw new ShapeError('attributes on a text run')
  }
  const nodes: PMNode[] = []
  for (const op of text.toDelta() as Delta) {
    if (typeof op.insert !== 'string') throw new ShapeError(`${describe(op.insert)} inside text`)
    nodes.push(schema.text(op.insert, marksOf(schema, op.attributes)))
  }
  return nodes
}

function elementNode(schema: Schema, element: Y.XmlElement): PMNode {
  const type = schema.nodes[element.nodeName]
  if (!type || type.isText || type === schema.topNodeType) {
    throw new ShapeError(`unknown element ${describe(element.nodeName)}`)
  }
  const attributes: Record<string, unknown> = element.getAttributes()
  const known = type.spec.attrs ?? {}
  for (const name of Object.keys(attributes)) {
    if (!Object.hasOwn(known, name)) {
      throw new ShapeError(`unknown attribute ${describe(name)} on ${type.name}`)
    }
  }
  const children: PMNode[] = []
  for (const child of element.toArray() as unknown[]) {
    if (child instanceof Y.XmlElement) children.push(elementNode(schema, child))
    else if (child instanceof Y.XmlText) children.push(...textNodes(schema, child))
    else throw new ShapeError(`${describe(child)} inside ${type.name}`)
  }
  // create() runs the attribute validators on what was given; check() below runs them on the
  // defaults too, and checks content, nesting and marks all the way down.
  return type.create(attributes, children)
}

/**
 * The ProseMirror block a top-level item of the answer (a Yjs element or text) stands for,
 * checked against the schema; throws ShapeError (or ProseMirror's RangeError) when it is not a
 * block the schema can hold.
 */
export function blockNode(schema: Schema, item: unknown): PMNode {
  if (!(item instanceof Y.XmlElement)) {
    throw new ShapeError(`${describe(item)} directly in the answer (only blocks may be there)`)
  }
  const node = elementNode(schema, item)
  if (!schema.topNodeType.contentMatch.matchType(node.type)) {
    throw new ShapeError(`${node.type.name} cannot stand in the answer`)
  }
  node.check()
  return node
}

/**
 * The problem with one top-level item of the answer (a Yjs element or text), or null when it is
 * a block the schema can hold.
 */
export function blockProblem(schema: Schema, item: unknown): string | null {
  try {
    blockNode(schema, item)
    return null
  } catch (error) {
    if (error instanceof ShapeError || error instanceof RangeError) return error.message
    throw error
  }
}

/**
 * The problem with the sequence of top-level items (which kinds of block may follow which), or
 * null. Reads only node names, so it is cheap enough to run whenever blocks are added. An empty
 * answer is accepted: the editor fills it with an empty paragraph, losing nothing.
 */
export function sequenceProblem(schema: Schema, items: readonly unknown[]): string | null {
  let match: ReturnType<typeof schema.topNodeType.contentMatch.matchType> =
    schema.topNodeType.contentMatch
  for (const [index, item] of items.entries()) {
    const type = item instanceof Y.XmlElement ? schema.nodes[item.nodeName] : undefined
    match = type ? (match?.matchType(type) ?? null) : null
    if (!match) return `block ${index + 1}: ${describe(item)} cannot stand in the answer`
  }
  return items.length === 0 || match?.validEnd ? null : 'the answer ends where it may not'
}

/** Every problem of the whole answer (on load, and for `pnpm kartu doctor`). */
export function answerProblems(schema: Schema, fragment: Y.XmlFragment): string[] {
  const items = fragment.toArray() as unknown[]
  const problems: string[] = []
  const sequence = sequenceProblem(schema, items)
  if (sequence) problems.push(sequence)
  items.forEach((item, index) => {
    const problem = blockProblem(schema, item)
    if (problem) problems.push(`block ${index + 1}: ${problem}`)
  })
  return problems
}
