import { describe, expect, it } from 'vitest'
import { parseInboxEvent } from './inboxEvent.ts'

describe('parseInboxEvent', () => {
  it('reads the unread count, with the item that arrived', () => {
    expect(parseInboxEvent('{"unread":2}')).toEqual({ unread: 2 })
    const item = {
      id: 'i1',
      kind: 'reply',
      at: 5,
      deckId: 'd',
      cardId: 'c',
      cardRef: 'CC-01',
      actor: null,
      threadId: 't',
      suggestionId: null,
      versionId: null,
      details: {},
      readAt: null,
    }
    expect(parseInboxEvent(JSON.stringify({ unread: 1, item }))).toEqual({ unread: 1, item })
  })

  it('reads the order to ask again (events lost on the server’s side)', () => {
    expect(parseInboxEvent('{"resync":true}')).toEqual({ resync: true })
    expect(parseInboxEvent('{"resync":false}')).toBeNull()
  })

  it('ignores what is not an inbox event', () => {
    expect(parseInboxEvent('not json')).toBeNull()
    expect(parseInboxEvent('{"unread":"2"}')).toBeNull()
    expect(parseInboxEvent(undefined)).toBeNull()
  })
})
