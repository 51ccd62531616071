import { useId } from 'react'
import { useTranslation } from 'react-i18next'

/** The optional reason the chair gives with a decision (review panel and presentation view). */
export function DecisionReasonField({
  value,
  onChange,
  className,
}: {
  value: string
  onChange: (reason: string) => void
  className: string
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
        placeholder={t('review.reasonPlaceholder')}
      />
    </div>
  )
}
