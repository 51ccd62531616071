import { createAnswerExtensions } from '@kartu/schema'
import { getSchema } from '@tiptap/core'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { isFromYjs, lockTarget, toggleBlockLock, touchesLockedBlock } from './blockLock.ts'

const schema = getSchema(createAnswerExtensions())

function headingType() {
  const type = schema.nodes.heading
  if (!type) throw new Error('no heading in the schema')
  return type
}

/** Three paragraphs, "one" "two" "three"; the second one locked. Positions: 0, 5, 10. */
function state(): EditorState {
  const paragraph = (text: string, locked = false) =>
    schema.node('paragraph', locked ? { locked: true } : null, schema.text(text))
  const doc = schema.node('doc', null, [
    paragraph('one'),
    paragraph('two', true),
    paragraph('three'),
  ])
  return EditorState.create({ schema, doc })
}

describe('touchesLockedBlock', () => {
  it('lets changes outside locked blocks through', () => {
    const s = state()
    expect(touchesLockedBlock(s.tr.insertText('x', 1))).toBe(false)
    expect(touchesLockedBlock(s.tr.insertText('x', 11))).toBe(false)
    expect(touchesLockedBlock(s.tr.delete(1, 3))).toBe(false)
  })

  it('lets a new block be added right before or after a locked block', () => {
    const s = state()
    const block = schema.node('paragraph', null, schema.text('new'))
    expect(touchesLockedBlock(s.tr.insert(5, block))).toBe(false)
    expect(touchesLockedBlock(s.tr.insert(10, block))).toBe(false)
  })

  it('refuses typing inside a locked block, at its start, middle and end', () => {
    const s = state()
    for (const pos of [6, 7, 9]) expect(touchesLockedBlock(s.tr.insertText('x', pos))).toBe(true)
  })

  it('refuses deleting text in it, deleting it, or joining into it', () => {
    const s = state()
    expect(touchesLockedBlock(s.tr.delete(6, 7))).toBe(true)
    expect(touchesLockedBlock(s.tr.delete(5, 10))).toBe(true)
    expect(touchesLockedBlock(s.tr.delete(2, 7))).toBe(true)
    expect(touchesLockedBlock(s.tr.join(10))).toBe(true)
    expect(touchesLockedBlock(s.tr.split(7))).toBe(true)
  })

  it('refuses marks and type changes inside it', () => {
    const s = state()
    expect(touchesLockedBlock(s.tr.addMark(6, 8, schema.mark('bold')))).toBe(true)
    expect(touchesLockedBlock(s.tr.setNodeMarkup(5, headingType(), { level: 2 }))).toBe(true)
  })

  it('lets the lock alone be set or cleared', () => {
    const s = state()
    expect(touchesLockedBlock(s.tr.setNodeAttribute(5, 'locked', null))).toBe(false)
    expect(touchesLockedBlock(s.tr.setNodeAttribute(0, 'locked', true))).toBe(false)
  })

  it('knows the changes that come from Yjs', () => {
    const s = state()
    expect(isFromYjs(s.tr.insertText('x', 6))).toBe(false)
    expect(
      isFromYjs(s.tr.insertText('x', 6).setMeta(ySyncPluginKey, { isChangeOrigin: true })),
    ).toBe(true)
  })
})

describe('toggleBlockLock', () => {
  it('locks and unlocks the top-level block around the selection, and nothing else', () => {
    let s = state()
    s = s.apply(s.tr.setSelection(TextSelection.create(s.doc, 2)))
    expect(lockTarget(s)?.pos).toBe(0)
    const lock = toggleBlockLock(s)
    expect(lock).not.toBeNull()
    if (!lock) return
    expect(touchesLockedBlock(lock)).toBe(false)
    s = s.apply(lock)
    expect(s.doc.child(0).attrs.locked).toBe(true)
    expect(s.doc.child(0).textContent).toBe('one')
    const unlock = toggleBlockLock(s)
    if (!unlock) throw new Error('no target')
    s = s.apply(unlock)
    expect(s.doc.child(0).attrs.locked).toBeNull()
    expect(s.doc.child(1).attrs.locked).toBe(true)
  })
})
