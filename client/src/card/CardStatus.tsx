import {
  type Card,
  CardStatus as CardStatusValue,
  cardStatusSchema,
  type Ministry,
  missingClearances,
  Role,
} from '@kartu/protocol'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { StatusBadge } from '../app/StatusBadge.tsx'
import { useUpdateCard } from '../app/useUpdateCard.ts'
import { FinalOverrideDialog } from './signoff/FinalOverrideDialog.tsx'
import { useFinalise } from './signoff/useFinalise.ts'

const statuses = Object.values(CardStatusValue)

/**
 * The card's status; the chair can change it (the server checks the role as well). "Final"
 * goes the sign-off's way (a reason when a ministry has not cleared), never a plain change.
 */
export function CardStatus({
  card,
  role,
  ministries,
}: {
  card: Card
  role: Role
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const id = useId()
  const update = useUpdateCard(card.id)
  const final = useFinalise(card)
  if (role !== Role.Chair) return <StatusBadge status={card.status} />
  const error = update.error ?? (final.asking ? null : final.error)
  return (
    <>
      <span className="card-status">
        <label htmlFor={id} className="visually-hidden">
          {t('card.changeStatus')}
        </label>
        <select
          id={id}
          data-testid="card-status"
          // Stays on the status the server has until it says otherwise (a final in the dialog).
          value={card.status}
          disabled={update.isPending || final.pending}
          onChange={(event) => {
            const parsed = cardStatusSchema.safeParse(event.target.value)
            if (!parsed.success) return
            if (parsed.data === CardStatusValue.Final) {
              update.reset()
              final.start()
            } else {
              final.cancel()
              update.mutate({ status: parsed.data })
            }
          }}
        >
          {statuses.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
        {error ? (
          <span className="form__error" role="alert">
            {t('card.statusFailed', { message: error.message })}
          </span>
        ) : null}
      </span>
      <FinalOverrideDialog flow={final} missing={missingClearances(card)} ministries={ministries} />
    </>
  )
}
