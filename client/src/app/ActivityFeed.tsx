import type { ActivityEvent, Ministry } from '@kartu/protocol'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { AuthorLabel } from '../card/AuthorLabel.tsx'
import { ministryIds, ministryShorts } from '../card/review/signOffLog.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { formatDay } from './dueDate.ts'
import { formatTime } from './formatTime.ts'
import { ministryName } from './localized.ts'
import { queryKeys } from './queryKeys.ts'
import { useActivity } from './useActivity.ts'

/** A card's timeline is asked again this long after the card last changed. */
const LIVE_DELAY_MS = 1_500

/**
 * What happened on a deck's cards, or on one card, newest first (server: history/activity.ts):
 * edits with how much, suggestions and comments written, decisions, locks, versions. Filtered
 * by ministry; refreshed while it is open.
 */
export function ActivityFeed({
  scope,
  ministries,
  title,
  changed,
}: {
  scope: { deckId: string } | { cardId: string }
  ministries: readonly Ministry[]
  title: string
  /** Changes each time the card changes (a card's timeline): the feed is asked again soon after. */
  changed?: unknown
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const filterId = useId()
  const headingId = useId()
  const [ministry, setMinistry] = useState('')
  const activity = useActivity(scope, ministry)
  const queryClient = useQueryClient()
  // The scope as its id: a new object each render must not start the timer again.
  const cardId = 'cardId' in scope ? scope.cardId : null
  const deckId = 'deckId' in scope ? scope.deckId : null
  useEffect(() => {
    if (changed === undefined) return
    // After a burst of changes settles (the server reads its edit rows when asked).
    const timer = setTimeout(() => {
      const of = cardId === null ? { deckId: deckId ?? '' } : { cardId }
      void queryClient.invalidateQueries({ queryKey: queryKeys.activityOf(of) })
    }, LIVE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [changed, cardId, deckId, queryClient])
  const events = activity.data?.events ?? []
  const onCard = 'cardId' in scope
  return (
    <section className="activity" aria-labelledby={headingId} data-testid="activity">
      <div className="activity__head">
        <h2 id={headingId} className="activity__title">
          {title}
        </h2>
        <label htmlFor={filterId} className="activity__filter">
          {t('activity.ministry')}{' '}
          <select
            id={filterId}
            value={ministry}
            onChange={(event) => setMinistry(event.target.value)}
            data-testid="activity-ministry"
          >
            <option value="">{t('activity.everyMinistry')}</option>
            {ministries.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {ministryName(candidate, language)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {activity.error && !activity.data ? (
        <p className="activity__empty" role="alert">
          {t('activity.failed', { message: activity.error.message })}
        </p>
      ) : events.length === 0 ? (
        <p className="activity__empty">
          {activity.isPending ? t('activity.loading') : t('activity.empty')}
        </p>
      ) : (
        <ol className="activity__list">
          {events.map((event) => (
            <li
              key={`${event.kind}-${event.at}-${event.cardId}-${event.person?.userId ?? ''}`}
              className={`activity-entry activity-entry--${event.kind}`}
              data-testid="activity-entry"
              data-kind={event.kind}
            >
              <time className="activity-entry__time" dateTime={new Date(event.at).toISOString()}>
                {formatTime(event.at, language)}
              </time>
              <span className="activity-entry__who">
                {event.person ? (
                  <AuthorLabel author={event.person} ministries={ministries} />
                ) : (
                  t('activity.kartu')
                )}
              </span>
              <span className="activity-entry__what">
                {onCard ? null : (
                  <>
                    <Link to={`/cards/${encodeURIComponent(event.cardId)}`}>{event.cardRef}</Link>
                    {': '}
                  </>
                )}
                <ActivityText event={event} ministries={ministries} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

/** One entry in words. */
function ActivityText({
  event,
  ministries,
}: {
  event: ActivityEvent
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const detail = (key: string) => {
    const value = event.details[key]
    return value === null || value === undefined ? '' : String(value)
  }
  // Ministries come as ids, one or comma-separated; shown by their short names.
  const ministryList = (key: string) => ministryShorts(ministryIds(event.details[key]), ministries)
  switch (event.kind) {
    case 'edit': {
      const counts = event.counts
      const parts: string[] = []
      if (counts && (counts.insertedChars > 0 || counts.deletedChars > 0)) {
        parts.push(
          t('activity.edited', { inserted: counts.insertedChars, deleted: counts.deletedChars }),
        )
      }
      if (counts && counts.suggestions > 0) {
        parts.push(t('activity.suggested', { count: counts.suggestions }))
      }
      if (counts && counts.comments > 0) {
        parts.push(t('activity.commented', { count: counts.comments }))
      }
      return <>{parts.length > 0 ? parts.join(', ') : t('activity.touched')}</>
    }
    case 'decision': {
      const outcome = detail('decision')
      return (
        <>
          {outcome === 'rejected'
            ? t('activity.decision.rejected')
            : outcome === 'withdrawn'
              ? t('activity.decision.withdrawn')
              : t('activity.decision.accepted')}
        </>
      )
    }
    case 'lock':
      return (
        <>
          {detail('locked') === 'true'
            ? t(detail('part') ? 'activity.lockedPart' : 'activity.locked')
            : t(detail('part') ? 'activity.unlockedPart' : 'activity.unlocked')}
        </>
      )
    case 'version':
      return <>{t('activity.named', { name: detail('name') })}</>
    case 'restore':
      return <>{t('activity.restored', { reason: detail('reason') })}</>
    case 'session':
      return <>{t('activity.session', { name: detail('name') })}</>
    case 'suggestOnly':
      return <>{t('activity.suggestOnly')}</>
    case 'assignment': {
      const contributing = ministryList('contributing')
      const dueDate = detail('dueDate')
      return (
        <>
          {[
            t('signOff.activity.assignment', { lead: ministryList('lead') }),
            contributing === ''
              ? t('signOff.activity.noContributing')
              : t('signOff.activity.contributing', { ministries: contributing }),
            dueDate === ''
              ? t('signOff.activity.noDueDate')
              : t('signOff.activity.dueDate', { date: formatDay(dueDate, language) }),
          ].join('; ')}
        </>
      )
    }
    case 'clearance':
      return (
        <>
          {detail('outcome') === 'withdrawn'
            ? t('signOff.activity.withdrawn', { ministry: ministryList('ministry') })
            : t('signOff.activity.given', { ministry: ministryList('ministry') })}
        </>
      )
    case 'final': {
      const reason = detail('override')
      const missing = ministryList('missing')
      if (reason === '') return <>{t('signOff.activity.final')}</>
      return (
        <>
          {missing === ''
            ? t('signOff.activity.finalReason', { reason })
            : t('signOff.activity.finalOverride', { missing, reason })}
        </>
      )
    }
    default:
      return <>{t('activity.cardChanged', { fields: Object.keys(event.details).join(', ') })}</>
  }
}
