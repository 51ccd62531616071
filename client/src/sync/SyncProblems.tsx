import { CloseCode, RejectCode } from '@kartu/protocol'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { formatClock } from '../app/formatTime.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { closeCodeName, isTooLargeClose, unauthorizedReasonName } from './closeCodes.ts'
import { SaveState } from './savedState.ts'
import type { ServerClose, SyncHalt, SyncSession, SyncSnapshot } from './syncSession.ts'

const rejectCodes: readonly string[] = Object.values(RejectCode)
const isKnownReject = (code: string): code is RejectCode => rejectCodes.includes(code)

type Props = {
  session: SyncSession | null
  snapshot: SyncSnapshot | null
  /**
   * Pieces of refused text the page carried over and shows where they were typed (the card's
   * answer), or null where none are shown: then the refusal is told as a reload.
   */
  carried?: number | null
}

/** What went wrong with the connection, visibly: refused updates and closes by the server. */
export function SyncProblems({ session, snapshot, carried = null }: Props) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const closedCode = snapshot?.closed?.code ?? null

  const offline = snapshot?.save.state === SaveState.Offline
  useEffect(() => {
    // The server refuses an upgrade without a valid session with HTTP 401, which the browser
    // reports as a plain failed connection (1006) that y-websocket retries for ever. So whenever
    // we go offline without a word from the server, ask /api/me: a 401 there makes the layout
    // show the sign-in page. Unsaved changes stay in the offline cache and are sent after
    // signing in again. A 4401 close is not such a case: its banner says why and offers to sign
    // in, and the card stays on screen meanwhile.
    if (offline && closedCode === null) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    }
  }, [offline, closedCode, queryClient])

  if (!session || !snapshot) return null
  const { rejection, reloadedAfter, closed, lastCloseCode, save, halted, discarded } = snapshot
  const reason = (refusal: { code: string; message: string }): string =>
    isKnownReject(refusal.code) ? t(`sync.rejectReason.${refusal.code}`) : refusal.message
  const retryingName =
    !closed && !halted && save.state === SaveState.Offline && lastCloseCode !== null
      ? closeCodeName(lastCloseCode)
      : null

  if (halted) {
    // Nothing else matters meanwhile: the refusals and reloads that led here are this banner.
    return (
      <HaltedBanner
        session={session}
        halted={halted}
        reason={reason(halted.refusal)}
        reloading={snapshot.reloading}
      />
    )
  }
  return (
    <>
      {rejection && !snapshot.reloading ? (
        // While the card reloads after it, the refusal is told once, when the card is back.
        <div className="banner banner--error" role="alert" data-testid="sync-rejected">
          <p>
            {t('sync.rejected', {
              code: rejection.code,
              message: reason(rejection),
            })}
          </p>
          <button type="button" className="button" onClick={() => session.dismissRejection()}>
            {t('sync.dismiss')}
          </button>
        </div>
      ) : null}
      {reloadedAfter && !rejection ? (
        <div
          className="banner banner--error"
          role="alert"
          data-testid="sync-reloaded"
          data-code={reloadedAfter.code}
          data-carried={carried ?? 0}
        >
          <p>
            {carried !== null && carried > 0
              ? t('sync.refusedKept', { code: reloadedAfter.code, message: reason(reloadedAfter) })
              : t('sync.reloaded', { code: reloadedAfter.code, message: reason(reloadedAfter) })}
          </p>
          <button type="button" className="button" onClick={() => session.dismissRejection()}>
            {t('sync.dismiss')}
          </button>
        </div>
      ) : null}
      {discarded ? (
        <div className="banner banner--info" role="status" data-testid="sync-discarded">
          <p>{t('sync.discarded')}</p>
          <button type="button" className="button" onClick={() => session.dismissRejection()}>
            {t('sync.dismiss')}
          </button>
        </div>
      ) : null}
      {closed ? (
        <ClosedBanner
          session={session}
          closed={closed}
          pending={save.pending}
          reloading={snapshot.reloading}
        />
      ) : null}
      {retryingName ? (
        <p className="banner banner--info" role="status" data-testid="sync-retrying">
          {t(`sync.close.${retryingName}`)}
        </p>
      ) : null}
    </>
  )
}

