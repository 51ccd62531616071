import { AUTHORS_FIELD, type Author } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  authorOf,
  clientOfMapEntry,
  clientOfType,
  clientsOfArray,
  isAuthor,
  isOwnClient,
} from './authors.ts'

const ana: Author = { userId: 'u-ana', name: 'Ana', ministryId: 'KEMLU' }
const budi: Author = { userId: 'u-budi', name: 'Budi', ministryId: 'KP2MI' }

/** Two clients that exchange every update, as through the server. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'))
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a, update, 'remote')
  })
  return [a, b]
}

/** What the server does: records who owns a clientID (written here as if by the server). */
function record(doc: Y.Doc, clientId: number, author: Author): void {
  doc.getMap(AUTHORS_FIELD).set(String(clientId), author)
}

describe('authorOf', () => {
  it('reads the server record of a clientID', () => {
    const doc = new Y.Doc()
    record(doc, 42, budi)
    expect(authorOf(doc, 42)).toEqual(budi)
    expect(authorOf(doc, 43)).toBeNull()
    expect(authorOf(doc, null)).toBeNull()
  })

  it('shows our own clientID as us until the server record arrives, then the record', () => {
    const doc = new Y.Doc()
    expect(authorOf(doc, doc.clientID, ana)).toEqual(ana)
    expect(authorOf(doc, doc.clientID + 1, ana)).toBeNull()
    record(doc, doc.clientID, { ...ana, name: 'Ana (server)' })
    expect(authorOf(doc, doc.clientID, ana)?.name).toBe('Ana (server)')
  })

  it('ignores malformed records', () => {
    const doc = new Y.Doc()
    doc.getMap(AUTHORS_FIELD).set('7', { userId: 'x', name: 3 })
    expect(authorOf(doc, 7)).toBeNull()
    expect(isAuthor({ userId: 'x', name: 'y', ministryId: 'z' })).toBe(true)
    expect(isAuthor(null)).toBe(false)
  })
})

describe('isOwnClient', () => {
  it('is our current clientID, or one the server gave to our user', () => {
    const doc = new Y.Doc()
    expect(isOwnClient(doc, doc.clientID, ana.userId)).toBe(true)
    record(doc, 1234, ana)
    record(doc, 5678, budi)
    expect(isOwnClient(doc, 1234, ana.userId)).toBe(true)
    expect(isOwnClient(doc, 5678, ana.userId)).toBe(false)
    expect(isOwnClient(doc, null, ana.userId)).toBe(false)
  })

  it('trusts the server over our own clientID', () => {
    const doc = new Y.Doc()
    record(doc, doc.clientID, budi)
    expect(isOwnClient(doc, doc.clientID, ana.userId)).toBe(false)
  })
})

describe('item clients', () => {
  it('finds who wrote a map entry, never a field they wrote', () => {
    const [a, b] = pair()
    a.getMap('suggestions').set('s1', { kind: 'insert', createdAt: 1, author: 'forged' })
    b.getMap('suggestions').set('s2', { kind: 'delete', createdAt: 2 })
    const map = b.getMap<unknown>('suggestions')
    expect(clientOfMapEntry(map, 's1')).toBe(a.clientID)
    expect(clientOfMapEntry(map, 's2')).toBe(b.clientID)
    expect(clientOfMapEntry(map, 'none')).toBeNull()
    map.delete('s1')
    expect(clientOfMapEntry(map, 's1')).toBeNull()
  })

  it('finds who inserted a nested type', () => {
    const [a, b] = pair()
    const comments = a.getArray<Y.Map<unknown>>('comments')
    comments.push([new Y.Map()])
    b.getArray<Y.Map<unknown>>('comments').push([new Y.Map()])
    const [first, second] = b.getArray<Y.Map<unknown>>('comments').toArray()
    expect(first && clientOfType(first)).toBe(a.clientID)
    expect(second && clientOfType(second)).toBe(b.clientID)
  })

  it('gives each array element the client of its item, through merged and deleted items', () => {
    const [a, b] = pair()
    a.getArray('log').push(['a1', 'a2'])
    b.getArray('log').push(['b1'])
    a.getArray('log').push(['a3'])
    b.getArray('log').delete(1, 1)
    const log = b.getArray<unknown>('log')
    expect(log.toArray()).toEqual(['a1', 'b1', 'a3'])
    expect(clientsOfArray(log)).toEqual([a.clientID, b.clientID, a.clientID])
  })
})
