/**
 * The unread count on the header's bell, and when a change of it is said aloud.
 */

/** What the badge shows: nothing at 0, "99+" past 99 (the label says the exact number). */
export function unreadBadgeText(count: number): string {
  if (count <= 0) return ''
  return count > 99 ? '99+' : String(count)
}

/**
 * Whether a screen reader should hear the new count: when it grows (something arrived), not when
 * it falls (the person read items themselves) nor on the first count of the page.
 */
export function announcesUnread(previous: number | null, next: number): boolean {
  return previous !== null && next > previous
}
