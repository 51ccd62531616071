import { Bell } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { NavLink } from 'react-router'
import { ICON } from '../app/icons.ts'
import { useInboxUnread } from './inboxQueries.ts'
import { announcesUnread, unreadBadgeText } from './unreadCount.ts'

/**
 * The header's way to the inbox: a bell with the unread count, kept live by the pushed events
 * (useInboxEvents.ts). A count that grows is also said aloud, once.
 */
export function InboxBell() {
  const { t } = useTranslation()
  const unread = useInboxUnread()
  const count = unread.data ?? 0
  const label = count > 0 ? t('inbox.linkUnread', { count }) : t('inbox.link')
  const [announcement, setAnnouncement] = useState('')
  const previous = useRef<number | null>(null)
  useEffect(() => {
    if (unread.data === undefined) return
    if (announcesUnread(previous.current, unread.data)) {
      setAnnouncement(t('inbox.announce', { count: unread.data }))
    }
    previous.current = unread.data
  }, [unread.data, t])
  return (
    <>
      <NavLink
        to="/inbox"
        className={count > 0 ? 'inbox-bell inbox-bell--unread' : 'inbox-bell'}
        aria-label={label}
        title={label}
        data-testid="inbox-link"
        data-unread={count}
      >
        <Bell {...ICON} className="inbox-bell__icon" />
        {count > 0 ? (
          <span className="inbox-bell__badge" aria-hidden="true" data-testid="inbox-unread">
            {unreadBadgeText(count)}
          </span>
        ) : null}
      </NavLink>
      <span className="visually-hidden" role="status" data-testid="inbox-announcement">
        {announcement}
      </span>
    </>
  )
}
