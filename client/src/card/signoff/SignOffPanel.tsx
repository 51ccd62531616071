import { type Card, type Ministry, missingClearances, Role } from '@kartu/protocol'
import { BadgeCheck } from 'lucide-react'
import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../../app/icons.ts'
import { ComparedVersions } from '../history/ComparedVersions.tsx'
import { AssignmentEditor } from './AssignmentEditor.tsx'
import { DueDate } from './DueDate.tsx'
import { FinalOverrideDialog } from './FinalOverrideDialog.tsx'
import { linkedComparison } from './linkedComparison.ts'
import { MinistrySignOffRow } from './MinistrySignOffRow.tsx'
import { SIGN_OFF_REFUSALS, signOffRefusal } from './signOffErrors.ts'
import { canClear, canWithdraw, ministrySignOffs, signOffProgress } from './signOffState.ts'
import { useClearanceRefresh } from './useClearanceRefresh.ts'
import { useFinalise } from './useFinalise.ts'
import { useRevealOnArrival } from './useRevealOnArrival.ts'
import { useGiveClearance, useWithdrawClearance } from './useSignOffMutations.ts'

/** The section's heading, where the header's summary takes the reader. */
export const SIGN_OFF_HEADING_ID = 'sign-off-heading'

/**
 * The card's sign-off (issue 16): who must clear the answer and by when, where each ministry's
 * clearance stands, the person's own "clear for my ministry", and the chair's assignment and
 * "mark final".
 */
