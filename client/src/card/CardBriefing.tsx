import type { BriefingSpeaker, Card, Deck } from '@kartu/protocol'
import { ChevronRight } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../app/icons.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'

/**
 * What the delegate needs beside the answer, from the deck: who speaks, the figures the answer
 * relies on, the follow-up questions to expect and what to be careful about. Collapsed by
 * default (the answer comes first); nothing is shown for a card whose deck gave none of it.
 */
export function CardBriefing({ card, deck }: { card: Card; deck: Deck }) {
  const { t } = useTranslation()
  const { speaker, backupSpeaker, keyData, followUps, sensitivities, references } = card.briefing
  const counts = [
    keyData.length > 0 ? t('briefing.keyDataCount', { count: keyData.length }) : null,
    followUps.length > 0 ? t('briefing.followUpsCount', { count: followUps.length }) : null,
    sensitivities.length > 0
      ? t('briefing.sensitivitiesCount', { count: sensitivities.length })
      : null,
  ].filter((count): count is string => count !== null)
  if (!speaker && !backupSpeaker && counts.length === 0 && references.length === 0) return null
  const speakerLine = (label: string, who: BriefingSpeaker | null) =>
    who ? (
      <div>
        <dt>{label}</dt>
        <dd>
          {who.role}
          {who.ministry ? (
            <>
              {' '}
              <MinistryBadge ministryId={who.ministry} ministries={deck.ministries} />
            </>
          ) : null}
        </dd>
      </div>
    ) : null
  return (
    <details className="briefing" data-testid="card-briefing">
      <summary>
        <ChevronRight {...ICON} className="briefing__chevron" />
        <span className="briefing__title">{t('briefing.title')}</span>
        {counts.length > 0 ? <span className="briefing__counts">{counts.join(' · ')}</span> : null}
      </summary>
      <div className="briefing__body">
        {speaker || backupSpeaker ? (
          <dl className="briefing__speakers">
            {speakerLine(t('briefing.speaker'), speaker)}
            {speakerLine(t('briefing.backupSpeaker'), backupSpeaker)}
          </dl>
        ) : null}
        {keyData.length > 0 ? (
          <section aria-labelledby={`${card.id}-key-data`}>
            <h3 id={`${card.id}-key-data`}>{t('briefing.keyData')}</h3>
            <table className="briefing__table">
              <thead>
                <tr>
                  <th scope="col" className="briefing__col">
                    {t('briefing.dataLabel')}
                  </th>
                  <th scope="col" className="briefing__col">
                    {t('briefing.dataValue')}
                  </th>
                  <th scope="col" className="briefing__col">
                    {t('briefing.dataSource')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {keyData.map((entry) => (
                  <tr key={entry.label} data-confirmed={entry.confirmed}>
                    <th scope="row">{entry.label}</th>
                    <td>
                      {entry.value}
                      {entry.unit ? ` ${entry.unit}` : ''}{' '}
                      <span
                        className={
                          entry.confirmed
                            ? 'briefing__state briefing__state--confirmed'
                            : 'briefing__state briefing__state--unconfirmed'
                        }
                      >
                        {entry.confirmed ? t('briefing.confirmed') : t('briefing.unconfirmed')}
                      </span>
                    </td>
                    <td>
                      {entry.sourceMinistry ? (
                        <MinistryBadge
                          ministryId={entry.sourceMinistry}
                          ministries={deck.ministries}
                        />
                      ) : null}
                      {entry.asOf ? ` ${t('briefing.asOf', { date: entry.asOf })}` : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {followUps.length > 0 ? (
          <section aria-labelledby={`${card.id}-follow-ups`}>
            <h3 id={`${card.id}-follow-ups`}>{t('briefing.followUps')}</h3>
            <ol className="briefing__list">
              {followUps.map((followUp) => (
                <li key={followUp.question}>
                  <p className="briefing__question">{followUp.question}</p>
                  {followUp.hint ? <p className="briefing__hint">{followUp.hint}</p> : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {sensitivities.length > 0 ? (
          <section aria-labelledby={`${card.id}-sensitivities`}>
            <h3 id={`${card.id}-sensitivities`}>{t('briefing.sensitivities')}</h3>
            <ul className="briefing__list briefing__list--sensitive">
              {sensitivities.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {references.length > 0 ? (
          <section aria-labelledby={`${card.id}-references`}>
            <h3 id={`${card.id}-references`}>{t('briefing.references')}</h3>
            <ul className="briefing__references">
              {references.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </details>
  )
}
