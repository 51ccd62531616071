import type { MeResponse } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate } from 'react-router'
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx'
import { closeAllSessions } from '../sync/openSessions.ts'
import { ApiError, NetworkError, signIn } from './api.ts'
import { loadAheadSignedOut } from './loadAhead.ts'
import { queryKeys } from './queryKeys.ts'
import { clearOfflineApiCache } from './serviceWorker.ts'
import { useAfterSettling } from './useAfterSettling.ts'
import { useDocumentTitle } from './useDocumentTitle.ts'
import { waitParts } from './waitTime.ts'

function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from
    // Only a path inside this app: never an absolute URL handed in from elsewhere.
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from
  }
  return '/'
}

export function SignInPage() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const location = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const emailId = useId()
  const passwordId = useId()
  const errorId = useId()
  useDocumentTitle(t('signIn.title'))
  // While the person types, the dashboard's code comes: signing in leads there.
  useAfterSettling(loadAheadSignedOut)

  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: async (me: MeResponse) => {
      // Sessions opened under an earlier sign-in must not carry on as the new user.
      closeAllSessions()
      queryClient.clear()
      // Nor may the offline copies of the previous person's REST answers (before any new one is
      // cached: the new person's pages load only after this).
      await clearOfflineApiCache()
      queryClient.setQueryData(queryKeys.me, me)
      // Asked again once in the background (stale data refetches when the layout mounts): this
      // time through the service worker, which may have taken control during the sign-in, so
      // that a reload while offline knows who is signed in.
      void queryClient.invalidateQueries({ queryKey: queryKeys.me })
      void navigate(returnPath(location.state), { replace: true })
    },
  })

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    mutation.mutate({ email: email.trim(), password })
  }

  // Every refusal in the person's language; the server's own message (English) is never shown.
  let error: string | null = null
  const failure = mutation.error
  if (failure instanceof ApiError) {
    if (failure.status === 401) error = t('signIn.invalid')
    else if (failure.code === 'account_disabled') error = t('signIn.disabled')
    else if (failure.status === 429) {
      if (failure.retryAfterSec === null) error = t('signIn.tooManyLater')
      else {
        const { unit, count } = waitParts(failure.retryAfterSec)
        error = t('signIn.tooMany', { wait: t(`wait.${unit}`, { count }) })
      }
    } else error = t('signIn.failedCode', { code: failure.code })
  } else if (failure instanceof NetworkError) {
    error = t('signIn.failed', { message: t('app.networkError') })
  } else if (failure) {
    error = t('signIn.failed', { message: t('app.badResponse') })
  }

  return (
    <main className="page page--narrow sign-in" id="main">
      <div className="sign-in__language">
        <LanguageSwitch />
      </div>
      <h1>{t('signIn.title')}</h1>
      <p className="sign-in__intro">{t('signIn.intro')}</p>
      <form className="form" onSubmit={onSubmit}>
        <div className="form__field">
          <label htmlFor={emailId}>{t('signIn.email')}</label>
          <input
            id={emailId}
            data-testid="signin-email"
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-describedby={error ? errorId : undefined}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <div className="form__field">
          <label htmlFor={passwordId}>{t('signIn.password')}</label>
          <input
            id={passwordId}
            data-testid="signin-password"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-describedby={error ? errorId : undefined}
            aria-invalid={error ? true : undefined}
          />
        </div>
        {error ? (
          <p className="form__error" id={errorId} role="alert" data-testid="signin-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="button button--primary"
          data-testid="signin-submit"
          disabled={mutation.isPending}
        >
          {mutation.isPending ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </main>
  )
}
