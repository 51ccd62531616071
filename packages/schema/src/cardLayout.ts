/**
 * Where things live inside a card's and a deck's Yjs documents. Client and server both read and
 * write these names; changing one is a data migration.
 */

/** The Y.XmlFragment that Tiptap's Collaboration extension binds to: the card's answer. */
export const ANSWER_FIELD = 'answer'
