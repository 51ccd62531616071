import { describe, expect, it } from 'vitest'
import { findChair, followStep, readFocus } from './follow.ts'

const chair = { id: 'u-chair', name: 'Ratna', ministryId: 'KP', ministry: 'KP', color: '#1f3a93' }
const other = { id: 'u-x', name: 'Budi', ministryId: 'KP2MI', ministry: 'KP2MI', color: '#b34700' }
const chairs = new Set(['u-chair'])

describe('readFocus', () => {
  it('accepts a card with or without a suggestion, and nothing else', () => {
    expect(readFocus({ cardId: 'CC-01', suggestionId: 'a-1', view: 'present' })).toMatchObject({
      view: 'present',
    })
    expect(readFocus({ cardId: 'CC-01', suggestionId: null, view: 'slides' })).toBeNull()
    expect(readFocus({ cardId: 'CC-01', suggestionId: 'a-1' })).toEqual({
      cardId: 'CC-01',
      suggestionId: 'a-1',
      view: 'card',
    })
    expect(readFocus({ cardId: 'CC-01', suggestionId: null })).toEqual({
      cardId: 'CC-01',
      suggestionId: null,
      view: 'card',
    })
    expect(readFocus({ cardId: '../admin', suggestionId: null })).toBeNull()
    expect(readFocus({ cardId: 'CC-01' })).toBeNull()
    expect(readFocus('CC-01')).toBeNull()
    expect(readFocus(null)).toBeNull()
  })
})

describe('findChair', () => {
  it("takes the focus only from a chair's state", () => {
    const peers = [
      { clientId: 1, state: { user: other, focus: { cardId: 'CC-09', suggestionId: null } } },
      {
        clientId: 2,
        state: { user: chair, cardId: 'CC-02', focus: { cardId: 'CC-02', suggestionId: 's' } },
      },
    ]
    expect(findChair(peers, chairs)).toEqual({
      user: chair,
      focus: { cardId: 'CC-02', suggestionId: 's', view: 'card' },
    })
    expect(findChair(peers.slice(0, 1), chairs)).toBeNull()
  })

  it('prefers a chair tab that shows a card, then the lowest clientID', () => {
    const dashboard = { clientId: 1, state: { user: chair, cardId: null, focus: null } }
    const card = (clientId: number, cardId: string) => ({
      clientId,
      state: { user: chair, focus: { cardId, suggestionId: null } },
    })
    expect(findChair([dashboard, card(9, 'CC-03')], chairs)?.focus?.cardId).toBe('CC-03')
    expect(findChair([card(9, 'CC-03'), card(4, 'CC-04')], chairs)?.focus?.cardId).toBe('CC-04')
    expect(findChair([dashboard], chairs)).toEqual({ user: chair, focus: null })
  })
})

describe('followStep', () => {
  const at = (
    cardId: string,
    suggestionId: string | null = null,
    view: 'card' | 'present' = 'card',
  ) => ({
    user: chair,
    focus: { cardId, suggestionId, view },
  })
  const onCard = (cardId: string) => ({ cardId, view: 'card' as const })

  it('does nothing unless following a chair who shows a card', () => {
    expect(followStep(false, at('CC-01'), onCard('CC-02'))).toEqual({ type: 'none' })
    expect(followStep(true, null, onCard('CC-02'))).toEqual({ type: 'none' })
    expect(followStep(true, { user: chair, focus: null }, onCard('CC-02'))).toEqual({
      type: 'none',
    })
  })

  it("goes to the chair's card, then to the focused suggestion", () => {
    expect(followStep(true, at('CC 1'), null)).toEqual({ type: 'navigate', to: '/cards/CC%201' })
    expect(followStep(true, at('CC-01', 's-1'), onCard('CC-02'))).toEqual({
      type: 'navigate',
      to: '/cards/CC-01',
    })
    expect(followStep(true, at('CC-01', 's-1'), onCard('CC-01'))).toEqual({
      type: 'focus',
      suggestionId: 's-1',
    })
  })

  it('keeps the follower in the view the chair is in', () => {
    const presenting = at('CC-01', 's-1', 'present')
    expect(followStep(true, presenting, onCard('CC-01'))).toEqual({
      type: 'navigate',
      to: '/cards/CC-01/present',
    })
    expect(followStep(true, presenting, { cardId: 'CC-01', view: 'present' })).toEqual({
      type: 'focus',
      suggestionId: 's-1',
    })
    expect(followStep(true, at('CC-01'), { cardId: 'CC-01', view: 'present' })).toEqual({
      type: 'navigate',
      to: '/cards/CC-01',
    })
  })
})
