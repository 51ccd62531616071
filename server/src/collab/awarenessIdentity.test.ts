import type { PresenceUser } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  type AwarenessEntry,
  readAwarenessEntries,
  withIdentity,
  writeAwarenessEntries,
} from './awarenessIdentity.ts'

const SERVER_USER: PresenceUser = {
  id: 'user-kp2mi',
  name: 'Ayu',
  ministryId: 'KP2MI',
  ministry: 'KP2MI',
  color: '#b91c1c',
}

describe('withIdentity', () => {
  it('overwrites a forged user and keeps the other fields', () => {
    const forged = JSON.stringify({
      user: { id: 'user-chair', name: 'The Chair', color: '#000' },
      cardId: 'card-7',
      cursor: { anchor: 3, head: 5 },
    })
    expect(JSON.parse(withIdentity(forged, SERVER_USER) ?? '')).toEqual({
      user: SERVER_USER,
      cardId: 'card-7',
      cursor: { anchor: 3, head: 5 },
    })
  })

  it('adds the user to a state that had none', () => {
    expect(JSON.parse(withIdentity('{}', SERVER_USER) ?? '')).toEqual({ user: SERVER_USER })
  })

  it("returns 'null' for a null state (the client went away)", () => {
    expect(withIdentity('null', SERVER_USER)).toBe('null')
  })

  it.each(['42', '"me"', 'true', '[{"user":1}]', 'not json', ''])(
    'refuses the non-object state %j',
    (state) => {
      expect(withIdentity(state, SERVER_USER)).toBeUndefined()
    },
  )
})

describe('readAwarenessEntries and writeAwarenessEntries', () => {
  it('round-trip entries, including large ids and non-ASCII states', () => {
    const entries: AwarenessEntry[] = [
      { clientId: 0, clock: 0, state: 'null' },
      { clientId: 2 ** 32 - 1, clock: 300, state: JSON.stringify({ name: 'Dewi — Kemlu ✓' }) },
    ]
    expect(readAwarenessEntries(writeAwarenessEntries(entries))).toEqual(entries)
    expect(readAwarenessEntries(writeAwarenessEntries([]))).toEqual([])
  })

  it('reads what y-protocols encodes and writes what y-protocols applies', () => {
    const doc = new Y.Doc()
    const awareness = new awarenessProtocol.Awareness(doc)
    awareness.setLocalState({ cardId: 'c1', user: { name: 'forged' } })
    const [entry] = readAwarenessEntries(
      awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
    )
    expect(entry?.clientId).toBe(doc.clientID)
    expect(JSON.parse(entry?.state ?? '')).toEqual({ cardId: 'c1', user: { name: 'forged' } })

    const rewritten = { ...(entry as AwarenessEntry), state: '{"cardId":"c2"}' }
    const receiver = new awarenessProtocol.Awareness(new Y.Doc())
    awarenessProtocol.applyAwarenessUpdate(receiver, writeAwarenessEntries([rewritten]), null)
    expect(receiver.getStates().get(doc.clientID)).toEqual({ cardId: 'c2' })
    awareness.destroy()
    receiver.destroy()
  })

  it('throws on a truncated update', () => {
    const update = writeAwarenessEntries([{ clientId: 7, clock: 1, state: '{"a":1}' }])
    expect(() => readAwarenessEntries(update.slice(0, update.length - 2))).toThrow()
  })
})
