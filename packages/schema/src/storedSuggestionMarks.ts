/**
 * Suggestion marks as stored in Yjs: y-prosemirror writes each insertion, deletion or format
 * change mark as a formatting attribute `insertion--<hash>: { id }` on the text it covers. Used
 * by the server's policy (whose suggestion changed) and by the card figures (how many are
 * pending). A mark is named here by its suggestion key, `insertion:<id>`: the mark's name and its
 * suggestion id, which is what tells two marks apart (the hash in the Yjs key is not needed).
 */
import * as Y from 'yjs'
import { markNameOfKey } from './markKeys.ts'
import { MarkName } from './reviewMarks.ts'
import { suggestionIdOf } from './suggest/suggestionMarks.ts'

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

const SUGGESTION_MARKS: ReadonlySet<string> = new Set([
  MarkName.Insertion,
  MarkName.Deletion,
  MarkName.FormatChange,
])

/**
 * The suggestion key (`insertion:<id>`) of a Yjs formatting attribute, or null when the
 * attribute is not a suggestion mark (bold, a comment) or carries no id.
 */
export function suggestionKeyOf(attributeKey: string, value: unknown): string | null {
  const name = markNameOfKey(attributeKey)
  if (!SUGGESTION_MARKS.has(name)) return null
  const id = suggestionIdOf(value)
  return id === null ? null : `${name}:${id}`
}

/** The suggestion id of a suggestion key (`insertion:<id>` → `<id>`). */
export function idOfSuggestionKey(key: string): string {
  return key.slice(key.indexOf(':') + 1)
}

function collect(node: Y.XmlElement | Y.XmlText | Y.XmlHook, out: Map<string, string>): void {
  if (node instanceof Y.XmlText) {
    for (const op of node.toDelta() as Delta) {
      if (typeof op.insert !== 'string' || !op.attributes) continue
      for (const [attributeKey, value] of Object.entries(op.attributes)) {
        // Insertions and deletions only: a format change leaves the text as it reads.
        const name = markNameOfKey(attributeKey)
        if (name !== MarkName.Insertion && name !== MarkName.Deletion) continue
        const key = suggestionKeyOf(attributeKey, value)
        if (key !== null) out.set(key, (out.get(key) ?? '') + op.insert)
      }
    }
    return
  }
  if (node instanceof Y.XmlElement) for (const child of node.toArray()) collect(child, out)
}

/** Map from `insertion:<id>` or `deletion:<id>` to the text carrying that mark. */
export function suggestionTexts(fragment: Y.XmlFragment): Map<string, string> {
  const out = new Map<string, string>()
  for (const child of fragment.toArray()) collect(child, out)
  return out
}
