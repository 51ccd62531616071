/**
 * Card documents for the policy's unit tests: a room with one paragraph written by the chair,
 * clients' copies of it under a clientID of their choosing, and the update a change makes.
 */
import { ANSWER_FIELD, AUTHORS_FIELD } from '@kartu/schema'
import * as Y from 'yjs'

/** A room document with one paragraph, written by the chair (client 1, bound in authors). */
export function roomDoc(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
  paragraph.insert(0, [new Y.XmlText('Indonesia melindungi pekerja migran.')])
  doc
    .getMap(AUTHORS_FIELD)
    .set('1', { userId: 'chair', name: 'Ketua', ministryId: 'KEMENKO_POLKAM' })
  return doc
}

/** A client's copy of the room, with its own clientID. */
export function clientOf(room: Y.Doc, clientId: number): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientId
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room))
  return doc
}

/** The text of the answer's first paragraph. */
export function textOf(doc: Y.Doc): Y.XmlText {
  const paragraph = doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  return paragraph.get(0) as Y.XmlText
}

/** Runs `change` on a client copy and returns the update it produced. */
export function updateFrom(doc: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc)
  change(doc)
  return Y.encodeStateAsUpdate(doc, before)
}
