import type { Card, Ministry } from '@kartu/protocol'
import { type FormEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ministryName } from '../../app/localized.ts'
import { MinistryBadge } from '../../app/MinistryBadge.tsx'
import { useLanguage } from '../../i18n/useLanguage.ts'
import { useSaveAssignment } from './useSignOffMutations.ts'

/**
 * The chair's assignment of the card: the lead ministry, the contributing ones (any of the
 * deck's ministries) and the due date. Every ministry named here must clear the answer before
 * the card is final without a reason.
 */
export function AssignmentEditor({
  card,
  ministries,
  onDone,
  onCancel,
}: {
  card: Card
  ministries: readonly Ministry[]
  onDone: () => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const leadId = useId()
  const dueId = useId()
  const helpId = useId()
  const [lead, setLead] = useState(card.leadMinistry)
  const [contributing, setContributing] = useState<ReadonlySet<string>>(
    new Set(card.contributingMinistries),
  )
  const [dueDate, setDueDate] = useState(card.dueDate ?? '')
  const dueRef = useRef<HTMLInputElement>(null)
  const save = useSaveAssignment(card.id)

  const toggle = (ministryId: string, on: boolean) =>
    setContributing((before) => {
      const next = new Set(before)
      if (on) next.add(ministryId)
      else next.delete(ministryId)
      return next
    })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (lead === '' || save.isPending) return
    save.mutate(
      {
        leadMinistryId: lead,
        // The lead is not also contributing, and the deck's order is kept.
        contributingMinistryIds: ministries
          .map((ministry) => ministry.id)
          .filter((id) => id !== lead && contributing.has(id)),
        dueDate: dueDate === '' ? null : dueDate,
      },
      { onSuccess: onDone },
    )
  }

  return (
    <form
      className="sign-off-assignment"
      aria-label={t('signOff.assignment.title')}
      aria-describedby={helpId}
      onSubmit={submit}
      data-testid="assignment-editor"
    >
      <p id={helpId} className="form__hint">
        {t('signOff.assignment.help')}
      </p>
      <div className="sign-off-assignment__field">
        <label htmlFor={leadId}>{t('signOff.assignment.lead')}</label>
        <select
          id={leadId}
          value={lead}
          required
          onChange={(event) => setLead(event.target.value)}
          data-testid="assignment-lead"
        >
          {lead === '' ? (
            <option value="" disabled>
              {t('signOff.assignment.choose')}
            </option>
          ) : null}
          {ministries.map((ministry) => (
            <option key={ministry.id} value={ministry.id}>
              {ministry.short} — {ministryName(ministry, language)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="sign-off-assignment__contributing">
        <legend>{t('signOff.assignment.contributing')}</legend>
        <ul className="sign-off-assignment__choices">
          {ministries
            .filter((ministry) => ministry.id !== lead)
            .map((ministry) => (
              <li key={ministry.id}>
                <label className="sign-off-assignment__choice">
                  <input
                    type="checkbox"
                    checked={contributing.has(ministry.id)}
                    onChange={(event) => toggle(ministry.id, event.target.checked)}
                    data-testid="assignment-contributing"
                    value={ministry.id}
                  />
                  <MinistryBadge ministryId={ministry.id} ministries={ministries} />
                  <span className="sign-off-assignment__name">
                    {ministryName(ministry, language)}
                  </span>
                </label>
              </li>
            ))}
        </ul>
      </fieldset>
      <div className="sign-off-assignment__field">
        <label htmlFor={dueId}>{t('signOff.assignment.dueDate')}</label>
        <span className="sign-off-assignment__due">
          <input
            ref={dueRef}
            id={dueId}
            type="date"
            value={dueDate}
            onChange={(event) => setDueDate(event.target.value)}
            data-testid="assignment-due"
          />
          {dueDate === '' ? null : (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setDueDate('')
                // The button goes with the date: the keys stay on the date field.
                dueRef.current?.focus()
              }}
            >
              {t('signOff.assignment.clearDue')}
            </button>
          )}
        </span>
      </div>
      {save.error ? (
        <p className="sign-off__error" role="alert">
          {t('signOff.failed', { message: save.error.message })}
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={lead === '' || save.isPending}
          data-testid="assignment-save"
        >
          {save.isPending ? t('signOff.assignment.saving') : t('signOff.assignment.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('signOff.assignment.cancel')}
        </button>
      </div>
    </form>
  )
}
