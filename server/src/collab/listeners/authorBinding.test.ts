import { Role } from '@kartu/protocol'
import { AUTHORS_FIELD, type Author } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { participant } from '../../testing/collabFixtures.ts'
import { SERVER_ORIGIN } from '../roomListener.ts'
import { authorBinding } from './authorBinding.ts'

describe('authorBinding', () => {
  const applied = (doc: Y.Doc, newClients: number[]) => ({
    documentName: 'card:c1',
    doc,
    participant: participant('kp2mi', Role.Suggester),
    newClients,
    decisions: [],
    blockLocks: [],
    update: new Uint8Array(),
  })

  it('binds each new clientID to the sender, as the server', () => {
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin))
    authorBinding.updateApplied?.(applied(doc, [11, 12]))
    const authors = doc.getMap<Author>(AUTHORS_FIELD)
    expect(authors.toJSON()).toEqual({
      '11': { userId: 'kp2mi', name: 'kp2mi', ministryId: 'KP2MI' },
      '12': { userId: 'kp2mi', name: 'kp2mi', ministryId: 'KP2MI' },
    })
    // One change, made by the server: the policy mirrors it and clients may not write it.
    expect(origins).toEqual([SERVER_ORIGIN])
  })

  it('writes nothing for an update that brought no new clientID', () => {
    const doc = new Y.Doc()
    let updates = 0
    doc.on('update', () => updates++)
    authorBinding.updateApplied?.(applied(doc, []))
    expect(updates).toBe(0)
  })
})
