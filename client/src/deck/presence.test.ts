import { describe, expect, it } from 'vitest'
import { peopleByCard, peopleIn } from './presence.ts'

const ana = { id: 'u1', name: 'Ana', ministryId: 'KEMLU', ministry: 'Kemlu', color: '#1565c0' }
const budi = { id: 'u2', name: 'Budi', ministryId: 'KP2MI', ministry: 'KP2MI', color: '#2e7d32' }

describe('peopleByCard', () => {
  it('groups people by card, once each, and skips malformed states', () => {
    const byCard = peopleByCard([
      { clientId: 1, state: { user: budi, cardId: 'CC-01' } },
      { clientId: 2, state: { user: ana, cardId: 'CC-01' } },
      { clientId: 3, state: { user: ana, cardId: 'CC-01' } },
      { clientId: 4, state: { user: ana, cardId: null } },
      { clientId: 5, state: { user: { name: 'forged' }, cardId: 'CC-02' } },
      { clientId: 6, state: {} },
    ])
    expect([...byCard.keys()]).toEqual(['CC-01'])
    expect(byCard.get('CC-01')).toEqual([ana, budi])
  })
})

describe('peopleIn', () => {
  it('lists everyone else once', () => {
    const people = peopleIn(
      [
        { clientId: 1, state: { user: ana, cursor: null } },
        { clientId: 2, state: { user: ana } },
        { clientId: 3, state: { user: budi } },
      ],
      'u2',
    )
    expect(people).toEqual([ana])
  })
})
