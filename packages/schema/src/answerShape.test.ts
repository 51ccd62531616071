import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { answerProblems, blockProblem } from './answerShape.ts'
import { getAnswerSchema } from './extensions.ts'
import { markKey } from './markKeys.ts'

const schema = getAnswerSchema()

/** A one-block answer built by `build` in a fresh document; returns the block's problem. */
function problemOf(build: (fragment: Y.XmlFragment) => void): string | null {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('answer')
  build(fragment)
  return blockProblem(schema, fragment.get(0))
}

function paragraph(fragment: Y.XmlFragment, text = 'Pelindungan pekerja migran'): Y.XmlText {
  const element = new Y.XmlElement('paragraph')
  fragment.insert(0, [element])
  const content = new Y.XmlText()
  element.insert(0, [content])
  content.insert(0, text)
  return content
}

const insertionKey = (id: string) => {
  const type = schema.marks.insertion
  if (!type) throw new Error('no insertion mark')
  return markKey(type.create({ id }))
}

/** Each attack beside a legal twin: the twin passing shows the refusal is the guard's doing. */
const cases: Array<{
  name: string
  legal: (f: Y.XmlFragment) => void
  attack: (f: Y.XmlFragment) => void
  reason: RegExp
}> = [
  {
    name: 'an unknown element (iframe)',
    legal: (f) => paragraph(f),
    attack: (f) => f.insert(0, [new Y.XmlElement('iframe')]),
    reason: /unknown element "iframe"/,
  },
  {
    name: 'an event handler attribute on a paragraph',
    legal: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).setAttribute('locked', true as unknown as string)
    },
    attack: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).setAttribute('onclick', 'alert(1)')
    },
    reason: /unknown attribute "onclick" on paragraph/,
  },
  {
    name: 'a style attribute on a paragraph',
    legal: (f) => paragraph(f),
    attack: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).setAttribute('style', 'display:none')
    },
    reason: /unknown attribute "style"/,
  },
  {
    name: 'a link mark with a javascript: href',
    legal: (f) => paragraph(f).format(0, 5, { bold: {} }),
    attack: (f) => paragraph(f).format(0, 5, { link: { href: 'javascript:alert(1)' } }),
    reason: /unknown mark "link"/,
  },
  {
    name: 'a heading level with markup in it',
    legal: (f) => {
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', 2 as unknown as string)
      f.insert(0, [heading])
    },
    attack: (f) => {
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', '2 onmouseover=alert(1)')
      f.insert(0, [heading])
    },
    reason: /heading level/,
  },
  {
    name: 'a heading level the answer does not use (1)',
    legal: (f) => {
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', 3 as unknown as string)
      f.insert(0, [heading])
    },
    attack: (f) => {
      const heading = new Y.XmlElement('heading')
      heading.setAttribute('level', 1 as unknown as string)
      f.insert(0, [heading])
    },
    reason: /heading level/,
  },
  {
    name: 'bare text directly in the answer',
    legal: (f) => paragraph(f, 'teks'),
    attack: (f) => {
      const text = new Y.XmlText()
      f.insert(0, [text])
      text.insert(0, 'teks lepas')
    },
    reason: /text directly in the answer/,
  },
  {
    name: 'a paragraph inside a paragraph',
    legal: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).insert(1, [new Y.XmlElement('hardBreak')])
    },
    attack: (f) => {
      paragraph(f)
      const inner = new Y.XmlElement('paragraph')
      ;(f.get(0) as Y.XmlElement).insert(1, [inner])
    },
    reason: /Invalid content for node paragraph/,
  },
  {
    name: 'an unknown mark inside one’s own suggestion',
    legal: (f) => paragraph(f).insert(0, 'usul ', { [insertionKey('s1')]: { id: 's1' } }),
    attack: (f) =>
      paragraph(f).insert(0, 'usul ', {
        [insertionKey('s1')]: { id: 's1' },
        'highlight--AAAAAAAA': { color: 'red' },
      }),
    reason: /unknown mark "highlight"/,
  },
  {
    name: 'an unknown attribute on a suggestion mark',
    legal: (f) => paragraph(f).insert(0, 'usul ', { [insertionKey('s2')]: { id: 's2' } }),
    attack: (f) =>
      paragraph(f).insert(0, 'usul ', { [insertionKey('s2')]: { id: 's2', onclick: 'x' } }),
    reason: /unknown attribute "onclick" on mark insertion/,
  },
  {
    name: 'a suggestion mark without a valid id',
    legal: (f) => paragraph(f).insert(0, 'usul ', { [insertionKey('s3')]: { id: 's3' } }),
    attack: (f) => paragraph(f).insert(0, 'usul ', { 'insertion--AAAAAAAA': { id: '<b>' } }),
    reason: /an id may not be "<b>"/,
  },
  {
    name: 'a mark under a key y-prosemirror would not write',
    legal: (f) => paragraph(f).insert(0, 'usul ', { [insertionKey('s4')]: { id: 's4' } }),
    // A hash that is not the mark's: the next editor to touch the text would rewrite the key.
    attack: (f) => paragraph(f).insert(0, 'usul ', { 'insertion--AAAAAAAA': { id: 's4' } }),
    reason: /not as y-prosemirror writes it/,
  },
  {
    name: 'a lock that is not true',
    legal: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).setAttribute('locked', true as unknown as string)
    },
    attack: (f) => {
      paragraph(f)
      ;(f.get(0) as Y.XmlElement).setAttribute('locked', 'yes')
    },
    reason: /a lock may not be "yes"/,
  },
  {
    name: 'text directly in a list',
    legal: (f) => {
      const list = new Y.XmlElement('bulletList')
      const item = new Y.XmlElement('listItem')
      const p = new Y.XmlElement('paragraph')
      f.insert(0, [list])
      list.insert(0, [item])
      item.insert(0, [p])
    },
    attack: (f) => {
      const list = new Y.XmlElement('bulletList')
      f.insert(0, [list])
      const text = new Y.XmlText()
      list.insert(0, [text])
      text.insert(0, 'butir')
    },
    reason: /Invalid content for node bulletList/,
  },
  {
    name: 'an embedded object inside text',
    legal: (f) => paragraph(f),
    attack: (f) => paragraph(f).insertEmbed(0, { image: 'x' }),
    reason: /inside text/,
  },
  {
    name: 'attributes on a text run',
    legal: (f) => paragraph(f),
    attack: (f) => paragraph(f).setAttribute('onclick', 'x'),
    reason: /attributes on a text run/,
  },
  {
    name: 'a whole document nested in the answer',
    legal: (f) => paragraph(f),
    attack: (f) => f.insert(0, [new Y.XmlElement('doc')]),
    reason: /unknown element "doc"/,
  },
]

