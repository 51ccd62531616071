import type { Ministry } from '@kartu/protocol'
import { CircleCheck, CircleDashed, History } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../../app/formatTime.ts'
import { ICON } from '../../app/icons.ts'
import { MinistryBadge } from '../../app/MinistryBadge.tsx'
import { useLanguage } from '../../i18n/useLanguage.ts'
import { ComparedVersions } from '../history/ComparedVersions.tsx'
import type { MinistrySignOff } from './signOffState.ts'
import { useRevealOnArrival } from './useRevealOnArrival.ts'

/**
 * One assigned ministry's clearance: given for the text now, given for an earlier text (with
 * what changed since, compared with the answer now), or not given. The state is in words and
 * an icon as well as in colour.
 */
export function MinistrySignOffRow({
  cardId,
  entry,
  ministries,
  withdraw,
  linked,
}: {
  cardId: string
  entry: MinistrySignOff
  ministries: readonly Ministry[]
  /** The withdraw button, when the person may withdraw this ministry's clearance. */
  withdraw: { pending: boolean; onWithdraw: () => void } | null
  /**
   * The card's link (`?compare=`, linkedComparison.ts) leads here: the changes since are open
   * from the start, scrolled to, their heading focused.
   */
  linked: boolean
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const compareId = useId()
  const [comparing, setComparing] = useState(linked)
  // Until the person opens or closes the changes themselves.
  const [revealing, setRevealing] = useState(linked)
  const reveal = useRevealOnArrival(linked)
  const { clearance, state } = entry
  const short = ministries.find((ministry) => ministry.id === entry.ministryId)?.short
  const ministry = short ?? entry.ministryId
  const time = clearance ? formatTime(clearance.at, language) : ''
  const seeChanges = clearance !== null && state === 'stale'

  let text: string = t('signOff.missing')
  if (clearance && state === 'cleared')
    text = t('signOff.cleared', { ministry, name: clearance.name, time })
  else if (clearance && state === 'stale') text = t('signOff.stale', { name: clearance.name, time })

  return (
    <li
      className={`sign-off-row sign-off-row--${state}`}
      data-testid="sign-off-row"
      data-ministry-id={entry.ministryId}
      data-state={state}
    >
      <span className="sign-off-row__who">
        <MinistryBadge ministryId={entry.ministryId} ministries={ministries} />
        <span className="sign-off-row__part">{t(`signOff.${entry.part}`)}</span>
      </span>
      <span className="sign-off-row__state">
        {state === 'cleared' ? <CircleCheck {...ICON} /> : null}
        {state === 'stale' ? <History {...ICON} /> : null}
        {state === 'missing' ? <CircleDashed {...ICON} /> : null}
        <span>{text}</span>
      </span>
      {seeChanges || withdraw ? (
        <span className="sign-off-row__actions">
          {seeChanges ? (
            <button
              type="button"
              className="button button--small"
              aria-expanded={comparing}
              aria-controls={compareId}
              onClick={() => {
                setRevealing(false)
                setComparing(!comparing)
              }}
              data-testid="sign-off-see-changes"
            >
              {comparing ? t('signOff.hideChanges') : t('signOff.seeChanges')}
            </button>
          ) : null}
          {withdraw ? (
            <button
              type="button"
              className="button button--small"
              aria-label={t('signOff.withdrawLabel', { ministry })}
              disabled={withdraw.pending}
              onClick={withdraw.onWithdraw}
              data-testid="sign-off-withdraw"
            >
              {withdraw.pending ? t('signOff.withdrawing') : t('signOff.withdraw')}
            </button>
          ) : null}
        </span>
      ) : null}
      <div id={compareId} className="sign-off-row__compare">
        {clearance && state === 'stale' && comparing ? (
          <ComparedVersions
            cardId={cardId}
            from={clearance.versionId}
            to={null}
            title={t('signOff.changesTitle', { ministry, time })}
            ministries={ministries}
            revealRef={revealing ? reveal : undefined}
          />
        ) : null}
      </div>
    </li>
  )
}
