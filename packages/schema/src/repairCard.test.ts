import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANSWER_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD } from './cardLayout.ts'
import { cardProblems } from './cardShape.ts'
import { getAnswerSchema } from './extensions.ts'
import { answerMarkFormat } from './markKeys.ts'
import { repairCard, textOfAnswer } from './repairCard.ts'

const schema = getAnswerSchema()

/** A card whose answer an attacker (client 666) filled with everything a card cannot hold. */
function poisonedCard(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  const answer = doc.getXmlFragment(ANSWER_FIELD)
  const good = new Y.XmlElement('paragraph')
  answer.insert(0, [good])
  const goodText = new Y.XmlText()
  good.insert(0, [goodText])
  goodText.insert(0, 'Indonesia melindungi pekerja migran. ', { bold: {} })
  goodText.insert(goodText.length, 'Usulan', answerMarkFormat('insertion', { id: 's1' }))
  doc.clientID = 666
  good.setAttribute('onclick', 'alert(1)')
  good.setAttribute('style', 'display:none')
  goodText.format(0, 9, { link: { href: 'javascript:alert(1)' } })
  goodText.format(10, 5, { 'insertion--AAAAAAAA': { id: 's2' } })
  const heading = new Y.XmlElement('heading')
  heading.setAttribute('level', '2 onmouseover=alert(1)')
  answer.insert(1, [heading])
  heading.insert(0, [new Y.XmlText('Judul')])
  const loose = new Y.XmlText()
  answer.insert(2, [loose])
  loose.insert(0, 'Teks lepas.')
  const outer = new Y.XmlElement('paragraph')
  answer.insert(3, [outer])
  const before = new Y.XmlText()
  const inner = new Y.XmlElement('paragraph')
  const after = new Y.XmlText()
  outer.insert(0, [before, inner, after])
  before.insert(0, 'Awal ')
  inner.insert(0, [new Y.XmlText('tengah')])
  after.insert(0, ' akhir')
  const frame = new Y.XmlElement('iframe')
  answer.insert(4, [frame])
  frame.insert(0, [new Y.XmlText('dalam iframe')])
  answer.insert(5, [new Y.XmlElement('iframe')])
  doc.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 1, html: '<b>' })
  const thread = new Y.Map<unknown>()
  doc.getMap(THREADS_FIELD).set('t1', thread)
  thread.set('quote', 'pekerja')
  thread.set('onclick', 'x')
  return doc
}

describe('repairing a card stored before the guard', () => {
  it('keeps every character of text and leaves a card without problems', () => {
    const doc = poisonedCard()
    expect(cardProblems(schema, doc).length).toBeGreaterThan(5)
    const textBefore = textOfAnswer(doc.getXmlFragment(ANSWER_FIELD))
    let problems: string[] = []
    doc.transact(() => {
      problems = repairCard(schema, doc)
    })
    expect(cardProblems(schema, doc)).toEqual([])
    expect(textOfAnswer(doc.getXmlFragment(ANSWER_FIELD))).toBe(textBefore)
    expect(problems.length).toBeGreaterThan(5)
    // And a second pass finds nothing more to do.
    expect(repairCard(schema, doc)).toEqual([])
  })

  it('fixes attributes and marks in place, so the letters keep who wrote them', () => {
    const doc = poisonedCard()
    const first = doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
    const text = first.get(0) as Y.XmlText
    const startItem = text._start
    doc.transact(() => repairCard(schema, doc))
    expect(doc.getXmlFragment(ANSWER_FIELD).get(0)).toBe(first)
    expect(first.getAttributes()).toEqual({})
    // The first letters are still the chair's (client 1), not rewritten by the repair.
    let item = text._start
    while (item?.deleted) item = item.right
    expect(item?.id.client).toBe(1)
    expect(startItem).not.toBeNull()
    const keys = new Set(
      (text.toDelta() as Array<{ attributes?: Record<string, unknown> }>).flatMap((op) =>
        Object.keys(op.attributes ?? {}),
      ),
    )
    expect(keys.has('link')).toBe(false)
    expect(keys.has('insertion--AAAAAAAA')).toBe(false)
    expect(keys.has(Object.keys(answerMarkFormat('insertion', { id: 's2' }))[0] as string)).toBe(
      true,
    )
  })

  it('wraps loose text, flattens nesting, drops empty unknown elements', () => {
    const doc = poisonedCard()
    doc.transact(() => repairCard(schema, doc))
    const xml = doc.getXmlFragment(ANSWER_FIELD).toString()
    expect(xml).not.toContain('<iframe')
    expect(xml).toContain('<paragraph>Teks lepas.</paragraph>')
    expect(xml).toContain(
      '<paragraph>Awal </paragraph><paragraph>tengah</paragraph><paragraph> akhir</paragraph>',
    )
    expect(xml).toContain('<paragraph>dalam iframe</paragraph>')
    expect(xml).toContain('<heading>Judul</heading>')
  })
})
