import { describe, expect, it } from 'vitest'
import { announcesUnread, unreadBadgeText } from './unreadCount.ts'

describe('unreadBadgeText', () => {
  it('shows nothing at zero and caps at 99+', () => {
    expect(unreadBadgeText(0)).toBe('')
    expect(unreadBadgeText(3)).toBe('3')
    expect(unreadBadgeText(99)).toBe('99')
    expect(unreadBadgeText(120)).toBe('99+')
  })
})

describe('announcesUnread', () => {
  it('announces a count that grew, not the first count nor one that fell', () => {
    expect(announcesUnread(null, 3)).toBe(false)
    expect(announcesUnread(2, 3)).toBe(true)
    expect(announcesUnread(3, 0)).toBe(false)
    expect(announcesUnread(3, 3)).toBe(false)
  })
})
