import { describe, expect, it } from 'vitest'
import { cardDocumentName, DocumentKind, deckDocumentName, parseDocumentName } from './documents.ts'

describe('parseDocumentName', () => {
  it('accepts card and deck names', () => {
    expect(parseDocumentName('card:9b2f4c1e-7a1d-4e2b-9c3f-0a1b2c3d4e5f')).toEqual({
      kind: DocumentKind.Card,
      id: '9b2f4c1e-7a1d-4e2b-9c3f-0a1b2c3d4e5f',
    })
    expect(parseDocumentName('deck:CMW_2024')).toEqual({ kind: DocumentKind.Deck, id: 'CMW_2024' })
  })

  it('reads back the names that cardDocumentName and deckDocumentName build', () => {
    expect(parseDocumentName(cardDocumentName('CC-01'))).toEqual({ kind: 'card', id: 'CC-01' })
    expect(parseDocumentName(deckDocumentName('d1'))).toEqual({ kind: 'deck', id: 'd1' })
  })

  it('accepts an id of 64 characters and refuses 65', () => {
    expect(parseDocumentName(`card:${'a'.repeat(64)}`)?.id).toHaveLength(64)
    expect(parseDocumentName(`card:${'a'.repeat(65)}`)).toBeNull()
  })

  it.each([
    'card:../kartu.db',
    'card:..',
    'deck:a/b',
    'card:a\\b',
    'card:%2e%2e',
    'card:',
    'deck:',
    'card',
    '',
    'user:alice',
    'Card:x',
    'card:x:y',
    ' card:x',
    'card:x\n',
    'card:a b',
  ])('refuses %j', (name) => {
    expect(parseDocumentName(name)).toBeNull()
  })
})
