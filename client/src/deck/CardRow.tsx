import type { Card, Ministry, PresenceUser } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatTime } from '../app/formatTime.ts'
import { cardQuestion } from '../app/localized.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { PresenceBadge } from '../app/PresenceBadge.tsx'
import { StatusBadge } from '../app/StatusBadge.tsx'
import { WordBudget } from '../app/WordBudget.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { ClearanceCell } from './ClearanceCell.tsx'

type Props = {
  card: Card
  ministries: readonly Ministry[]
  people: readonly PresenceUser[]
  /** The signed-in user's ministry: cards whose open threads mention it stand out. */
  myMinistryId: string
  /** The user's last visit of the card, with others' changes since (null: never opened). */
  visit: { visitedAt: number; changes: number } | null
  /** Today as YYYY-MM-DD, for the due date's warning (dueDate.ts `localDay`). */
  today: string
}

/** One card on the dashboard; the whole row opens the card. */
export function CardRow({ card, ministries, people, myMinistryId, visit, today }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const question = cardQuestion(card, language)
  const mentioned = card.mentionedMinistries.includes(myMinistryId)
  const changed = visit && visit.changes > 0 ? visit : null
  const changedLabel = changed
    ? t('deck.changedSinceVisitLong', {
        count: changed.changes,
        time: formatTime(changed.visitedAt, language),
      })
    : ''
  return (
    <li
      className={mentioned ? 'card-row card-row--mentioned' : 'card-row'}
      data-testid="card-row"
      data-card-id={card.id}
      data-mentioned={mentioned}
    >
      <span className="card-row__ref">
        {card.ref}
        {mentioned ? (
          <span className="mention-flag" data-testid="mentioned-flag">
            {t('deck.mentioned')}
          </span>
        ) : null}
        {changed ? (
          <span
            className="changed-flag"
            data-testid="changed-flag"
            data-count={changed.changes}
            title={changedLabel}
          >
            {t('deck.changedSinceVisit', { count: changed.changes })}
          </span>
        ) : null}
        {card.suggestOnly ? (
          <span
            className="suggest-only-flag"
            data-testid="suggest-only-flag"
            title={t('suggestOnly.badgeHint')}
          >
            {t('suggestOnly.short')}
          </span>
        ) : null}
      </span>
      <Link
        className="card-row__question"
        to={`/cards/${encodeURIComponent(card.id)}`}
        aria-label={`${card.ref}: ${question}${mentioned ? ` (${t('deck.mentionedLong')})` : ''}${
          changed ? ` (${changedLabel})` : ''
        }${card.suggestOnly ? ` (${t('suggestOnly.label')})` : ''}`}
        lang={language}
      >
        {question}
      </Link>
      <div className="card-row__cell card-row__lead">
        <span className="card-row__label">{t('deck.columns.lead')}</span>
        <MinistryBadge ministryId={card.leadMinistry} ministries={ministries} />
      </div>
      <div className="card-row__cell card-row__status">
        <span className="card-row__label">{t('deck.columns.status')}</span>
        <StatusBadge status={card.status} />
        {/* Under the status, not in a column of its own: the question keeps its width. */}
        <ClearanceCell card={card} ministries={ministries} today={today} />
      </div>
      <div className="card-row__cell card-row__words">
        <span className="card-row__label">{t('deck.columns.words')}</span>
        <WordBudget words={card.wordCount} timeBudgetSec={card.timeBudgetSec} />
      </div>
      <div className="card-row__cell card-row__review">
        <span className="card-row__label">{t('deck.columns.review')}</span>
        <span
          className={
            card.openSuggestions > 0 ? 'review-count review-count--active' : 'review-count'
          }
          data-testid="open-suggestions"
          data-count={card.openSuggestions}
        >
          {t('deck.openSuggestions', { count: card.openSuggestions })}
        </span>
        <span
          className={card.openThreads > 0 ? 'review-count review-count--active' : 'review-count'}
          data-testid="open-threads"
          data-count={card.openThreads}
        >
          {t('deck.openThreads', { count: card.openThreads })}
        </span>
      </div>
      <div className="card-row__cell card-row__presence">
        {people.length > 0 ? (
          <ul className="presence-list" aria-label={t('presence.here')}>
            {people.map((person) => (
              <li key={person.id}>
                <PresenceBadge user={person} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  )
}
