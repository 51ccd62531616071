import { CloseCode, RejectCode } from '@kartu/protocol'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { queryKeys } from '../app/queryKeys.ts'
import { SaveState } from './savedState.ts'
import type { SyncSession, SyncSnapshot } from './syncSession.ts'

type CloseCodeName = keyof typeof CloseCode

function closeCodeName(code: number): CloseCodeName | null {
  for (const name of Object.keys(CloseCode) as CloseCodeName[]) {
    if (CloseCode[name] === code) return name
  }
  return null
}

const rejectCodes: readonly string[] = Object.values(RejectCode)
const isKnownReject = (code: string): code is RejectCode => rejectCodes.includes(code)

type Props = { session: SyncSession | null; snapshot: SyncSnapshot | null }

/** What went wrong with the connection, visibly: refused updates and closes by the server. */
export function SyncProblems({ session, snapshot }: Props) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const closedCode = snapshot?.closed?.code ?? null

  const offline = snapshot?.save.state === SaveState.Offline
  useEffect(() => {
    // The server refuses an upgrade without a valid session with HTTP 401, which the browser
    // reports as a plain failed connection (1006) that y-websocket retries for ever. So whenever
    // we go offline, ask /api/me: a 401 there makes the layout show the sign-in page. Unsaved
    // changes stay in the offline cache and are sent after signing in again.
    if (offline || closedCode === CloseCode.Unauthorized) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    }
  }, [offline, closedCode, queryClient])

  if (!session || !snapshot) return null
  const { rejection, reloadedAfter, closed, lastCloseCode, save } = snapshot
  const reason = (refusal: { code: string; message: string }): string =>
    isKnownReject(refusal.code) ? t(`sync.rejectReason.${refusal.code}`) : refusal.message
  const closedName = closed ? closeCodeName(closed.code) : null
  const retryingName =
    !closed && save.state === SaveState.Offline && lastCloseCode !== null
      ? closeCodeName(lastCloseCode)
      : null

  return (
    <>
      {rejection ? (
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
        >
          <p>{t('sync.reloaded', { code: reloadedAfter.code, message: reason(reloadedAfter) })}</p>
          <button type="button" className="button" onClick={() => session.dismissRejection()}>
            {t('sync.dismiss')}
          </button>
        </div>
      ) : null}
      {closed ? (
        <div
          className="banner banner--error"
          role="alert"
          data-testid="sync-closed"
          data-code={closed.code}
        >
          <p>
            {closedName
              ? t(`sync.close.${closedName}`)
              : t('sync.closeOther', { code: closed.code })}
            {save.pending > 0 ? ` ${t('sync.keptLocally')}` : null}
          </p>
          {closed.code === CloseCode.Unauthorized ? (
            <button
              type="button"
              className="button"
              onClick={() =>
                void navigate('/sign-in', { state: { from: window.location.pathname } })
              }
            >
              {t('sync.signIn')}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => session.reconnect()}>
              {t('sync.reconnect')}
            </button>
          )}
        </div>
      ) : null}
      {retryingName ? (
        <p className="banner banner--info" role="status" data-testid="sync-retrying">
          {t(`sync.close.${retryingName}`)}
        </p>
      ) : null}
    </>
  )
}
