import type { Card } from '@kartu/protocol'
import { BadgeCheck } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../../app/icons.ts'
import { SIGN_OFF_HEADING_ID } from './SignOffPanel.tsx'
import { signOffProgress } from './signOffState.ts'

/**
 * "2/3 cleared" beside the card's status: where the sign-off stands without scrolling past the
 * answer (on a phone the section is far below), and a way there.
 */
export function SignOffSummary({ card }: { card: Card }) {
  const { t } = useTranslation()
  const { cleared, total } = signOffProgress(card)
  if (total === 0) return null
  const complete = cleared === total
  const text = t('signOff.summary', { cleared, total })
  return (
    <button
      type="button"
      className={`button sign-off-summary${complete ? ' sign-off-summary--complete' : ''}`}
      // The visible words first in the name (speech input says what it sees), then where it goes.
      aria-label={`${text}: ${t('signOff.summaryHint')}`}
      onClick={() => {
        const heading = document.getElementById(SIGN_OFF_HEADING_ID)
        heading?.scrollIntoView({ block: 'start' })
        heading?.focus({ preventScroll: true })
      }}
      data-testid="sign-off-summary"
    >
      <BadgeCheck {...ICON} />
      {text}
    </button>
  )
}
