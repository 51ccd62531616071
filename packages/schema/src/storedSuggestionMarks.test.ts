import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getAnswerSchema } from './extensions.ts'
import { answerMarkFormat } from './markKeys.ts'
import { idOfSuggestionKey, suggestionKeyOf, suggestionTexts } from './storedSuggestionMarks.ts'
import { suggestionIdOf } from './suggest/suggestionMarks.ts'

/** The one formatting attribute y-prosemirror writes for a mark: its key and its value. */
function stored(name: string, attrs: Record<string, unknown>): [string, unknown] {
  const [entry] = Object.entries(answerMarkFormat(name, attrs))
  if (!entry) throw new Error(`no attribute for ${name}`)
  return entry
}

const [insertionKey, insertionAttrs] = stored('insertion', { id: 's1' })

describe('suggestion marks as stored in Yjs', () => {
  it('read the same id from a ProseMirror mark and from its stored attributes', () => {
    const mark = getAnswerSchema().marks.insertion?.create({ id: 's1' })
    expect(mark && suggestionIdOf(mark.attrs)).toBe('s1')
    expect(suggestionIdOf(insertionAttrs)).toBe('s1')
    expect(suggestionIdOf({ id: '' })).toBeNull()
    expect(suggestionIdOf(null)).toBeNull()
  })

  it('key a suggestion mark by name and id, and read the id back', () => {
    const key = suggestionKeyOf(insertionKey, insertionAttrs)
    expect(key).toBe('insertion:s1')
    expect(idOfSuggestionKey(key ?? '')).toBe('s1')
    const [commentKey, commentAttrs] = stored('comment', { threadId: 't1' })
    expect(suggestionKeyOf(commentKey, commentAttrs)).toBeNull()
    expect(suggestionKeyOf('bold', true)).toBeNull()
  })

  it('collect the text under each insertion and deletion', () => {
    const doc = new Y.Doc()
    const paragraph = new Y.XmlElement('paragraph')
    doc.getXmlFragment('answer').insert(0, [paragraph])
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    text.insert(0, 'Usulan ', answerMarkFormat('insertion', { id: 's1' }))
    text.insert(7, 'lama', answerMarkFormat('deletion', { id: 's2' }))
    expect([...suggestionTexts(doc.getXmlFragment('answer'))]).toEqual([
      ['insertion:s1', 'Usulan '],
      ['deletion:s2', 'lama'],
    ])
  })
})
