/**
 * The server's half of keeping suggestions whole when two people change the same words at the
 * same moment (@kartu/schema concurrentMarks.ts says what is repaired and why). After each
 * client update it applies, the room asks this module to repair the paragraphs the update
 * touched; the repair is the server's own change, so every replica receives the same one and
 * none of them corrects another.
 *
 * What the repair needs to know that the document alone does not: which Yjs clients belong to
 * the same person (the authors map): one's own mark on one's own letters is never a race.
 */
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  isSuggestionKey,
  repairConcurrentMarks,
} from '@kartu/schema'
import * as Y from 'yjs'

export class SuggestionRepair {
  /** Texts of the answer changed by the update being applied (see `touched`). */
  private readonly touchedTexts = new Set<Y.XmlText>()
  /**
   * Whether a text ever held a suggestion's mark: the repair walks a whole paragraph, and most
   * updates (plain typing in a paragraph no one suggested anything in) need no walk at all.
   */
  private readonly suggested = new WeakMap<Y.XmlText, boolean>()

  constructor(private readonly doc: Y.Doc) {}

  /** Collects the answer's texts a transaction changed (registered on the doc by the room). */
  readonly touched = (transaction: Y.Transaction): void => {
    for (const type of transaction.changed.keys()) {
      if (type instanceof Y.XmlText) this.touchedTexts.add(type)
    }
    // The suggestion marks this transaction brought: only its own new items are looked at.
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0
      if (after <= before) continue
      const structs = transaction.doc.store.clients.get(client) ?? []
      for (let index = Y.findIndexSS(structs, before); index < structs.length; index++) {
        const struct = structs[index]
        if (!struct || struct.id.clock >= after) break
        if (
          struct instanceof Y.Item &&
          struct.content instanceof Y.ContentFormat &&
          struct.parent instanceof Y.XmlText &&
          isSuggestionKey(struct.content.key)
        ) {
          this.suggested.set(struct.parent, true)
        }
      }
    }
  }

  /** Whether `text` holds (or held) a suggestion's mark; found once by a walk, then kept. */
  private isSuggested(text: Y.XmlText): boolean {
    let known = this.suggested.get(text)
    if (known === undefined) {
      known = false
      for (let item = text._start; item !== null && !known; item = item.right) {
        known = item.content instanceof Y.ContentFormat && isSuggestionKey(item.content.key)
      }
      this.suggested.set(text, known)
    }
    return known
  }

  /**
   * Repairs the texts touched since the last call, in a transaction of `origin` (the server's).
   * Returns whether anything changed.
   */
  repair(origin: unknown): boolean {
    if (this.touchedTexts.size === 0) return false
    const texts = [...this.touchedTexts].filter(
      (text) => text.doc === this.doc && !text._item?.deleted && this.isSuggested(text),
    )
    this.touchedTexts.clear()
    if (texts.length === 0) return false
    let changed = false
    const authors = this.doc.getMap<Author>(AUTHORS_FIELD)
    const userOf = (client: number) => authors.get(String(client))?.userId
    this.doc.transact(() => {
      changed = repairConcurrentMarks(this.doc.getXmlFragment(ANSWER_FIELD), {
        texts,
        samePerson: (a, b) => a === b || (userOf(a) !== undefined && userOf(a) === userOf(b)),
      })
    }, origin)
    return changed
  }
}
