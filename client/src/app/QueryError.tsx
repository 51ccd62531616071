import { useTranslation } from 'react-i18next'
import { ApiError, NetworkError } from './api.ts'

/** A failed request, said plainly, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation()
  let message: string
  if (error instanceof ApiError) message = error.message
  else if (error instanceof NetworkError) message = t('app.networkError')
  else message = t('app.badResponse')
  return (
    <div className="notice notice--error" role="alert">
      <p>{t('app.error', { message })}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {t('app.retry')}
        </button>
      ) : null}
    </div>
  )
}
