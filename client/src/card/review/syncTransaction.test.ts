import { ySyncPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  inReviewTransaction,
  META_ORIGIN,
  REVIEW_ORIGIN,
  withinSyncTransaction,
} from './syncTransaction.ts'

/** Records each update a document emits, with its origin. */
function record(doc: Y.Doc): unknown[] {
  const origins: unknown[] = []
  doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin))
  return origins
}

/** What y-tiptap's sync plugin does during dispatch: write the change in its own transaction. */
function syncPluginWrite(doc: Y.Doc): void {
  doc.transact(() => doc.getText('answer').insert(0, 'x'), ySyncPluginKey)
}

describe('withinSyncTransaction', () => {
  it("writes inside the sync plugin's transaction: one update for the text and the metadata", () => {
    const doc = new Y.Doc()
    const origins = record(doc)
    withinSyncTransaction(
      doc,
      () => syncPluginWrite(doc),
      () => doc.getMap('suggestions').set('s1', { kind: 'insert', createdAt: 1 }),
    )
    expect(origins).toEqual([ySyncPluginKey])
    expect(doc.getMap('suggestions').has('s1')).toBe(true)
  })

  it('writes on its own when the dispatch wrote nothing to Yjs', () => {
    const doc = new Y.Doc()
    const origins = record(doc)
    withinSyncTransaction(
      doc,
      () => {},
      () => doc.getMap('suggestions').set('s1', { kind: 'insert', createdAt: 1 }),
    )
    expect(origins).toEqual([META_ORIGIN])
  })

  it('joins an enclosing transaction', () => {
    const doc = new Y.Doc()
    const origins = record(doc)
    inReviewTransaction(doc, () => {
      withinSyncTransaction(
        doc,
        () => syncPluginWrite(doc),
        () => doc.getMap('suggestions').delete('none'),
      )
      doc.getArray('decisions').push([{ suggestionId: 's' }])
    })
    expect(origins).toEqual([REVIEW_ORIGIN])
  })

  it('keeps a failing write from breaking the transaction', () => {
    const doc = new Y.Doc()
    const origins = record(doc)
    const error = console.error
    console.error = () => {}
    try {
      withinSyncTransaction(
        doc,
        () => syncPluginWrite(doc),
        () => {
          throw new Error('boom')
        },
      )
    } finally {
      console.error = error
    }
    expect(origins).toEqual([ySyncPluginKey])
    expect(doc.getText('answer').toString()).toBe('x')
  })
})
