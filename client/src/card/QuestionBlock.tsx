import type { Card, Deck } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { clusterName } from '../app/localized.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { CardBriefing } from './CardBriefing.tsx'

/** What the Committee asks and who answers it. */
export function QuestionBlock({ card, deck }: { card: Card; deck: Deck }) {
  const { t } = useTranslation()
  const language = useLanguage()
  const cluster = deck.clusters.find((candidate) => candidate.id === card.cluster)
  const questions = [
    { lang: 'id', label: t('card.questionId'), text: card.questionId },
    { lang: 'en', label: t('card.questionEn'), text: card.question },
  ]
  // The reader's language first.
  if (language === 'en') questions.reverse()
  return (
    <section className="question-block" aria-labelledby="question-heading">
      <h2 id="question-heading" className="visually-hidden">
        {t('card.question')}
      </h2>
      <dl className="question-block__facts">
        <div>
          <dt>{t('card.cluster')}</dt>
          <dd>{cluster ? clusterName(cluster, language) : card.cluster}</dd>
        </div>
        {card.questionRef ? (
          <div>
            <dt>{t('card.reference')}</dt>
            <dd>{card.questionRef}</dd>
          </div>
        ) : null}
        {card.articles.length > 0 ? (
          <div>
            <dt>{t('card.articles')}</dt>
            <dd>{card.articles.join(', ')}</dd>
          </div>
        ) : null}
      </dl>
      {questions
        .filter((question) => question.text.trim().length > 0)
        .map((question) => (
          <figure key={question.lang} className="question-block__question">
            <figcaption>{question.label}</figcaption>
            <blockquote lang={question.lang}>
              <p>{question.text}</p>
            </blockquote>
          </figure>
        ))}
      <dl className="question-block__owners">
        <div>
          <dt>{t('card.lead')}</dt>
          <dd>
            <MinistryBadge ministryId={card.leadMinistry} ministries={deck.ministries} />
          </dd>
        </div>
        <div>
          <dt>{t('card.contributing')}</dt>
          <dd className="badge-list">
            {card.contributingMinistries.length > 0
              ? card.contributingMinistries.map((ministryId) => (
                  <MinistryBadge
                    key={ministryId}
                    ministryId={ministryId}
                    ministries={deck.ministries}
                  />
                ))
              : t('card.none')}
          </dd>
        </div>
      </dl>
      <CardBriefing card={card} deck={deck} />
    </section>
  )
}
