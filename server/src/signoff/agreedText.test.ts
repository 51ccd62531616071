import { ANSWER_FIELD, answerMarkFormat, SUGGESTIONS_FIELD } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { AgreedText } from './agreedText.ts'

function answerDoc(text: string): { doc: Y.Doc; first: Y.XmlText } {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
  const first = new Y.XmlText()
  paragraph.insert(0, [first])
  first.insert(0, text)
  return { doc, first }
}

describe('the agreed text a clearance is bound to', () => {
  const agreed = new AgreedText()

  it('does not change with a pending suggestion, nor when it is rejected', () => {
    const { doc, first } = answerDoc('Jawaban yang disetujui.')
    const before = agreed.hashOf(doc)
    doc.transact(() => {
      first.insert(0, 'Usulan. ', answerMarkFormat('insertion', { id: 's1' }))
      doc.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 1 })
    })
    expect(agreed.hashOf(doc)).toBe(before)
    doc.transact(() => {
      first.delete(0, 'Usulan. '.length)
      doc.getMap(SUGGESTIONS_FIELD).delete('s1')
    })
    expect(agreed.hashOf(doc)).toBe(before)
  })

  it('changes with an edit and with an accepted suggestion', () => {
    const { doc, first } = answerDoc('Jawaban yang disetujui.')
    const before = agreed.hashOf(doc)
    doc.transact(() => {
      first.insert(0, 'Usulan. ', answerMarkFormat('insertion', { id: 's1' }))
    })
    const key = Object.keys(answerMarkFormat('insertion', { id: 's1' }))[0] as string
    first.format(0, 'Usulan. '.length, { [key]: null })
    const accepted = agreed.hashOf(doc)
    expect(accepted).not.toBe(before)
    first.insert(first.length, ' Lagi.')
    expect(agreed.hashOf(doc)).not.toBe(accepted)
  })
})