/** The card cannot be synced: refused again right after a fresh load. Never retried silently. */
function HaltedBanner({
  session,
  halted,
  reason,
  reloading,
}: {
  session: SyncSession
  halted: SyncHalt
  reason: string
  reloading: boolean
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const ready = useReached(halted.retryAt)
  return (
    <div
      className="banner banner--error sync-halted"
      role="alert"
      data-testid="sync-halted"
      data-code={halted.refusal.code}
    >
      <div className="banner__text">
        <p>
          <strong>{t('sync.halted.title')}</strong>{' '}
          {t('sync.halted.body', { code: halted.refusal.code, message: reason })}
        </p>
        <p data-testid="sync-retry-at">
          {ready
            ? t('sync.halted.retryNow')
            : t('sync.halted.retryAt', { time: formatClock(halted.retryAt, language) })}
        </p>
      </div>
      <button
        type="button"
        className="button"
        data-testid="sync-retry"
        disabled={!ready || reloading}
        onClick={() => session.tryAgain()}
      >
        {t('sync.halted.retry')}
      </button>
    </div>
  )
}

/** The server closed the connection for good: why, and the way on. */
function ClosedBanner({
  session,
  closed,
  pending,
  reloading,
}: {
  session: SyncSession
  closed: ServerClose
  pending: number
  reloading: boolean
}) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  if (isTooLargeClose(closed.code)) {
    return (
      <div
        className="banner banner--error"
        role="alert"
        data-testid="sync-too-large"
        data-code={closed.code}
      >
        <div className="banner__text">
          <p>
            <strong>{t('sync.close.MessageTooLarge')}</strong> {t('sync.tooLarge.body')}
          </p>
        </div>
        <button
          type="button"
          className="button"
          data-testid="sync-discard"
          disabled={reloading}
          onClick={() => {
            // What is discarded is gone from this device too: ask, as before any such loss.
            if (window.confirm(t('sync.tooLarge.confirm', { count: pending }))) {
              session.discardLocalChanges()
            }
          }}
        >
          {t('sync.tooLarge.discard')}
        </button>
      </div>
    )
  }
  const name = closeCodeName(closed.code)
  let text = name ? t(`sync.close.${name}`) : t('sync.closeOther', { code: closed.code })
  const reasonName =
    closed.code === CloseCode.Unauthorized ? unauthorizedReasonName(closed.reason) : null
  if (reasonName) text = t(`sync.unauthorized.${reasonName}`)
  return (
    <div
      className="banner banner--error"
      role="alert"
      data-testid="sync-closed"
      data-code={closed.code}
      data-reason={closed.reason}
    >
      <p>
        {text}
        {pending > 0 ? ` ${t('sync.keptLocally')}` : null}
      </p>
      {closed.code === CloseCode.Unauthorized ? (
        <button
          type="button"
          className="button"
          data-testid="sync-sign-in"
          onClick={() => void navigate('/sign-in', { state: { from: window.location.pathname } })}
        >
          {t('sync.signIn')}
        </button>
      ) : (
        <button type="button" className="button" onClick={() => session.reconnect()}>
          {t('sync.reconnect')}
        </button>
      )}
    </div>
  )
}

/** True from `at` on (ms since the epoch); re-renders then. */
function useReached(at: number): boolean {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const left = at - Date.now()
    if (left <= 0) {
      setNow(Date.now())
      return
    }
    // A little late rather than early: the button must not look ready before it is.
    const timer = setTimeout(() => setNow(Date.now()), left + 50)
    return () => clearTimeout(timer)
  }, [at])
  return now >= at
}
