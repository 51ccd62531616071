import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/** The optional reason the chair gives with a decision (review panel and presentation view). */
export function DecisionReasonField({
  value,
  onChange,
  className,
  onEscape,
  placeholder,
}: {
  value: string
  onChange: (reason: string) => void
  className: string
  /** Esc in the field: where the keys go back to (the reason typed so far is kept). */
  onEscape?: () => void
  /** Where the label is not shown (the projector), the placeholder names the field. */
  placeholder?: string
}) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className={className}>
      <label htmlFor={id}>{t('review.reason')}</label>
      <input
        id={id}
        data-testid="decision-reason"
        value={value}
        maxLength={500}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || !onEscape) return
          event.preventDefault()
          onEscape()
        }}
        placeholder={placeholder ?? t('review.reasonPlaceholder')}
      />
    </div>
  )
}
