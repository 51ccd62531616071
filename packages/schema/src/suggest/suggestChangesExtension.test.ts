import { Editor } from '@tiptap/core'
import type { Transaction } from '@tiptap/pm/state'
import { afterEach, describe, expect, it } from 'vitest'
import { createAnswerExtensions } from '../extensions.ts'
import { randomId } from './randomId.ts'
import { SUGGESTING_META, SuggestChanges } from './suggestChangesExtension.ts'
import { author, show } from './testing.ts'

let editor: Editor | null = null
afterEach(() => {
  editor?.destroy()
  editor = null
})

/** A headless editor, and the dispatch function that Tiptap composes from extension hooks. */
function setUp() {
  const a = author('a')
  editor = new Editor({
    extensions: [...createAnswerExtensions(), SuggestChanges.configure(a)],
    // JSON, not HTML: parsing HTML needs a DOM.
    content: {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hello world' }] }],
    },
  })
  const dispatched: Transaction[] = []
  const dispatch = editor.extensionManager.dispatchTransaction((tr) => {
    dispatched.push(tr)
  })
  return { editor, dispatch, dispatched }
}

describe('the SuggestChanges extension', () => {
  it('lets transactions through unchanged while suggesting is off', () => {
    const { editor, dispatch, dispatched } = setUp()
    expect(editor.storage.suggestChanges.suggesting).toBe(false)
    const tr = editor.state.tr.insertText('X', 6)
    dispatch(tr)
    expect(dispatched).toEqual([tr])
  })

  it('rewrites them into suggestions once setSuggesting(true) ran', () => {
    const { editor, dispatch, dispatched } = setUp()
    expect(editor.commands.setSuggesting(true)).toBe(true)
    expect(editor.storage.suggestChanges.suggesting).toBe(true)
    dispatch(editor.state.tr.insertText('X', 6))
    const [suggested] = dispatched
    expect(suggested && show(suggested.doc)).toBe('hello<+a1:X> world')
    editor.commands.setSuggesting(false)
    expect(editor.storage.suggestChanges.suggesting).toBe(false)
  })

  it('switches with a transaction of its own, for the UI', () => {
    const { editor } = setUp()
    let seen: unknown
    editor.on('transaction', ({ transaction }) => {
      seen = transaction.getMeta(SUGGESTING_META)
    })
    editor.commands.setSuggesting(true)
    expect(seen).toBe(true)
  })
})

describe('randomId', () => {
  it('gives version 4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 50 }, randomId))
    expect(ids.size).toBe(50)
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
  })
})