describe('the answer’s schema, read strictly from Yjs', () => {
  for (const { name, legal, attack, reason } of cases) {
    it(`refuses ${name}, and accepts its legal twin`, () => {
      expect(problemOf(legal)).toBeNull()
      expect(problemOf(attack)).toMatch(reason)
    })
  }

  it('accepts everything the editor writes (y-tiptap from a full answer)', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('answer')
    prosemirrorJSONToYXmlFragment(
      schema,
      {
        type: 'doc',
        content: [
          {
            type: 'heading',
            attrs: { level: 2 },
            content: [{ type: 'text', text: 'Pesan kunci' }],
          },
          {
            type: 'orderedList',
            attrs: { start: 3, type: 'a' },
            content: [
              {
                type: 'listItem',
                content: [
                  {
                    type: 'paragraph',
                    content: [
                      { type: 'text', text: 'Satu ', marks: [{ type: 'bold' }] },
                      { type: 'hardBreak' },
                      {
                        type: 'text',
                        text: 'dua',
                        marks: [
                          { type: 'italic' },
                          { type: 'insertion', attrs: { id: 's1' } },
                          { type: 'comment', attrs: { threadId: 't1' } },
                        ],
                      },
                    ],
                  },
                  {
                    type: 'bulletList',
                    content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
                  },
                ],
              },
            ],
          },
          {
            type: 'paragraph',
            attrs: { locked: true },
            content: [
              { type: 'text', text: 'hapus', marks: [{ type: 'deletion', attrs: { id: 's2' } }] },
            ],
          },
        ],
      },
      fragment,
    )
    expect(answerProblems(schema, fragment)).toEqual([])
  })

  it('lists every problem of a whole answer, block by block', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('answer')
    paragraph(fragment, 'baik')
    fragment.insert(1, [new Y.XmlElement('iframe')])
    const loose = new Y.XmlText()
    fragment.insert(2, [loose])
    loose.insert(0, 'lepas')
    const problems = answerProblems(schema, fragment)
    expect(problems.filter((p) => p.startsWith('block 2'))).not.toEqual([])
    expect(problems.filter((p) => p.startsWith('block 3'))).not.toEqual([])
    expect(problems.some((p) => p.startsWith('block 1'))).toBe(false)
  })
})
