import { cardDocumentName, Role } from '@kartu/protocol'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { AppHeader } from '../app/AppHeader.tsx'
import { Loading } from '../app/Loading.tsx'
import { deckTitle } from '../app/localized.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { SuggestOnlyBadge } from '../app/SuggestOnlySwitch.tsx'
import { useCard } from '../app/useCard.ts'
import { useDeck } from '../app/useDeck.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMeAsAuthor } from '../app/useMeAsAuthor.ts'
import { usePresenceUser } from '../app/usePresenceUser.ts'
import { WordBudget } from '../app/WordBudget.tsx'
import { CardExportMenu } from '../briefing/ExportMenu.tsx'
import { CardImportForm } from '../briefing/WordImportForm.tsx'
import { FollowToggle } from '../deck/FollowToggle.tsx'
import { peopleIn } from '../deck/presence.ts'
import { useDeckPresence } from '../deck/useDeckPresence.ts'
import { useFollowChair } from '../deck/useFollowChair.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { linkedCompareVersion, linkedReviewItem } from '../inbox/inboxLink.ts'
import { syncStopped } from '../sync/syncSession.ts'
import { useAwarenessStates } from '../sync/useAwarenessStates.ts'
import { useSyncSession } from '../sync/useSyncSession.ts'
import { useSyncState } from '../sync/useSyncState.ts'
import { CardDataPending } from './CardDataPending.tsx'
import { CardPeople } from './CardPeople.tsx'
import { CardStatus } from './CardStatus.tsx'
import { CardSuggestOnlyToggle } from './CardSuggestOnlyToggle.tsx'
import { CardWorkspace } from './CardWorkspace.tsx'
import { useSinceVisitQuery } from './history/SinceVisit.tsx'
import { LockCardToggle } from './LockCardToggle.tsx'
import { QuestionBlock } from './QuestionBlock.tsx'
import type { ActiveItem } from './reviewActions.ts'
import { SignOffSummary } from './signoff/SignOffSummary.tsx'
import { useAnswerWordCount } from './useAnswerWordCount.ts'

export function CardPage() {
  const { cardId = '' } = useParams()
  // Another card (following the chair, say) starts afresh: nothing chosen, nothing half-written.
  return <CardPageContent key={cardId} cardId={cardId} />
}