export function SignOffPanel({
  card,
  ministries,
  role,
  myMinistryId,
  changed,
  compareVersionId,
}: {
  card: Card
  ministries: readonly Ministry[]
  role: Role
  /** The signed-in person's ministry: the only one they clear for. */
  myMinistryId: string
  /** Changes each time the answer changes: a clearance may have gone stale on the server. */
  changed: unknown
  /** The version the card's address asks to compare with the answer now (`?compare=`), or null. */
  compareVersionId: string | null
}) {
  const { t } = useTranslation()
  const helpId = useId()
  const statusRef = useRef<HTMLParagraphElement>(null)
  const editRef = useRef<HTMLButtonElement>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [editing, setEditing] = useState(false)
  const give = useGiveClearance(card.id)
  const withdraw = useWithdrawClearance(card.id)
  const announce = (message: string) => {
    setStatus(message)
    // The button pressed is gone (a clearance given becomes one to withdraw): the keys go to
    // the news instead of the top of the page.
    requestAnimationFrame(() => statusRef.current?.focus())
  }
  // Decided once, as the card opened: a clearance given or gone meanwhile moves nothing.
  const [linked, setLinked] = useState(() =>
    linkedComparison(ministrySignOffs(card), compareVersionId, myMinistryId),
  )
  const revealSince = useRevealOnArrival(linked?.kind === 'version')
  const final = useFinalise(card, () => announce(t('signOff.final.marked')))
  useClearanceRefresh(
    card.id,
    card.clearances.some((clearance) => clearance.current),
    changed,
  )

  const entries = ministrySignOffs(card)
  const progress = signOffProgress(card)
  const missing = missingClearances(card)
  const person = { role, ministryId: myMinistryId }
  const isFinal = card.status === 'final'
  const isChair = role === Role.Chair
  const shortName = (ministryId: string) =>
    ministries.find((ministry) => ministry.id === ministryId)?.short ?? ministryId
  const mine = shortName(myMinistryId)

  const actionError = give.error ?? withdraw.error
  const refusal = signOffRefusal(actionError)
  let errorText: string | null = null
  if (refusal) errorText = t(SIGN_OFF_REFUSALS[refusal])
  else if (actionError) errorText = t('signOff.failed', { message: actionError.message })

  const clear = () => {
    withdraw.reset()
    give.mutate(undefined, {
      onSuccess: () => announce(t('signOff.given', { ministry: mine })),
    })
  }
  const withdrawFor = (ministryId: string) => {
    give.reset()
    withdraw.mutate(ministryId, {
      onSuccess: () => announce(t('signOff.withdrawn', { ministry: shortName(ministryId) })),
    })
  }

  return (
    <section
      className={`sign-off${isFinal ? ' sign-off--final' : ''}`}
      aria-labelledby={SIGN_OFF_HEADING_ID}
      data-testid="sign-off"
    >
      <div className="sign-off__head">
        <h2 id={SIGN_OFF_HEADING_ID} ref={headingRef} className="sign-off__title" tabIndex={-1}>
          {t('signOff.title')}
        </h2>
        {progress.total > 0 ? (
          <p className="sign-off__progress" data-testid="sign-off-progress">
            <span className="sign-off__meter" aria-hidden="true">
              {entries.map((entry) => (
                <span
                  key={entry.ministryId}
                  className={`sign-off__meter-step sign-off__meter-step--${entry.state}`}
                />
              ))}
            </span>
            {t('signOff.progress', { cleared: progress.cleared, count: progress.total })}
          </p>
        ) : null}
      </div>
      <DueDate dueDate={card.dueDate} final={isFinal} />
      {isFinal ? (
        <p className="sign-off__final" data-testid="sign-off-final">
          <BadgeCheck {...ICON} /> {t('signOff.final.done')}
          {isChair ? ` ${t('signOff.final.reopenHint')}` : ''}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="sign-off__empty">{t('signOff.noMinistries')}</p>
      ) : (
        <ul className="sign-off__list" aria-label={t('signOff.listLabel')}>
          {entries.map((entry) => (
            <MinistrySignOffRow
              key={entry.ministryId}
              cardId={card.id}
              entry={entry}
              ministries={ministries}
              linked={linked?.kind === 'clearance' && linked.ministryId === entry.ministryId}
              withdraw={
                canWithdraw(card, person, entry.ministryId)
                  ? {
                      pending: withdraw.isPending && withdraw.variables === entry.ministryId,
                      onWithdraw: () => withdrawFor(entry.ministryId),
                    }
                  : null
              }
            />
          ))}
        </ul>
      )}
      {linked?.kind === 'version' ? (
        <div className="sign-off__since" data-testid="sign-off-since-cleared">
          <ComparedVersions
            cardId={card.id}
            from={linked.versionId}
            to={null}
            title={t('signOff.sinceYouCleared')}
            ministries={ministries}
            revealRef={revealSince}
          />
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setLinked(null)
              // The comparison and its button are gone: the keys stay in the section.
              headingRef.current?.focus()
            }}
            data-testid="sign-off-since-close"
          >
            {t('signOff.hideChanges')}
          </button>
        </div>
      ) : null}
      {canClear(card, person) ? (
        <div className="sign-off__mine">
          <button
            type="button"
            className="button button--primary"
            aria-describedby={helpId}
            disabled={give.isPending}
            onClick={clear}
            data-testid="sign-off-clear"
          >
            <BadgeCheck {...ICON} />
            {give.isPending ? t('signOff.clearing') : t('signOff.clearFor', { ministry: mine })}
          </button>
          <p id={helpId} className="form__hint">
            {t('signOff.clearHelp', { ministry: mine })}
          </p>
        </div>
      ) : null}
      {errorText === null ? null : (
        <p className="sign-off__error" role="alert" data-testid="sign-off-error">
          {errorText}
        </p>
      )}
      {isChair ? (
        <div className="sign-off__chair">
          <div className="form-actions">
            <button
              ref={editRef}
              type="button"
              className="button"
              aria-expanded={editing}
              onClick={() => setEditing(!editing)}
              data-testid="assignment-edit"
            >
              {t('signOff.assignment.edit')}
            </button>
            {isFinal ? null : (
              <button
                type="button"
                // The chair's next step once every ministry has cleared.
                className={
                  missing.length === 0 && progress.total > 0 ? 'button button--primary' : 'button'
                }
                aria-describedby={missing.length > 0 ? `${helpId}-final` : undefined}
                disabled={final.pending}
                onClick={final.start}
                data-testid="mark-final"
              >
                <BadgeCheck {...ICON} />
                {final.pending && !final.asking
                  ? t('signOff.final.marking')
                  : t('signOff.final.mark')}
              </button>
            )}
          </div>
          {!isFinal && missing.length > 0 ? (
            <p id={`${helpId}-final`} className="form__hint">
              {t('signOff.final.missingHint')}
            </p>
          ) : null}
          {final.error && !final.asking ? (
            <p className="sign-off__error" role="alert" data-testid="mark-final-error">
              {t('signOff.failed', { message: final.error.message })}
            </p>
          ) : null}
          {editing ? (
            <AssignmentEditor
              card={card}
              ministries={ministries}
              onDone={() => {
                setEditing(false)
                announce(t('signOff.assignment.saved'))
              }}
              onCancel={() => {
                setEditing(false)
                editRef.current?.focus()
              }}
            />
          ) : null}
          <FinalOverrideDialog flow={final} missing={missing} ministries={ministries} />
        </div>
      ) : null}
      <p
        ref={statusRef}
        className="sign-off__status"
        role="status"
        tabIndex={-1}
        data-testid="sign-off-status"
      >
        {status}
      </p>
    </section>
  )
}
