import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { AppHeader } from '../app/AppHeader.tsx'
import { ministryName } from '../app/localized.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMe } from '../app/useMe.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { PasswordChangeForm } from './PasswordChangeForm.tsx'

/** The signed-in person's own account: who they are, and a new password. */
export function AccountPage() {
  const { t } = useTranslation()
  const language = useLanguage()
  const { user, ministry } = useMe()
  const headingId = 'password-heading'
  useDocumentTitle(t('account.title'))
  return (
    <>
      <AppHeader />
      <main className="page page--narrow account-page" id="main">
        <p className="card-page__back">
          <Link to="/">← {t('account.back')}</Link>
        </p>
        <h1>{t('account.title')}</h1>
        <dl className="account-page__facts">
          <dt>{t('account.name')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('account.email')}</dt>
          <dd className="account-page__email">{user.email}</dd>
          <dt>{t('account.ministry')}</dt>
          <dd>{ministry ? ministryName(ministry, language) : user.ministryId}</dd>
        </dl>
        <section className="account-page__section" aria-labelledby={headingId}>
          <h2 id={headingId}>{t('account.password.title')}</h2>
          <p className="account-page__intro">{t('account.password.intro')}</p>
          <PasswordChangeForm email={user.email} />
        </section>
      </main>
    </>
  )
}
