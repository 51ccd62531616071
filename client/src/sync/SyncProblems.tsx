import { CloseCode, RejectCode } from '@kartu/protocol'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import type { SyncSession, SyncSnapshot } from './syncSession.ts'

const finalCodes = [4400, 4401, 4403, 4404, 4413, 4429] as const
type FinalCode = (typeof finalCodes)[number]
const isKnownFinal = (code: number): code is FinalCode =>
  (finalCodes as readonly number[]).includes(code)

const transientCodes = [4500, 4503, 4507] as const
type TransientCode = (typeof transientCodes)[number]
const isKnownTransient = (code: number): code is TransientCode =>
  (transientCodes as readonly number[]).includes(code)

const rejectCodes = Object.values(RejectCode)
const isKnownReject = (code: string): code is RejectCode =>
  (rejectCodes as readonly string[]).includes(code)

type Props = { session: SyncSession | null; snapshot: SyncSnapshot | null }

/** What went wrong with the connection, visibly: refused updates and closes by the server. */
export function SyncProblems({ session, snapshot }: Props) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const closedCode = snapshot?.closed?.code ?? null

  useEffect(() => {
    // The session cookie is gone or expired: /api/me will say 401 and the layout shows sign-in.
    if (closedCode === CloseCode.Unauthorized) void queryClient.invalidateQueries({ queryKey: ['me'] })
  }, [closedCode, queryClient])

  if (!session || !snapshot) return null
  const { rejection, closed, lastCloseCode, save } = snapshot
  return (
    <>
      {rejection ? (
        <div className="banner banner--error" role="alert" data-testid="sync-rejected">
          <p>
            {t('sync.rejected', {
              code: rejection.code,
              message: isKnownReject(rejection.code)
                ? t(`sync.rejectReason.${rejection.code}`)
                : rejection.message,
            })}
          </p>
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
            {isKnownFinal(closed.code)
              ? t(`sync.closed.${closed.code}`)
              : t('sync.closed.other', { code: closed.code })}
            {save.pending > 0 ? ` ${t('sync.keptLocally')}` : null}
          </p>
          {closed.code === CloseCode.Unauthorized ? (
            <button
              type="button"
              className="button"
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
      ) : null}
      {!closed && save.state === 'offline' && lastCloseCode !== null && isKnownTransient(lastCloseCode) ? (
        <p className="banner banner--info" role="status" data-testid="sync-retrying">
          {t(`sync.transient.${lastCloseCode}`)}
        </p>
      ) : null}
    </>
  )
}
