import type { InboxItem, Ministry } from '@kartu/protocol'
import {
  AtSign,
  CalendarClock,
  CircleCheck,
  CircleSlash,
  CircleX,
  ClipboardList,
  type LucideIcon,
  Reply,
  ShieldAlert,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDueDate, localDay } from '../app/dueDate.ts'
import { formatTime } from '../app/formatTime.ts'
import { ICON } from '../app/icons.ts'
import { AuthorLabel } from '../card/AuthorLabel.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { detailText, inboxLabel, inboxQuote } from './inboxLabel.ts'
import { inboxItemLink } from './inboxLink.ts'
import { relativeTime } from './relativeTime.ts'

type Props = {
  item: InboxItem
  /** Every ministry of the item's deck known so far (names and colours). */
  ministries: readonly Ministry[]
  /** The deck's title, when the person has more than one deck; else null. */
  deckTitle: string | null
  now: number
  onOpen: (item: InboxItem) => void
}

/** The icon of an item's kind; a decision's says its outcome. */
function iconOf(item: InboxItem): LucideIcon {
  switch (item.kind) {
    case 'mention':
      return AtSign
    case 'reply':
      return Reply
    case 'decision': {
      const outcome = detailText(item, 'outcome')
      return outcome === 'accepted' ? CircleCheck : outcome === 'rejected' ? CircleX : CircleSlash
    }
    case 'clearance_stale':
      return ShieldAlert
    case 'assigned':
      return ClipboardList
    case 'due_soon':
      return CalendarClock
  }
}

/** One inbox item: what happened where, by whom, when; the whole row opens the place. */
export function InboxItemRow({ item, ministries, deckTitle, now, onOpen }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const short = (id: string) => ministries.find((ministry) => ministry.id === id)?.short ?? id
  const label = inboxLabel(item, {
    ministry: short,
    person: (person) =>
      person.ministryId === ''
        ? person.name
        : t('inbox.person', { name: person.name, ministry: short(person.ministryId) }),
    day: (date) => formatDueDate(date, language, localDay(new Date(now))),
    nobody: t('inbox.kartu'),
  })
  const quote = inboxQuote(item)
  const unread = item.readAt === null
  const Icon = iconOf(item)
  const outcome = item.kind === 'decision' ? detailText(item, 'outcome') : null
  return (
    <li
      className={`inbox-item inbox-item--${item.kind}${unread ? ' inbox-item--unread' : ''}`}
      data-testid="inbox-item"
      data-kind={item.kind}
      data-unread={unread}
      data-outcome={outcome ?? undefined}
    >
      <span className="inbox-item__icon">
        <Icon {...ICON} />
      </span>
      <div className="inbox-item__body">
        <Link
          className="inbox-item__link"
          to={inboxItemLink(item)}
          onClick={() => {
            if (unread) onOpen(item)
          }}
        >
          {unread ? <span className="visually-hidden">{t('inbox.unreadMark')}: </span> : null}
          {t(`inbox.label.${label.key}`, { replace: label.values })}
        </Link>
        {quote === null ? null : <p className="inbox-item__quote">{quote}</p>}
        <p className="inbox-item__meta">
          <span className="inbox-item__kind">{t(`inbox.kind.${item.kind}`)}</span>
          {item.actor && !label.namesActor ? (
            <AuthorLabel author={item.actor} ministries={ministries} />
          ) : null}
          <time dateTime={new Date(item.at).toISOString()} title={formatTime(item.at, language)}>
            {relativeTime(item.at, now, language)}
          </time>
          {deckTitle === null ? null : (
            <span className="inbox-item__deck">{t('inbox.inDeck', { deck: deckTitle })}</span>
          )}
        </p>
      </div>
      {unread ? <span className="inbox-item__dot" aria-hidden="true" /> : null}
    </li>
  )
}