function CardPageContent({ cardId }: { cardId: string }) {
  const { t } = useTranslation()
  const user = usePresenceUser()
  const me = useMeAsAuthor()
  const cardQuery = useCard(cardId)
  // Asked with the card, not once the editor is up: the highlights are ready with the document.
  useSinceVisitQuery(cardId, true)
  const deckId = cardQuery.data?.card.deckId
  const deckQuery = useDeck(deckId)
  // An inbox item's link (?thread=, ?suggestion=) opens the card with that item chosen; the
  // editor scrolls to it once its span is drawn (revealActive.ts). ?compare= opens, in the
  // sign-off panel, what changed since the text a clearance held (linkedComparison.ts).
  const [searchParams] = useSearchParams()
  const [active, setActive] = useState<ActiveItem | null>(() => linkedReviewItem(searchParams))
  const compareVersionId = linkedCompareVersion(searchParams)

  // Open the card document only once the server said the card exists and we may see it.
  const session = useSyncSession(user.id, cardQuery.data ? cardDocumentName(cardId) : null)
  const snapshot = useSyncState(session)
  // The connection's word on our role is newer than the page's (a chair may change it live).
  const role = snapshot?.permission?.role ?? cardQuery.data?.role
  const locked = snapshot?.permission?.locked ?? cardQuery.data?.card.locked ?? false
  // "Everyone suggests": the card's own switch or its deck's; the connection's word is newest.
  const suggestOnly =
    snapshot?.permission?.suggestOnly ??
    (cardQuery.data?.card.suggestOnly === true || deckQuery.data?.deck.suggestOnly === true)
  // Set elsewhere (another chair, the dashboard, the command line): the page's copies of the
  // card's and the deck's own switches are read again, so the chair's toggle shows which is on.
  const queryClient = useQueryClient()
  const liveSuggestOnly = snapshot?.permission?.suggestOnly
  const lastSuggestOnly = useRef(liveSuggestOnly)
  useEffect(() => {
    const previous = lastSuggestOnly.current
    lastSuggestOnly.current = liveSuggestOnly
    // Only a change: the first word of a connection matches what the page has just loaded.
    if (previous === undefined || liveSuggestOnly === undefined || previous === liveSuggestOnly) {
      return
    }
    void queryClient.invalidateQueries({ queryKey: queryKeys.card(cardId), exact: true })
    if (deckId)
      void queryClient.invalidateQueries({ queryKey: queryKeys.deck(deckId), exact: true })
  }, [liveSuggestOnly, queryClient, cardId, deckId])

  // Presence on the deck document tells the dashboard which card we are on; the chair also
  // publishes the suggestion they have chosen, for those who follow.
  const focus =
    role === Role.Chair && cardQuery.data
      ? {
          cardId,
          suggestionId: active?.kind === 'suggestion' ? active.id : null,
          view: 'card' as const,
        }
      : undefined
  const presence = useDeckPresence(deckId, cardQuery.data ? cardId : null, focus)
  const onFollowedFocus = useCallback((suggestionId: string | null) => {
    setActive(suggestionId ? { kind: 'suggestion', id: suggestionId, reveal: Date.now() } : null)
  }, [])
  const here = useMemo(() => ({ cardId, view: 'card' as const }), [cardId])
  const follow = useFollowChair(deckId, presence.peers, here, onFollowedFocus)
  const stopFollowing = follow.stopForTyping

  const peers = useAwarenessStates(session?.awareness ?? null)
  const people = useMemo(() => peopleIn(peers, user.id), [peers, user.id])
  const liveWords = useAnswerWordCount(session)
  const language = useLanguage()
  useDocumentTitle(
    cardQuery.data?.card.ref,
    deckQuery.data ? deckTitle(deckQuery.data.deck, language) : null,
  )

  if (!cardQuery.data || !deckQuery.data) {
    return (
      <>
        <AppHeader deck={deckQuery.data?.deck} />
        <main className="page" id="main">
          <CardDataPending card={cardQuery} deck={deckQuery} />
        </main>
      </>
    )
  }

  const { card } = cardQuery.data
  const { deck } = deckQuery.data
  const cardRole = role ?? cardQuery.data.role
  return (
    <>
      <AppHeader deck={deck} />
      <main className="page page--wide card-page" id="main">
        <p className="card-page__back">
          <Link to={`/decks/${encodeURIComponent(deck.id)}`}>← {t('card.back')}</Link>
        </p>
        <article className="card-page__card" aria-labelledby="card-title">
          <header className="card-page__header">
            <h1 id="card-title" className="card-page__title">
              {card.ref}
            </h1>
            <CardStatus card={card} role={cardRole} ministries={deck.ministries} />
            <SignOffSummary card={card} />
            {cardRole === Role.Chair ? (
              <>
                <LockCardToggle card={card} locked={locked} />
                <CardSuggestOnlyToggle card={card} deck={deck} on={suggestOnly} />
              </>
            ) : suggestOnly ? (
              <SuggestOnlyBadge />
            ) : null}
            <Link
              className="button"
              to={`/cards/${encodeURIComponent(card.id)}/present`}
              data-testid="present-link"
            >
              {cardRole === Role.Chair ? t('present.open') : t('present.openReadOnly')}
            </Link>
            {cardRole === Role.Chair ? null : <FollowToggle follow={follow} />}
            <CardExportMenu cardId={card.id} />
            {cardRole === Role.Chair || cardRole === Role.Editor ? (
              <CardImportForm cardId={card.id} />
            ) : null}
          </header>
          {session ? (
            <CardWorkspace
              session={session}
              snapshot={snapshot}
              card={card}
              deck={deck}
              role={cardRole}
              locked={locked}
              suggestOnly={suggestOnly}
              stopped={syncStopped(snapshot)}
              user={user}
              me={me}
              active={active}
              onActiveChange={setActive}
              compareVersionId={compareVersionId}
              onLocalEdit={stopFollowing}
              question={<QuestionBlock card={card} deck={deck} />}
              wordBudget={
                <WordBudget
                  words={liveWords ?? card.wordCount}
                  timeBudgetSec={card.timeBudgetSec}
                />
              }
              people={<CardPeople people={people} />}
            />
          ) : (
            <>
              <QuestionBlock card={card} deck={deck} />
              <Loading />
            </>
          )}
        </article>
      </main>
    </>
  )
}
