import type { InboxItem, Ministry } from '@kartu/protocol'
import { useQueries } from '@tanstack/react-query'
import { CheckCheck } from 'lucide-react'
import { useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { AppHeader } from '../app/AppHeader.tsx'
import { fetchDeck } from '../app/api.ts'
import { ICON } from '../app/icons.ts'
import { QueryError } from '../app/QueryError.tsx'
import { queryKeys } from '../app/queryKeys.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMe } from '../app/useMe.ts'
import { InboxItemRow } from './InboxItemRow.tsx'
import { useInboxItems, useInboxUnread, useMarkInboxRead } from './inboxQueries.ts'
import { NotificationSettingsSection } from './NotificationSettingsForm.tsx'
import { useNow } from './useNow.ts'

/** Relative times ("5 menit yang lalu") are renewed this often. */
const CLOCK_MS = 30_000

/**
 * The person's ministries' names and colours for the items' decks, from the decks' own answers
 * (the dashboard has usually asked for them already). The person's own ministry is always known.
 */
function useMinistriesOf(deckIds: readonly string[], own: Ministry | null): Ministry[] {
  const decks = useQueries({
    queries: deckIds.map((deckId) => ({
      queryKey: queryKeys.deck(deckId),
      queryFn: () => fetchDeck(deckId),
    })),
  })
  const byId = new Map<string, Ministry>()
  if (own) byId.set(own.id, own)
  for (const deck of decks) {
    for (const ministry of deck.data?.deck.ministries ?? []) byId.set(ministry.id, ministry)
  }
  return [...byId.values()]
}

/**
 * What waits for the person across their decks, newest first: mentions, replies, decisions on
 * their suggestions, stale clearances, assignments, due dates near. Opening an item marks it read.
 * Its settings (e-mail, muted kinds) follow the list.
 */
export function InboxPage() {
  const { t } = useTranslation()
  const me = useMe()
  const headingId = useId()
  const showId = useId()
  // Kept in the address: Back from a card returns to the same view.
  const [params, setParams] = useSearchParams()
  const unreadOnly = params.get('show') === 'unread'
  const items = useInboxItems(unreadOnly)
  const unread = useInboxUnread()
  const markRead = useMarkInboxRead()
  const now = useNow(CLOCK_MS)
  const list = items.data?.items ?? []
  const unreadCount = unread.data ?? items.data?.unread ?? 0
  useDocumentTitle(t('inbox.title'))

  const deckIds = useMemo(() => [...new Set(list.map((item) => item.deckId))].sort(), [list])
  const ministries = useMinistriesOf(deckIds, me.ministry)
  const deckTitles = new Map(me.decks.map((deck) => [deck.id, deck.title]))
  const severalDecks = me.decks.length > 1

  const open = (item: InboxItem) => markRead.mutate([item.id])
  const show = (next: 'all' | 'unread') => {
    const search = new URLSearchParams(params)
    if (next === 'unread') search.set('show', 'unread')
    else search.delete('show')
    setParams(search, { replace: true })
  }

  return (
    <>
      <AppHeader />
      <main className="page inbox-page" id="main" aria-labelledby={headingId}>
        <h1 id={headingId} className="inbox-page__title">
          {t('inbox.title')}
          {unreadCount > 0 ? (
            <span className="inbox-page__count">
              {' '}
              {t('inbox.unreadCount', { count: unreadCount })}
            </span>
          ) : null}
        </h1>
        <p className="inbox-page__intro">{t('inbox.intro')}</p>
        <div className="inbox-toolbar">
          <fieldset className="segmented" aria-describedby={showId}>
            <legend id={showId} className="visually-hidden">
              {t('inbox.show')}
            </legend>
            {(['all', 'unread'] as const).map((choice) => {
              const on = (choice === 'unread') === unreadOnly
              return (
                <button
                  key={choice}
                  type="button"
                  className={on ? 'segmented__option segmented__option--on' : 'segmented__option'}
                  aria-pressed={on}
                  onClick={() => show(choice)}
                  data-testid={`inbox-show-${choice}`}
                >
                  {t(`inbox.${choice}`)}
                </button>
              )
            })}
          </fieldset>
          <button
            type="button"
            className="button"
            onClick={() => markRead.mutate('all')}
            disabled={unreadCount === 0 || markRead.isPending}
            data-testid="inbox-mark-all-read"
          >
            <CheckCheck {...ICON} />
            {t('inbox.markAllRead')}
          </button>
        </div>
        {markRead.error ? (
          <p className="form__error" role="alert">
            {t('inbox.markFailed', { message: markRead.error.message })}
          </p>
        ) : null}
        {items.error && !items.data ? (
          <QueryError error={items.error} onRetry={() => void items.refetch()} />
        ) : items.isPending ? (
          <p className="loading" role="status">
            {t('inbox.loading')}
          </p>
        ) : list.length === 0 ? (
          <p className="notice inbox-page__empty" data-testid="inbox-empty">
            {unreadOnly ? t('inbox.emptyUnread') : t('inbox.empty')}
          </p>
        ) : (
          <ol className="inbox-list" aria-labelledby={headingId} data-testid="inbox-list">
            {list.map((item) => (
              <InboxItemRow
                key={item.id}
                item={item}
                ministries={ministries}
                deckTitle={severalDecks ? (deckTitles.get(item.deckId) ?? null) : null}
                now={now}
                onOpen={open}
              />
            ))}
          </ol>
        )}
        <NotificationSettingsSection />
      </main>
    </>
  )
}
