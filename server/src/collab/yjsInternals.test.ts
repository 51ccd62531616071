/**
 * A canary for the Yjs, y-websocket and y-tiptap internals Kartu reads or writes (listed in
 * docs/architecture.md, "Internals we rely on"). These packages are pinned to exact versions;
 * when one is upgraded and an internal changes shape, this file fails and names it, rather than
 * the policy, the author lookups or the reconnect backoff going quietly wrong.
 */

import { Schema } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { ySyncPlugin, ySyncPluginKey } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/** Fails with the internal's name, so that the test output says what to look at. */
function expectInternal(name: string, ok: boolean): void {
  if (!ok) throw new Error(`internal changed shape: ${name}`)
}

describe('Yjs internals', () => {
  const doc = new Y.Doc()
  const map = doc.getMap<string>('meta')
  const array = doc.getArray<string>('log')
  const fragment = doc.getXmlFragment('answer')
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  doc.transact(() => {
    map.set('s1', 'a')
    array.push(['x', 'y'])
    fragment.insert(0, [paragraph])
    paragraph.insert(0, [text])
    text.insert(0, 'kata', { 'insertion--AAAAAAAA': { id: 's1' } })
  })

  it('YMap._map: key → the latest Item, with id.client and id.clock', () => {
    const item: unknown = map._map.get('s1')
    expectInternal('YMap._map', item instanceof Y.Item)
    const id = (item as Y.Item).id
    expectInternal('Item.id.client', id.client === doc.clientID)
    expectInternal('Item.id.clock', typeof id.clock === 'number')
  })

  it('AbstractType._start and Item.right, .deleted, .content: a type walked item by item', () => {
    const values: unknown[] = []
    expectInternal('YArray._start', array._start instanceof Y.Item)
    for (let item = array._start; item !== null; item = item.right) {
      expectInternal('Item.deleted', typeof item.deleted === 'boolean')
      values.push(...item.content.getContent())
    }
    expect(values).toEqual(['x', 'y'])
    const kinds: string[] = []
    for (let item = text._start; item !== null; item = item.right) {
      if (item.content instanceof Y.ContentFormat) {
        expectInternal('ContentFormat.key', typeof item.content.key === 'string')
        // The mark's attributes where it starts, null where it ends.
        const value = item.content.value as { id?: unknown } | null
        kinds.push(`format ${item.content.key} ${value === null ? 'end' : String(value.id)}`)
      } else if (item.content instanceof Y.ContentString) {
        expectInternal('ContentString.str', item.content.str === 'kata')
        kinds.push('string')
      }
    }
    expectInternal(
      'ContentFormat.value',
      kinds.join() === 'format insertion--AAAAAAAA s1,string,format insertion--AAAAAAAA end',
    )
  })

  it('AbstractType._item with .parent and .parentSub: a nested type reaches its root', () => {
    expectInternal('AbstractType._item', text._item instanceof Y.Item)
    expectInternal('Item.parent', (text._item?.parent as unknown) === paragraph)
    expectInternal('Item.parent (root)', (paragraph._item?.parent as unknown) === fragment)
    expectInternal('root type ._item is null', fragment._item === null)
    const nested = new Y.Map<unknown>()
    const threads = doc.getMap<unknown>('threads')
    threads.set('t1', nested)
    expectInternal('Item.parentSub', nested._item?.parentSub === 't1')
  })

  it('Doc.share: root name → root type', () => {
    expectInternal(
      'Doc.share',
      doc.share instanceof Map && (doc.share.get('answer') as unknown) === fragment,
    )
  })

  it('Doc.store.clients, findIndexSS: the structs of a client, by clock', () => {
    const structs = doc.store.clients.get(doc.clientID)
    expectInternal('StructStore.clients', Array.isArray(structs) && structs.length > 0)
    expectInternal(
      'Y.findIndexSS',
      typeof Y.findIndexSS === 'function' && Y.findIndexSS(structs ?? [], 0) === 0,
    )
  })

  it('Doc.store.pendingStructs and pendingDs: null when nothing waits, set by an update with missing dependencies, and clearable', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const updates: Uint8Array[] = []
    a.on('update', (update: Uint8Array) => updates.push(update))
    a.getText('t').insert(0, 'one')
    a.getText('t').insert(3, ' two')
    expectInternal('StructStore.pendingStructs (null)', b.store.pendingStructs === null)
    expectInternal('StructStore.pendingDs (null)', b.store.pendingDs === null)
    Y.applyUpdate(b, updates[1] as Uint8Array)
    expectInternal('StructStore.pendingStructs (set)', b.store.pendingStructs !== null)
    b.store.pendingStructs = null
    b.store.pendingDs = null
    Y.applyUpdate(b, updates[0] as Uint8Array)
    expect(b.getText('t').toString()).toBe('one')
  })

  it('Transaction.changed, beforeState, afterState', () => {
    let seen = false
    doc.once('afterTransaction', (tr: Y.Transaction) => {
      expectInternal(
        'Transaction.changed',
        tr.changed instanceof Map &&
          [...tr.changed.keys()].some((type) => (type as unknown) === map),
      )
      expectInternal('Transaction.beforeState', tr.beforeState instanceof Map)
      expectInternal('Transaction.afterState', tr.afterState instanceof Map)
      seen = true
    })
    map.set('s2', 'b')
    expect(seen).toBe(true)
  })
})

