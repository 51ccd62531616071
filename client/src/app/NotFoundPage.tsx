import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from './useDocumentTitle.ts'

export function NotFoundPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('app.notFound'))
  return (
    <main className="page page--narrow" id="main">
      <h1>{t('app.notFound')}</h1>
      <p>
        <Link to="/">{t('app.toHome')}</Link>
      </p>
    </main>
  )
}
