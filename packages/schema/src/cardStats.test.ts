import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANSWER_FIELD, SUGGESTIONS_FIELD, THREADS_FIELD, ThreadField } from './cardLayout.ts'
import { cardStats } from './cardStats.ts'
import { answerMarkFormat } from './markKeys.ts'

function card(): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  doc.getXmlFragment(ANSWER_FIELD).insert(0, [paragraph])
  const text = new Y.XmlText('Satu dua tiga empat.')
  paragraph.insert(0, [text])
  return { doc, text }
}

function thread(doc: Y.Doc, id: string, resolved: boolean, mentions: string[]): void {
  const map = new Y.Map<unknown>()
  doc.getMap(THREADS_FIELD).set(id, map)
  map.set('resolved', resolved)
  const list = new Y.Array<string>()
  list.push(mentions)
  map.set('mentions', list)
}

describe('cardStats', () => {
  it('counts words, marked suggestions, unresolved threads and their mentions', () => {
    const { doc, text } = card()
    text.insert(0, 'Usulan ', answerMarkFormat('insertion', { id: 's1' }))
    text.format(7, 4, answerMarkFormat('deletion', { id: 's2' }))
    doc.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 0 })
    doc.getMap(SUGGESTIONS_FIELD).set('s2', { kind: 'delete', createdAt: 0 })
    // Metadata left behind by a suggestion whose text an editor deleted: not pending any more.
    doc.getMap(SUGGESTIONS_FIELD).set('gone', { kind: 'insert', createdAt: 0 })
    thread(doc, 't1', false, ['KP2MI', 'KEMLU'])
    thread(doc, 't2', true, ['KEMNAKER'])
    thread(doc, 't3', false, ['KP2MI'])
    expect(cardStats(doc)).toEqual({
      wordCount: 5,
      openSuggestions: 2,
      openThreads: 2,
      mentionedMinistries: ['KEMLU', 'KP2MI'],
    })
  })

  it('counts a suggestion’s open thread like any other, and not once it is resolved', () => {
    const { doc, text } = card()
    text.insert(0, 'Usulan ', answerMarkFormat('insertion', { id: 's1' }))
    doc.getMap(SUGGESTIONS_FIELD).set('s1', { kind: 'insert', createdAt: 0 })
    thread(doc, 't-anchored', false, [])
    thread(doc, 't-on-s1', false, ['KEMNAKER'])
    const onSuggestion = doc.getMap<Y.Map<unknown>>(THREADS_FIELD).get('t-on-s1')
    onSuggestion?.set(ThreadField.SuggestionId, 's1')
    expect(cardStats(doc)).toMatchObject({ openThreads: 2, mentionedMinistries: ['KEMNAKER'] })
    onSuggestion?.set(ThreadField.Resolved, true)
    expect(cardStats(doc)).toMatchObject({ openThreads: 1, mentionedMinistries: [] })
  })

  it('gives zeros for an empty card', () => {
    expect(cardStats(new Y.Doc())).toEqual({
      wordCount: 0,
      openSuggestions: 0,
      openThreads: 0,
      mentionedMinistries: [],
    })
  })
})
