import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getAnswerSchema } from './extensions.ts'
import { markKey, markNameOfKey } from './markKeys.ts'

/** The formatting keys y-tiptap itself writes for a paragraph whose text carries `marks`. */
function keysWrittenByYTiptap(marks: Array<{ type: string; attrs?: Record<string, unknown> }>) {
  const fragment = prosemirrorJSONToYXmlFragment(
    getAnswerSchema(),
    {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kata', marks }] }],
    },
    new Y.Doc().getXmlFragment('answer'),
  )
  const paragraph = fragment.get(0) as Y.XmlElement
  const text = paragraph.get(0) as Y.XmlText
  const delta = text.toDelta() as Array<{ attributes?: Record<string, unknown> }>
  return Object.keys(delta[0]?.attributes ?? {}).sort()
}

describe('mark keys, as y-prosemirror writes them', () => {
  it('match what @tiptap/y-tiptap writes, for self-excluding and overlapping marks alike', () => {
    const schema = getAnswerSchema()
    const marks = [
      schema.marks.bold?.create(),
      schema.marks.italic?.create(),
      schema.marks.insertion?.create({ id: '2f1c4e4e-7d0e-4c7c-9d3a-0e6f3f2b7a10' }),
      schema.marks.deletion?.create({ id: 's1' }),
      schema.marks.comment?.create({ threadId: 't-9' }),
    ].flatMap((mark) => (mark ? [mark] : []))
    expect(marks).toHaveLength(5)
    const ours = marks.map((mark) => markKey(mark)).sort()
    expect(ours).toEqual(keysWrittenByYTiptap(marks.map((mark) => mark.toJSON())))
    expect(ours).toContain('bold')
    expect(ours.filter((key) => key.startsWith('insertion--'))).toHaveLength(1)
  })

  it('give different keys to marks with different attributes', () => {
    const insertion = getAnswerSchema().marks.insertion
    if (!insertion) throw new Error('no insertion mark')
    expect(markKey(insertion.create({ id: 'a' }))).not.toBe(markKey(insertion.create({ id: 'b' })))
  })

  it('read back the mark name', () => {
    expect(markNameOfKey('insertion--AbC+/9x=')).toBe('insertion')
    expect(markNameOfKey('bold')).toBe('bold')
    // Not y-prosemirror's shape (the hash has 8 characters): the whole key is the name.
    expect(markNameOfKey('insertion--s1')).toBe('insertion--s1')
  })
})
