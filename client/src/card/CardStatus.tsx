import { type Card, CardStatus as CardStatusValue, cardStatusSchema, Role } from '@kartu/protocol'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { StatusBadge } from '../app/StatusBadge.tsx'
import { useUpdateCard } from '../app/useUpdateCard.ts'

const statuses = Object.values(CardStatusValue)

/** The card's status; the chair can change it (the server checks the role as well). */
export function CardStatus({ card, role }: { card: Card; role: Role }) {
  const { t } = useTranslation()
  const id = useId()
  const update = useUpdateCard(card.id)
  if (role !== Role.Chair) return <StatusBadge status={card.status} />
  return (
    <span className="card-status">
      <label htmlFor={id} className="visually-hidden">
        {t('card.changeStatus')}
      </label>
      <select
        id={id}
        data-testid="card-status"
        value={card.status}
        disabled={update.isPending}
        onChange={(event) => {
          const parsed = cardStatusSchema.safeParse(event.target.value)
          if (parsed.success) update.mutate({ status: parsed.data })
        }}
      >
        {statuses.map((status) => (
          <option key={status} value={status}>
            {t(`status.${status}`)}
          </option>
        ))}
      </select>
      {update.error ? (
        <span className="form__error" role="alert">
          {t('card.statusFailed', { message: update.error.message })}
        </span>
      ) : null}
    </span>
  )
}
