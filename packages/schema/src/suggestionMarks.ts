/**
 * Suggestion marks as stored in Yjs: y-prosemirror writes each insertion or deletion mark as a
 * formatting attribute `insertion--<hash>: { id }` on the text it covers. Used by the server's
 * policy (whose suggestion changed) and by the card figures (how many are pending).
 */
import * as Y from 'yjs'
import { markNameOfKey } from './markKeys.ts'
import { MarkName } from './reviewMarks.ts'

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

function collect(node: Y.XmlElement | Y.XmlText | Y.XmlHook, out: Map<string, string>): void {
  if (node instanceof Y.XmlText) {
    for (const op of node.toDelta() as Delta) {
      if (typeof op.insert !== 'string' || !op.attributes) continue
      for (const [key, value] of Object.entries(op.attributes)) {
        const name = markNameOfKey(key)
        if (name !== MarkName.Insertion && name !== MarkName.Deletion) continue
        const id = (value as { id?: unknown } | null)?.id
        if (typeof id !== 'string') continue
        out.set(`${name}:${id}`, (out.get(`${name}:${id}`) ?? '') + op.insert)
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

/** The suggestion id of a `insertion:<id>` / `deletion:<id>` key. */
export function suggestionIdOf(key: string): string {
  return key.slice(key.indexOf(':') + 1)
}
