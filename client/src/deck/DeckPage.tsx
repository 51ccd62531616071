import { type Card, type Cluster, Role } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ActivityFeed } from '../app/ActivityFeed.tsx'
import { AppHeader } from '../app/AppHeader.tsx'
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
import { DeckSuggestOnlyToggle } from './DeckSuggestOnlyToggle.tsx'
import { FollowToggle } from './FollowToggle.tsx'
import { useDeckPresence } from './useDeckPresence.ts'
import { useFollowChair } from './useFollowChair.ts'

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
            {cards.data.cards.length === 0 ? <p className="notice">{t('deck.empty')}</p> : null}
            {groupByCluster(
              cards.data.cards,
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
