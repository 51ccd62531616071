import type { Card } from '@kartu/protocol'
import { Lock, LockOpen } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../app/icons.ts'
import { useUpdateCard } from '../app/useUpdateCard.ts'

type Props = {
  card: Card
  /** The lock as the connection last reported it (newer than the page's copy of the card). */
  locked: boolean
}

/** The chair locks the card's answer as agreed text, or unlocks it (the server checks the role). */
export function LockCardToggle({ card, locked }: Props) {
  const { t } = useTranslation()
  const update = useUpdateCard(card.id)
  return (
    <span className="lock-card">
      <button
        type="button"
        className="button lock-card__button"
        data-testid="lock-card"
        aria-pressed={locked}
        title={t('card.lockHint')}
        disabled={update.isPending}
        onClick={() => update.mutate({ locked: !locked })}
      >
        {locked ? <Lock {...ICON} /> : <LockOpen {...ICON} />}
        {t('card.lock')}
      </button>
      {update.error ? (
        <span className="form__error" role="alert">
          {t('card.lockFailed', { message: update.error.message })}
        </span>
      ) : null}
    </span>
  )
}
