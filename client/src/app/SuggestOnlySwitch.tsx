import { PencilLine } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from './icons.ts'

type Props = {
  /** On for this card or deck (for a card: its own switch or its deck's). */
  on: boolean
  /** What it covers, for the hint: one card or every card of the deck. */
  scope: 'card' | 'deck'
  /** Set on the deck, the card cannot turn it off alone; said beside the button. */
  heldByDeck?: boolean
  pending: boolean
  error: string | null
  onChange: (on: boolean) => void
  testId: string
}

/**
 * The chair's "everyone suggests" switch for a rakor: while on, editors' changes become
 * suggestions the chair decides (the server enforces it). Its state is said in words beside the
 * colour, and what it does is the button's description.
 */
export function SuggestOnlySwitch({
  on,
  scope,
  heldByDeck = false,
  pending,
  error,
  onChange,
  testId,
}: Props) {
  const { t } = useTranslation()
  const hintId = useId()
  const hint = heldByDeck
    ? t('suggestOnly.heldByDeck')
    : t(scope === 'deck' ? 'suggestOnly.deckHint' : 'suggestOnly.cardHint')
  return (
    <span className="suggest-only">
      <button
        type="button"
        className="button suggest-only__button"
        data-testid={testId}
        aria-pressed={on}
        aria-describedby={hintId}
        // aria-disabled keeps it focusable, so the reason beside it can still be reached.
        aria-disabled={heldByDeck || pending}
        title={hint}
        onClick={() => {
          if (!heldByDeck && !pending) onChange(!on)
        }}
      >
        <PencilLine {...ICON} className="suggest-only__icon" />
        {t('suggestOnly.label')}
        <span className="suggest-only__state" aria-hidden="true">
          {on ? t('suggestOnly.on') : t('suggestOnly.off')}
        </span>
      </button>
      {/* On the dashboard the switch has a row of its own: say there what it does. */}
      <span
        id={hintId}
        className={heldByDeck || scope === 'deck' ? 'suggest-only__hint' : 'visually-hidden'}
      >
        {hint}
      </span>
      {error ? (
        <span className="form__error" role="alert">
          {t('suggestOnly.failed', { message: error })}
        </span>
      ) : null}
    </span>
  )
}

/** For everyone else: a label saying the switch is on (nothing when it is off). */
export function SuggestOnlyBadge({ testId = 'suggest-only-badge' }: { testId?: string }) {
  const { t } = useTranslation()
  return (
    <span className="suggest-only-badge" data-testid={testId} title={t('suggestOnly.badgeHint')}>
      <PencilLine {...ICON} />
      {t('suggestOnly.label')}
    </span>
  )
}
