import type { InboxItem } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { inboxItemLink, linkedCompareVersion, linkedReviewItem } from './inboxLink.ts'

const item = (kind: InboxItem['kind'], place: Partial<InboxItem> = {}) => ({
  kind,
  cardId: 'CC 03',
  threadId: null,
  suggestionId: null,
  versionId: null,
  ...place,
})

describe('inboxItemLink', () => {
  it('leads a mention or a reply to its thread', () => {
    expect(inboxItemLink(item('mention', { threadId: 't1' }))).toBe('/cards/CC%2003?thread=t1')
    expect(inboxItemLink(item('reply', { threadId: 't/2' }))).toBe('/cards/CC%2003?thread=t%2F2')
  })

  it('leads a decision to the suggestion and a stale clearance to the comparison', () => {
    expect(inboxItemLink(item('decision', { suggestionId: 's1' }))).toBe(
      '/cards/CC%2003?suggestion=s1',
    )
    expect(inboxItemLink(item('clearance_stale', { versionId: 'v9' }))).toBe(
      '/cards/CC%2003?compare=v9',
    )
  })

  it('leads an assignment, a due date, or an item without its place to the card', () => {
    expect(inboxItemLink(item('assigned', { threadId: 't1' }))).toBe('/cards/CC%2003')
    expect(inboxItemLink(item('due_soon'))).toBe('/cards/CC%2003')
    expect(inboxItemLink(item('mention'))).toBe('/cards/CC%2003')
  })
})

describe('linkedReviewItem', () => {
  it('reads the thread or suggestion an inbox link names', () => {
    expect(linkedReviewItem(new URLSearchParams('?thread=t%2F2'))).toEqual({
      kind: 'thread',
      id: 't/2',
      reveal: 1,
    })
    expect(linkedReviewItem(new URLSearchParams('?suggestion=s1'))?.kind).toBe('suggestion')
    expect(linkedReviewItem(new URLSearchParams('?compare=v1'))).toBeNull()
    expect(linkedReviewItem(new URLSearchParams('?thread='))).toBeNull()
  })

  it('reads back what inboxItemLink wrote', () => {
    const link = inboxItemLink(item('mention', { threadId: 'a b&c' }))
    const params = new URL(link, 'https://kartu.example').searchParams
    expect(linkedReviewItem(params)?.id).toBe('a b&c')
  })
})

describe('linkedCompareVersion', () => {
  it('reads the version a stale clearance links to, and nothing else', () => {
    expect(linkedCompareVersion(new URLSearchParams('?compare=v%2F9'))).toBe('v/9')
    expect(linkedCompareVersion(new URLSearchParams('?compare='))).toBeNull()
    expect(linkedCompareVersion(new URLSearchParams('?thread=t1'))).toBeNull()
  })

  it('reads back what inboxItemLink wrote', () => {
    const link = inboxItemLink(item('clearance_stale', { versionId: 'v 1&2' }))
    expect(linkedCompareVersion(new URL(link, 'https://kartu.example').searchParams)).toBe('v 1&2')
  })
})
