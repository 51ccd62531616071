import { type Card, type Cluster, Role } from '@kartu/protocol'
import { useCallback, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import { ActivityFeed } from '../app/ActivityFeed.tsx'
import { AppHeader } from '../app/AppHeader.tsx'
import { localDay } from '../app/dueDate.ts'
import { Loading } from '../app/Loading.tsx'
import { clusterName, deckTitle } from '../app/localized.ts'
import { QueryError } from '../app/QueryError.tsx'
import { SuggestOnlyBadge } from '../app/SuggestOnlySwitch.tsx'
import { useCards, useDeckVisits } from '../app/useCards.ts'
import { useDeck } from '../app/useDeck.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMe } from '../app/useMe.ts'
import { DeckExportMenu } from '../briefing/ExportMenu.tsx'
import { DeckImportForm } from '../briefing/WordImportForm.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { CardRow } from './CardRow.tsx'
import { CloseSessionForm } from './CloseSessionForm.tsx'
import { DeckProgress } from './DeckProgress.tsx'
import { DeckSearch } from './DeckSearch.tsx'
import { DeckSuggestOnlyToggle } from './DeckSuggestOnlyToggle.tsx'
import { FilterBar } from './FilterBar.tsx'
import { FollowToggle } from './FollowToggle.tsx'
import { useDeckPresence } from './useDeckPresence.ts'
import { useFollowChair } from './useFollowChair.ts'
import { useFilteredCards } from './useWorkList.ts'
import {
  filtersFromParams,
  isFiltered,
  NO_FILTERS,
  searchFromParams,
  type WorkListFilters,
  workListSearch,
} from './workListFilters.ts'

type Group = { id: string; name: string; cards: Card[] }

/** Cards by cluster, clusters in the deck's order; cards of an unknown cluster come last. */
function groupByCluster(
  cards: readonly Card[],
  clusters: readonly Cluster[],
  nameOf: (cluster: Cluster) => string,
  otherName: string,
): Group[] {
  const sorted = [...cards].sort((a, b) => a.position - b.position || a.ref.localeCompare(b.ref))
  const groups: Group[] = clusters.map((cluster) => ({
    id: cluster.id,
    name: nameOf(cluster),
    cards: sorted.filter((card) => card.cluster === cluster.id),
  }))
  const known = new Set(clusters.map((cluster) => cluster.id))
  const other = sorted.filter((card) => !known.has(card.cluster))
  if (other.length > 0) groups.push({ id: '', name: otherName, cards: other })
  return groups.filter((group) => group.cards.length > 0)
}

export function DeckPage() {
  const { deckId = '' } = useParams()
  const { t } = useTranslation()
  const language = useLanguage()
  const deck = useDeck(deckId)
  const cards = useCards(deckId)
  const visits = useDeckVisits(deckId)
  const { user } = useMe()
  const isChair = deck.data?.role === Role.Chair
  // The chair on the dashboard shows no card: followers stay where they are.
  const presence = useDeckPresence(deckId, null, isChair ? null : undefined)
  const follow = useFollowChair(deckId, presence.peers, null)
  useDocumentTitle(deck.data ? deckTitle(deck.data.deck, language) : null)

  // The work list's filters and search words live in the address: a filtered view is shared
  // and reloaded as it is. Changes replace the entry, so Back leaves the dashboard.
  const [searchParams] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const filters = useMemo(() => filtersFromParams(searchParams), [searchParams])
  const filtered = isFiltered(filters)
  const filteredCards = useFilteredCards(deckId, filters)
  const goTo = useCallback(
    (next: WorkListFilters, words: string) => {
      const search = workListSearch(searchParams, next, words)
      if (search === location.search) return
      void navigate({ search }, { replace: true, preventScrollReset: true })
    },
    [searchParams, location.search, navigate],
  )
  const words = searchFromParams(searchParams)
  const setFilters = (next: WorkListFilters) => goTo(next, words)
  const setWords = useCallback(
    (next: string) => goTo(filtersFromParams(searchParams), next),
    [goTo, searchParams],
  )
  const today = localDay(new Date())
  const workList = useRef<HTMLElement>(null)
  const clearFilters = () => {
    setFilters(NO_FILTERS)
    // The button goes with the filters: focus moves to the first filter (or, on a phone, the
    // button that shows them), not to the top of the page.
    requestAnimationFrame(() => {
      const targets = workList.current?.querySelectorAll<HTMLElement>('.chip, .filter-bar__toggle')
      for (const target of targets ?? []) {
        if (target.offsetParent !== null) {
          target.focus()
          return
        }
      }
    })
  }

  // Data we already have wins over a failed refresh: offline, the dashboard stays usable.
  const error = (deck.data ? null : deck.error) ?? (cards.data ? null : cards.error)
  return (
    <>
      <AppHeader deck={deck.data?.deck} deckTitleIsHeading />
      <main className="page page--wide" id="main">
        {error ? (
          <QueryError
            error={error}
            onRetry={() => {
              void deck.refetch()
              void cards.refetch()
            }}
          />
        ) : !deck.data || !cards.data ? (
          <Loading />
        ) : (
          <>
            <p className="deck-meta">
              <span>
                {deck.data.deck.committee} · {deck.data.deck.stateParty}
              </span>
              <span>{t('deck.yourRole', { role: t(`role.${deck.data.role}`) })}</span>
              <span>{t('deck.cardCount', { count: cards.data.cards.length })}</span>
              {isChair ? null : <FollowToggle follow={follow} />}
            </p>
            <div className="deck-actions">
              <DeckExportMenu deckId={deckId} />
              {isChair ? <DeckImportForm deckId={deckId} /> : null}
            </div>
            {isChair ? (
              <div className="deck-switches">
                <DeckSuggestOnlyToggle deck={deck.data.deck} />
                <CloseSessionForm deckId={deckId} />
              </div>
            ) : deck.data.deck.suggestOnly ? (
              <p className="deck-switches">
                <SuggestOnlyBadge testId="deck-suggest-only-badge" />
              </p>
            ) : null}
            {cards.data.cards.length === 0 ? (
              <p className="notice">{t('deck.empty')}</p>
            ) : (
              <section ref={workList} className="work-list" aria-label={t('workList.title')}>
                <DeckProgress cards={cards.data.cards} />
                <DeckSearch deckId={deckId} initialWords={words} onWordsSettled={setWords} />
                <FilterBar
                  filters={filters}
                  clusters={deck.data.deck.clusters}
                  onChange={setFilters}
                />
                <WorkListStatus
                  filtered={filtered}
                  total={cards.data.cards.length}
                  shown={filteredCards.data?.cards.length ?? null}
                  pending={filteredCards.isPending || filteredCards.isPlaceholderData}
                  error={filteredCards.error}
                  onClear={clearFilters}
                />
              </section>
            )}
            {groupByCluster(
              filtered ? (filteredCards.data?.cards ?? []) : cards.data.cards,
              deck.data.deck.clusters,
              (cluster) => clusterName(cluster, language),
              t('deck.otherCluster'),
            ).map((group) => (
              <section
                key={group.id}
                className="cluster"
                aria-labelledby={`cluster-${group.id}`}
                data-cluster-id={group.id}
              >
                <h2 id={`cluster-${group.id}`} className="cluster__title">
                  {group.name}{' '}
                  <span className="cluster__count">
                    ({t('deck.cardCount', { count: group.cards.length })})
                  </span>
                </h2>
                <div className="card-list__head" aria-hidden="true">
                  <span>{t('deck.columns.ref')}</span>
                  <span>{t('deck.columns.question')}</span>
                  <span>{t('deck.columns.lead')}</span>
                  <span>{t('deck.columns.status')}</span>
                  <span>{t('deck.columns.words')}</span>
                  <span>{t('deck.columns.review')}</span>
                  <span>{t('deck.columns.presence')}</span>
                </div>
                <ul className="card-list">
                  {group.cards.map((card) => (
                    <CardRow
                      key={card.id}
                      card={card}
                      ministries={deck.data.deck.ministries}
                      people={presence.byCard.get(card.id) ?? []}
                      myMinistryId={user.ministryId}
                      visit={visits.data?.get(card.id) ?? null}
                      today={today}
                    />
                  ))}
                </ul>
              </section>
            ))}
            <ActivityFeed
              scope={{ deckId }}
              ministries={deck.data.deck.ministries}
              title={t('activity.deckTitle')}
            />
          </>
        )}
      </main>
    </>
  )
}

type StatusProps = {
  filtered: boolean
  total: number
  /** Cards the server matched; null until it answered. */
  shown: number | null
  pending: boolean
  error: Error | null
  onClear: () => void
}

/**
 * What the filters left: "Menampilkan 4 dari 16 kartu", said to screen readers as it changes;
 * none at all says so, with a way back to every card.
 */
function WorkListStatus({ filtered, total, shown, pending, error, onClear }: StatusProps) {
  const { t } = useTranslation()
  let text = ''
  if (filtered) {
    if (error && shown === null) text = t('workList.failed', { message: error.message })
    else if (shown === null || pending) text = t('workList.loading')
    else if (shown === 0) text = t('workList.noMatch')
    else text = t('workList.showing', { shown, count: total })
  }
  return (
    <div className="work-list__status">
      <p
        className={shown === 0 && !pending ? 'work-list__count notice' : 'work-list__count'}
        role="status"
        data-testid="work-list-status"
      >
        {text}
      </p>
      {filtered ? (
        <button type="button" className="button" onClick={onClear} data-testid="work-list-clear">
          {t('workList.clearFilters')}
        </button>
      ) : null}
    </div>
  )
}
