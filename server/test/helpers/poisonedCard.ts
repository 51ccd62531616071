/**
 * A card whose stored answer holds content the editor's schema cannot read, written straight into
 * storage (before the server starts, as an older build or a broken import would have left it).
 * y-prosemirror deletes what it cannot render and writes that deletion back: a reader's tab then
 * sends a change it may not make.
 */
import { cardDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD } from '@kartu/schema'
import * as Y from 'yjs'
import { openTestStorage } from '../../src/testing/testStore.ts'

/** The text inside the unreadable element: gone from a page once the editor has dropped it. */
export const POISON_TEXT = 'UNREADABLE-ELEMENT'

/** Appends, under a fresh Yjs clientID, an `iframe` element at the top of the card's answer. */
export async function poisonCard(dataDir: string, cardId: string): Promise<void> {
  const storage = await openTestStorage(dataDir)
  try {
    const name = cardDocumentName(cardId)
    const stored = await storage.documents.loadDocument(name)
    // A new Y.Doc draws a random clientID that nobody has written under.
    const doc = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const update of stored.updates) Y.applyUpdate(doc, update)
    const before = Y.encodeStateVector(doc)
    const answer = doc.getXmlFragment(ANSWER_FIELD)
    if (answer.length === 0) throw new Error(`card ${cardId} has no answer to poison`)
    const element = new Y.XmlElement('iframe')
    element.insert(0, [new Y.XmlText(POISON_TEXT)])
    answer.insert(0, [element])
    await storage.documents.appendUpdates(name, [Y.encodeStateAsUpdate(doc, before)])
  } finally {
    await storage.close()
  }
}
