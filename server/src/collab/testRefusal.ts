/**
 * Test only: KARTU_TEST_REFUSE_TEXT makes the server refuse an honest client's typing on demand,
 * so that browser tests can watch what the client does with a refusal. Off unless configured;
 * the room asks it before the policy, which never sees an update refused here.
 *
 * An update is refused when it writes the word into the answer outside suggestions: "as if every
 * suggestion were rejected" gains an occurrence. Typing it letter by letter, the letter that
 * completes it is refused; the same word sent again as a suggestion is taken, as the policy takes
 * a suggestion where direct typing is no longer allowed (a role changed, a card switched to
 * suggestions only).
 */
import { RejectCode } from '@kartu/protocol'
import { ANSWER_FIELD, MarkName, markNameOfKey } from '@kartu/schema'
import * as Y from 'yjs'
import type { IncomingUpdate, RoomListener, UpdateCheck } from './roomListener.ts'

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

/** The room's check: refuses updates that write `word` outside suggestions. */
export function testRefusalCheck(word: string): RoomListener {
  return {
    checkUpdate: ({ doc, update }: IncomingUpdate): UpdateCheck =>
      writesWord(doc, update, word)
        ? {
            ok: false,
            code: RejectCode.TestRefusal,
            message: 'refused by the test setting KARTU_TEST_REFUSE_TEXT',
          }
        : { ok: true },
  }
}

/** Whether applying `update` to `doc` adds an occurrence of `word` to the answer's base text. */
export function writesWord(doc: Y.Doc, update: Uint8Array, word: string): boolean {
  // On a copy: the room's document must not see an update before it is judged.
  const probe = new Y.Doc()
  try {
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc))
    const before = occurrences(baseText(probe), word)
    Y.applyUpdate(probe, update)
    return occurrences(baseText(probe), word) > before
  } catch {
    // Not this check's business: the room refuses what does not apply.
    return false
  } finally {
    probe.destroy()
  }
}

/** The answer's text outside insertion suggestions, one line per text node. */
function baseText(doc: Y.Doc): string {
  const lines: string[] = []
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook | Y.XmlFragment): void => {
    if (node instanceof Y.XmlText) {
      let line = ''
      for (const op of node.toDelta() as Delta) {
        const inserted = Object.keys(op.attributes ?? {}).some(
          (key) => markNameOfKey(key) === MarkName.Insertion,
        )
        if (!inserted && typeof op.insert === 'string') line += op.insert
      }
      lines.push(line)
      return
    }
    if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) {
      for (const child of node.toArray()) visit(child)
    }
  }
  visit(doc.getXmlFragment(ANSWER_FIELD))
  return lines.join('\n')
}

function occurrences(text: string, word: string): number {
  let count = 0
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) count++
  return count
}
