import type { Ministry } from '@kartu/protocol'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ministryName } from '../../app/localized.ts'
import { MinistryBadge } from '../../app/MinistryBadge.tsx'
import { useLanguage } from '../../i18n/useLanguage.ts'
import type { FinalFlow } from './useFinalise.ts'

/**
 * The chair's "final anyway": which ministries have not cleared the text now, and the reason
 * the card is final without them (required; the server records it in the card's history). A
 * modal <dialog>: the browser keeps focus inside it (on the reason field first, the first
 * control in it) and closes it on Esc.
 */
export function FinalOverrideDialog({
  flow,
  missing,
  ministries,
}: {
  flow: FinalFlow
  /** The assigned ministries without a current clearance, as the page knows them now. */
  missing: readonly string[]
  ministries: readonly Ministry[]
}) {
  if (!flow.asking) return null
  return <OpenDialog flow={flow} missing={missing} ministries={ministries} />
}

function OpenDialog({
  flow,
  missing,
  ministries,
}: {
  flow: FinalFlow
  missing: readonly string[]
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const reasonId = useId()
  const [reason, setReason] = useState('')
  const { cancel } = flow

  useEffect(() => {
    const dialog = dialogRef.current
    // Focus goes back where it was (the button or the status list) once the dialog is gone.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (dialog && !dialog.open) dialog.showModal()
    return () => {
      if (dialog?.open) dialog.close()
      before?.focus()
    }
  }, [])

  // Everyone cleared while the dialog was open (the card was read again): no reason needed.
  // Not while the server's refusal is newer than the page's copy of the card, which may not
  // show yet the clearance that went stale.
  const allCleared = missing.length === 0 && flow.serverMessage === null
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (flow.pending) return
    if (allCleared) {
      flow.confirm(null)
      return
    }
    const why = reason.trim()
    if (why !== '') flow.confirm(why)
  }

  return (
    <dialog
      ref={dialogRef}
      className="sign-off-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Esc: closed by React's state, so that the flow knows.
        event.preventDefault()
        cancel()
      }}
      data-testid="final-override-dialog"
    >
      <form className="sign-off-dialog__form" onSubmit={submit}>
        <h2 id={titleId} className="sign-off-dialog__title">
          {t('signOff.final.dialogTitle')}
        </h2>
        {flow.serverMessage === null ? null : (
          <p className="sign-off__error" role="alert" data-testid="final-stale-meanwhile">
            {t('signOff.final.staleMeanwhile', { message: flow.serverMessage })}
          </p>
        )}
        {allCleared ? (
          <p className="sign-off-dialog__text">{t('signOff.final.allClearedNow')}</p>
        ) : (
          <>
            {missing.length === 0 ? null : (
              <>
                <p className="sign-off-dialog__text">{t('signOff.final.dialogIntro')}</p>
                <ul className="sign-off-dialog__missing" data-testid="final-missing">
                  {missing.map((ministryId) => {
                    const ministry = ministries.find((candidate) => candidate.id === ministryId)
                    return (
                      <li key={ministryId}>
                        <MinistryBadge ministryId={ministryId} ministries={ministries} />{' '}
                        {ministry ? ministryName(ministry, language) : null}
                      </li>
                    )
                  })}
                </ul>
              </>
            )}
            <label htmlFor={reasonId} className="sign-off-dialog__label">
              {t('signOff.final.reason')}
            </label>
            <textarea
              id={reasonId}
              value={reason}
              required
              maxLength={2000}
              rows={3}
              onChange={(event) => setReason(event.target.value)}
              data-testid="final-override-reason"
            />
          </>
        )}
        {flow.error ? (
          <p className="sign-off__error" role="alert">
            {t('signOff.failed', { message: flow.error.message })}
          </p>
        ) : null}
        <div className="sign-off-dialog__actions">
          <button
            type="submit"
            className={allCleared ? 'button button--primary' : 'button button--reject'}
            disabled={flow.pending || (!allCleared && reason.trim() === '')}
            data-testid="final-override-confirm"
          >
            {flow.pending
              ? t('signOff.final.marking')
              : allCleared
                ? t('signOff.final.mark')
                : t('signOff.final.confirm')}
          </button>
          <button type="button" className="button" onClick={cancel}>
            {t('signOff.final.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
