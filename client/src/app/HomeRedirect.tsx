import { useTranslation } from 'react-i18next'
import { Navigate } from 'react-router'
import { AppHeader } from './AppHeader.tsx'
import { useMe } from './useMe.ts'

/** "/" opens the user's first deck. */
export function HomeRedirect() {
  const { t } = useTranslation()
  const { decks } = useMe()
  const first = decks[0]
  if (first) return <Navigate to={`/decks/${encodeURIComponent(first.id)}`} replace />
  return (
    <>
      <AppHeader />
      <main className="page page--narrow" id="main">
        <p className="notice">{t('app.noDecks')}</p>
      </main>
    </>
  )
}
