import type { Card, Ministry, PresenceUser } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { cardQuestion } from '../app/localized.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { PresenceBadge } from '../app/PresenceBadge.tsx'
import { StatusBadge } from '../app/StatusBadge.tsx'
import { WordBudget } from '../app/WordBudget.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'

type Props = {
  card: Card
  ministries: readonly Ministry[]
  people: readonly PresenceUser[]
}

/** One card on the dashboard; the whole row opens the card. */
export function CardRow({ card, ministries, people }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const question = cardQuestion(card, language)
  return (
    <li className="card-row" data-testid="card-row" data-card-id={card.id}>
      <span className="card-row__ref">{card.ref}</span>
      <Link
        className="card-row__question"
        to={`/cards/${encodeURIComponent(card.id)}`}
        aria-label={`${card.ref}: ${question}`}
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
      </div>
      <div className="card-row__cell card-row__words">
        <span className="card-row__label">{t('deck.columns.words')}</span>
        <WordBudget words={card.wordCount} timeBudgetSec={card.timeBudgetSec} />
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