describe('y-tiptap internals', () => {
  it('ySyncPluginKey state: { type, doc, binding: { mapping } }', () => {
    const schema = new Schema({
      nodes: { doc: { content: 'paragraph+' }, paragraph: { content: 'text*' }, text: {} },
    })
    const fragment = new Y.Doc().getXmlFragment('answer')
    const state = EditorState.create({ schema, plugins: [ySyncPlugin(fragment)] })
    const sync: unknown = ySyncPluginKey.getState(state)
    const value = sync as { type?: unknown; doc?: unknown; binding?: { mapping?: unknown } }
    expectInternal('ySyncPluginKey state.type', value.type === fragment)
    expectInternal('ySyncPluginKey state.doc', value.doc === fragment.doc)
    expectInternal('ySyncPluginKey state.binding.mapping', value.binding?.mapping instanceof Map)
  })

  it('ProseMirror Transaction.meta: the meta object read without a plugin key', () => {
    const schema = new Schema({
      nodes: { doc: { content: 'text*' }, text: {} },
    })
    const tr = EditorState.create({ schema }).tr.setMeta('kartu', 1)
    const meta = (tr as unknown as { meta?: unknown }).meta
    expectInternal('Transaction.meta', typeof meta === 'object' && meta !== null && 'kartu' in meta)
  })
})

describe('y-websocket internals', () => {
  /** A socket that never opens: the provider's own state is what is looked at. */
  class FakeSocket {
    static made: FakeSocket[] = []
    binaryType = ''
    onclose: ((event: { code: number; reason: string }) => void) | null = null
    onopen: (() => void) | null = null
    onmessage: (() => void) | null = null
    onerror: (() => void) | null = null
    constructor() {
      FakeSocket.made.push(this)
    }
    send(): void {}
    close(): void {}
  }

  afterEach(() => {
    vi.useRealTimers()
    FakeSocket.made = []
  })

  const open = () =>
    new WebsocketProvider('ws://kartu.invalid', 'card', new Y.Doc(), {
      WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
    })

  it('messageHandlers, wsconnected, shouldConnect, maxBackoffTime, wsUnsuccessfulReconnects', () => {
    const provider = open()
    try {
      expectInternal(
        'WebsocketProvider.messageHandlers',
        Array.isArray(provider.messageHandlers) &&
          typeof provider.messageHandlers[0] === 'function',
      )
      expectInternal('WebsocketProvider.wsconnected', provider.wsconnected === false)
      expectInternal('WebsocketProvider.shouldConnect', provider.shouldConnect === true)
      expectInternal(
        'WebsocketProvider.maxBackoffTime',
        typeof provider.maxBackoffTime === 'number',
      )
      expectInternal(
        'WebsocketProvider.wsUnsuccessfulReconnects',
        provider.wsUnsuccessfulReconnects === 0,
      )
    } finally {
      provider.destroy()
    }
  })

  it("the retry delay is min(2^wsUnsuccessfulReconnects × 100, maxBackoffTime), read after 'connection-close'", () => {
    vi.useFakeTimers()
    const provider = open()
    try {
      // What reconnectBackoff.ts does on 'connection-close'.
      provider.on('connection-close', () => {
        provider.maxBackoffTime = 1234
        provider.wsUnsuccessfulReconnects = 40
      })
      expect(FakeSocket.made).toHaveLength(1)
      FakeSocket.made[0]?.onclose?.({ code: 1006, reason: '' })
      vi.advanceTimersByTime(1233)
      expectInternal('retry delay from maxBackoffTime (too early)', FakeSocket.made.length === 1)
      vi.advanceTimersByTime(1)
      expectInternal('retry delay from maxBackoffTime', FakeSocket.made.length === 2)
    } finally {
      provider.destroy()
    }
  })

  it('a close code from 4400 to 4499 stops the retries (shouldReconnect)', () => {
    vi.useFakeTimers()
    const provider = open()
    try {
      FakeSocket.made[0]?.onclose?.({ code: 4403, reason: 'forbidden' })
      expectInternal('shouldReconnect (4400-4499 is final)', provider.shouldConnect === false)
      vi.advanceTimersByTime(60_000)
      expect(FakeSocket.made).toHaveLength(1)
    } finally {
      provider.destroy()
    }
  })
})
