import { cardDocumentName, Role } from '@kartu/protocol'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { AppHeader } from '../app/AppHeader.tsx'
import { Loading } from '../app/Loading.tsx'
import { QueryError } from '../app/QueryError.tsx'
import { useCard } from '../app/useCard.ts'
import { useDeck } from '../app/useDeck.ts'
import { usePresenceUser } from '../app/usePresenceUser.ts'
import { WordBudget } from '../app/WordBudget.tsx'
import { peopleIn } from '../deck/presence.ts'
import { useDeckPresence } from '../deck/useDeckPresence.ts'
import { SaveStatus } from '../sync/SaveStatus.tsx'
import { SyncProblems } from '../sync/SyncProblems.tsx'
import { useAwarenessStates } from '../sync/useAwarenessStates.ts'
import { useSyncSession } from '../sync/useSyncSession.ts'
import { useSyncState } from '../sync/useSyncState.ts'
import { AnswerEditor } from './AnswerEditor.tsx'
import { CardPeople } from './CardPeople.tsx'
import { CardStatus } from './CardStatus.tsx'
import { QuestionBlock } from './QuestionBlock.tsx'
import { useAnswerWordCount } from './useAnswerWordCount.ts'

/** Roles that may not change the answer's text at all (the server enforces it too). */
const readOnlyRoles: readonly Role[] = [Role.Viewer, Role.Commenter]

export function CardPage() {
  const { cardId = '' } = useParams()
  const { t } = useTranslation()
  const user = usePresenceUser()
  const cardQuery = useCard(cardId)
  const deckId = cardQuery.data?.card.deckId
  const deckQuery = useDeck(deckId)

  // Presence on the deck document tells the dashboard which card we are on.
  useDeckPresence(deckId, cardQuery.data ? cardId : null)
  // Open the card document only once the server said the card exists and we may see it.
  const session = useSyncSession(user.id, cardQuery.data ? cardDocumentName(cardId) : null)
  const snapshot = useSyncState(session)
  const peers = useAwarenessStates(session?.awareness ?? null)
  const people = useMemo(() => peopleIn(peers, user.id), [peers, user.id])
  const liveWords = useAnswerWordCount(session)

  // Data we already have wins over a failed refresh: offline, the editor must stay mounted.
  const error =
    (cardQuery.data ? null : cardQuery.error) ?? (deckQuery.data ? null : deckQuery.error)
  if (!cardQuery.data || !deckQuery.data) {
    return (
      <>
        <AppHeader deck={deckQuery.data?.deck} />
        <main className="page" id="main">
          {error ? (
            <QueryError
              error={error}
              onRetry={() => {
                void cardQuery.refetch()
                void deckQuery.refetch()
              }}
            />
          ) : (
            <Loading />
          )}
        </main>
      </>
    )
  }

  const { card, role } = cardQuery.data
  const { deck } = deckQuery.data
  const editable = !readOnlyRoles.includes(role)
  return (
    <>
      <AppHeader deck={deck} />
      <main className="page card-page" id="main">
        <p className="card-page__back">
          <Link to={`/decks/${encodeURIComponent(deck.id)}`}>← {t('card.back')}</Link>
        </p>
        <SyncProblems session={session} snapshot={snapshot} />
        <article className="card-page__card" aria-labelledby="card-title">
          <header className="card-page__header">
            <h1 id="card-title" className="card-page__title">
              {card.ref}
            </h1>
            <CardStatus card={card} role={role} />
            <SaveStatus snapshot={snapshot} />
          </header>
          <QuestionBlock card={card} deck={deck} />
          <section className="card-page__answer" aria-labelledby="answer-heading">
            <div className="card-page__answer-head">
              <h2 id="answer-heading">{t('card.answer')}</h2>
              <WordBudget words={liveWords ?? card.wordCount} timeBudgetSec={card.timeBudgetSec} />
            </div>
            {editable ? null : (
              <p className="notice" data-testid="read-only-notice">
                {t('card.readOnly', { role: t(`role.${role}`) })}
              </p>
            )}
            {session ? (
              <AnswerEditor
                session={session}
                user={user}
                ministries={deck.ministries}
                editable={editable}
                label={t('card.answerLabel', { ref: card.ref })}
                hint={t('card.editorHint')}
              />
            ) : (
              <Loading />
            )}
          </section>
          <CardPeople people={people} />
        </article>
      </main>
    </>
  )
}
