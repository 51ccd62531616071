import type { Deck } from '@kartu/protocol'
import { LogOut, UserRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink } from 'react-router'
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { InboxBell } from '../inbox/InboxBell.tsx'
import { ICON } from './icons.ts'
import { deckTitle } from './localized.ts'
import { MinistryBadge } from './MinistryBadge.tsx'
import { useMe } from './useMe.ts'
import { useSignOut } from './useSignOut.ts'

type Props = {
  deck?: Deck | undefined
  /** On the dashboard the deck title is the page's heading; elsewhere it links back to it. */
  deckTitleIsHeading?: boolean
}

export function AppHeader({ deck, deckTitleIsHeading = false }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const { user, ministry } = useMe()
  const { signOut, pending } = useSignOut(user.id)
  const title = deck ? deckTitle(deck, language) : null
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="app-header__context">
        <Link to="/" className="app-header__brand">
          {t('app.name')}
        </Link>
        {deck && title ? (
          deckTitleIsHeading ? (
            <h1 className="app-header__title" title={title}>
              {title}
            </h1>
          ) : (
            <Link
              to={`/decks/${encodeURIComponent(deck.id)}`}
              className="app-header__title"
              title={title}
            >
              {title}
            </Link>
          )
        ) : null}
        {deck ? (
          <NavLink
            to={`/decks/${encodeURIComponent(deck.id)}/members`}
            end
            className="app-header__link"
            data-testid="members-link"
          >
            {t('members.link')}
          </NavLink>
        ) : null}
      </div>
      <nav className="app-header__user" aria-label={t('header.nav')}>
        <InboxBell />
        <span className="app-header__who" data-testid="current-user">
          <NavLink
            to="/account"
            className="app-header__name"
            data-testid="account-link"
            aria-label={t('header.accountOf', { name: user.name })}
          >
            <UserRound {...ICON} className="app-header__name-icon" />
            <span className="app-header__name-text">{user.name}</span>
          </NavLink>
          {ministry ? (
            <MinistryBadge ministryId={ministry.id} ministries={[ministry]} />
          ) : (
            <span className="app-header__ministry">{user.ministryId}</span>
          )}
        </span>
        <LanguageSwitch />
        <button
          type="button"
          className="button button--quiet"
          onClick={signOut}
          disabled={pending}
          data-testid="sign-out"
        >
          <LogOut {...ICON} className="app-header__sign-out-icon" />
          <span className="app-header__sign-out-text">{t('header.signOut')}</span>
        </button>
      </nav>
    </header>
  )
}
