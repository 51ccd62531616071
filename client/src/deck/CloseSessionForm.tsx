import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { closeSession } from '../app/api.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { useLanguage } from '../i18n/useLanguage.ts'

/** "Rakor 3 Desember": the default name of a session closed today. */
function todaysName(language: string): string {
  const date = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    day: 'numeric',
    month: 'long',
  }).format(new Date())
  return `Rakor ${date}`
}

/**
 * The chair closes a rakor session from the dashboard: every card changed during it gets a
 * version of the session's name (server: CardVersions.closeSession), to compare against later.
 */
export function CloseSessionForm({ deckId }: { deckId: string }) {
  const { t } = useTranslation()
  const language = useLanguage()
  const nameId = useId()
  const queryClient = useQueryClient()
  const [name, setName] = useState(() => todaysName(language))
  const [status, setStatus] = useState<string | null>(null)
  const close = useMutation({
    mutationFn: (chosen: string) => closeSession(deckId, chosen),
    onSuccess: (result, chosen) => {
      setStatus(t('session.closed', { name: chosen, count: result.versions.length }))
      void queryClient.invalidateQueries({ queryKey: queryKeys.activityOf({ deckId }) })
      for (const { cardId } of result.versions) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.versions(cardId) })
      }
    },
    onError: (error) => setStatus(t('session.failed', { message: error.message })),
  })
  return (
    <form
      className="session-close"
      onSubmit={(event) => {
        event.preventDefault()
        const chosen = name.trim()
        if (chosen !== '' && !close.isPending) close.mutate(chosen)
      }}
      data-testid="session-close"
    >
      <label htmlFor={nameId}>{t('session.label')}</label>
      <input
        id={nameId}
        value={name}
        maxLength={120}
        onChange={(event) => setName(event.target.value)}
        data-testid="session-name"
      />
      <button
        type="submit"
        className="button"
        disabled={name.trim() === '' || close.isPending}
        data-testid="session-submit"
      >
        {close.isPending ? t('session.closing') : t('session.close')}
      </button>
      <span role="status" className="session-close__status" data-testid="session-status">
        {status}
      </span>
    </form>
  )
}
