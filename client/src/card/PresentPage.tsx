import { type Card, cardDocumentName, type Deck, type Member, Role } from '@kartu/protocol'
import type { Author } from '@kartu/schema'
import { EditorContent } from '@tiptap/react'
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { formatTime } from '../app/formatTime.ts'
import { cardQuestion } from '../app/localized.ts'
import { SuggestOnlyBadge } from '../app/SuggestOnlySwitch.tsx'
import { useCard } from '../app/useCard.ts'
import { useDeck } from '../app/useDeck.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMeAsAuthor } from '../app/useMeAsAuthor.ts'
import { useMembers } from '../app/useMembers.ts'
import { usePresenceUser } from '../app/usePresenceUser.ts'
import { FollowToggle } from '../deck/FollowToggle.tsx'
import { useDeckPresence } from '../deck/useDeckPresence.ts'
import { type FollowChair, useFollowChair } from '../deck/useFollowChair.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { SaveStatus } from '../sync/SaveStatus.tsx'
import { SyncProblems } from '../sync/SyncProblems.tsx'
import { type SyncSession, syncStopped } from '../sync/syncSession.ts'
import { useSyncSession } from '../sync/useSyncSession.ts'
import { useSyncState } from '../sync/useSyncState.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { CardDataPending } from './CardDataPending.tsx'
import { DecisionReasonField } from './DecisionReasonField.tsx'
import { revealActive } from './revealActive.ts'
import { planDecision } from './review/bulk.ts'
import { decide } from './review/decisions.ts'
import { randomId } from './review/engine.ts'
import { parseMentions } from './review/mentions.ts'
import { canComment, canDecide } from './review/permissions.ts'
import { reviewCss } from './review/reviewStyles.ts'
import { suggestionText } from './review/suggestions.ts'
import { replyToSuggestion, threadsBySuggestion } from './review/threads.ts'
import { SuggestionText, suggestionSummary } from './SuggestionItem.tsx'
import { SuggestionThread } from './SuggestionThread.tsx'
import { useAnswerEditor } from './useAnswerEditor.ts'
import { useReviewData } from './useReviewData.ts'

/** Keys that drive the presentation; shown on screen as well. */
const shortcuts = {
  next: ['n', 'ArrowRight'],
  previous: ['p', 'ArrowLeft'],
  accept: ['a'],
  reject: ['r'],
} as const

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
}

export function PresentPage() {
  const { cardId = '' } = useParams()
  return <PresentContent key={cardId} cardId={cardId} />
}

function PresentContent({ cardId }: { cardId: string }) {
  const user = usePresenceUser()
  const me = useMeAsAuthor()
  const cardQuery = useCard(cardId)
  const deckId = cardQuery.data?.card.deckId
  const deckQuery = useDeck(deckId)
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const session = useSyncSession(user.id, cardQuery.data ? cardDocumentName(cardId) : null)
  const snapshot = useSyncState(session)
  const role = snapshot?.permission?.role ?? cardQuery.data?.role
  const locked = snapshot?.permission?.locked ?? false
  const suggestOnly =
    snapshot?.permission?.suggestOnly ??
    (cardQuery.data?.card.suggestOnly === true || deckQuery.data?.deck.suggestOnly === true)

  const focus =
    role === Role.Chair && cardQuery.data
      ? { cardId, suggestionId: focusedId, view: 'present' as const }
      : undefined
  const presence = useDeckPresence(deckId, cardQuery.data ? cardId : null, focus)
  const here = useMemo(() => ({ cardId, view: 'present' as const }), [cardId])
  const { t } = useTranslation()
  useDocumentTitle(cardQuery.data ? `${cardQuery.data.card.ref} (${t('present.open')})` : null)
  const follow = useFollowChair(deckId, presence.peers, here, setFocusedId)

  if (!cardQuery.data || !deckQuery.data || !session) {
    return (
      <main className="present" id="main" data-testid="present-view">
        <CardDataPending card={cardQuery} deck={deckQuery} />
      </main>
    )
  }
  return (
    <main className="present" id="main" data-testid="present-view">
      <SyncProblems session={session} snapshot={snapshot} />
      <PresentBody
        session={session}
        card={cardQuery.data.card}
        deck={deckQuery.data.deck}
        role={role ?? cardQuery.data.role}
        // Decisions taken while syncing is stopped could never reach the server.
        locked={locked || syncStopped(snapshot)}
        suggestOnly={suggestOnly}
        me={me}
        focusedId={focusedId}
        onFocus={setFocusedId}
        follow={follow}
        saveStatus={<SaveStatus snapshot={snapshot} />}
      />
    </main>
  )
}

/** While the deck's members load (or could not be read): replies mention ministries only. */
const NO_MEMBERS: readonly Member[] = []

type BodyProps = {
  session: SyncSession
  card: Card
  deck: Deck
  role: Role
  locked: boolean
  /** "Everyone suggests" is on: shown on the projector, so the room knows editors suggest. */
  suggestOnly: boolean
  me: Author
  focusedId: string | null
  onFocus: (id: string | null) => void
  follow: FollowChair
  saveStatus: ReactNode
}

/**
 * The projector view: the question and the answer in large type, the suggestions inline, one of
 * them focused with its author and big Accept and Reject buttons (for the chair).
 */
function PresentBody({
  session,
  card,
  deck,
  role,
  locked,
  suggestOnly,
  me,
  focusedId,
  onFocus,
  follow,
  saveStatus,
}: BodyProps) {
  const { t } = useTranslation()
  const language = useLanguage()
  const user = usePresenceUser()
  const ministries = deck.ministries
  // The same query as follow mode's on this page: read once, offered in the reply field.
  const members = useMembers(deck.id).data?.members ?? NO_MEMBERS
  const chair = canDecide(role) && !locked
  const editor = useAnswerEditor({
    session,
    user,
    me,
    ministries,
    editable: false,
    label: t('card.answerLabel', { ref: card.ref }),
    carets: false,
    className: 'present__answer-content',
  })
  const data = useReviewData(editor, session.doc, me)
  const [reason, setReason] = useState('')
  const [replyingTo, setReplyingTo] = useState<string | null>(null)
  const replyRef = useRef<HTMLTextAreaElement>(null)
  const list = data.suggestions
  const index = list.findIndex((suggestion) => suggestion.id === focusedId)
  const focused = index === -1 ? undefined : list[index]
  const lastIndex = useRef(0)
  if (index !== -1) lastIndex.current = index

  // Progress: the place of the shown suggestion among those still open ("2 of 2"), and what was
  // decided while this view is open beside it ("1 decided"). Mixing the two in one count read
  // "3 of 3" with two suggestions still open.
  // (Decided is counted from when the document first synced: before that, the log may not be
  // loaded.)
  const baseline = useRef<number | null>(null)
  if (baseline.current === null && session.provider.synced) {
    baseline.current = data.decisions.length
  }
  const decidedHere =
    baseline.current === null ? 0 : Math.max(0, data.decisions.length - baseline.current)
  const progress =
    list.length === 0
      ? t('present.done')
      : [
          t('present.progress', { current: focused ? index + 1 : 0, total: list.length }),
          ...(decidedHere > 0 ? [t('present.decided', { count: decidedHere })] : []),
        ].join(' · ')
  const focusPanel = useRef<HTMLElement>(null)

  // Keep something focused: after a decision, the suggestion that took the decided one's place.
  useEffect(() => {
    if (focused || list.length === 0) return
    const next = list[Math.min(lastIndex.current, list.length - 1)]
    if (next) onFocus(next.id)
  }, [focused, list, onFocus])

  const revealed = useRef<string | null>(null)
  useEffect(() => {
    revealed.current = revealActive(
      editor,
      focusedId ? { kind: 'suggestion', id: focusedId } : null,
      revealed.current,
      data,
    )
  }, [editor, focusedId, data])

  const move = useCallback(
    (step: number) => {
      if (list.length === 0) return
      const from = index === -1 ? lastIndex.current : index
      const next = list[(from + step + list.length) % list.length]
      if (next) onFocus(next.id)
    },
    [list, index, onFocus],
  )
  const decideFocused = useCallback(
    (accept: boolean) => {
      if (!chair || !focused) return
      decide(
        editor,
        session.doc,
        planDecision(data.groups, (candidate) => candidate.id === focused.id, accept, reason),
        ministries,
      )
      setReason('')
    },
    [chair, focused, editor, session.doc, data.groups, reason, ministries],
  )

  // ORDER MATTERS: the keys act on what the screen shows. The handlers are read through a ref
  // set while rendering, so a key pressed right after a decision (the next suggestion already
  // on screen) reaches the new ones; bound again in an effect instead, the old ones would still
  // listen until the effect ran, and the key would be lost on a busy machine.
  const keys = useRef({ move, decideFocused, chair })
  keys.current = { move, decideFocused, chair }
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key
      const current = keys.current
      if ((shortcuts.next as readonly string[]).includes(key)) current.move(1)
      else if ((shortcuts.previous as readonly string[]).includes(key)) current.move(-1)
      else if (current.chair && key === 'a') current.decideFocused(true)
      else if (current.chair && key === 'r') current.decideFocused(false)
      else return
      event.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const group = focused
    ? data.groups.find((candidate) => candidate.suggestions.includes(focused))
    : undefined
  const focusedThreads = focused ? (threadsBySuggestion(data.threads).get(focused.id) ?? []) : []
  const startReply = (): void => {
    if (!focused) return
    setReplyingTo(focused.id)
    requestAnimationFrame(() => replyRef.current?.focus())
  }
  const css = reviewCss('.present .ProseMirror', data.suggestions, data.threads, ministries, {
    suggestionId: focusedId,
  })
  const question = cardQuestion(card, language)

  return (
    <>
      <style>{css}</style>
      <header className="present__bar">
        <Link to={`/cards/${encodeURIComponent(card.id)}`} className="present__back">
          ← {t('present.back')}
        </Link>
        <h1 className="present__title">{card.ref}</h1>
        <p
          className="present__progress"
          data-testid="present-progress"
          data-open={list.length}
          data-decided={decidedHere}
          aria-live="polite"
        >
          {progress}
        </p>
        {suggestOnly ? <SuggestOnlyBadge testId="present-suggest-only" /> : null}
        {chair ? null : <FollowToggle follow={follow} />}
        {saveStatus}
      </header>
      <section className="present__question" aria-label={t('card.question')}>
        <p className="present__question-text" lang={language}>
          {question}
        </p>
      </section>
      <section className="present__answer" aria-label={t('card.answer')}>
        <EditorContent editor={editor} />
      </section>
      <section
        className="present__focus"
        aria-label={t('present.focused')}
        ref={focusPanel}
        tabIndex={-1}
      >
        {focused ? (
          <div
            className="present__suggestion"
            data-testid="present-focused"
            data-suggestion-id={focused.id}
          >
            <div className="present__suggestion-line">
              <p className="present__suggestion-kind">
                {t(`review.shape.${focused.shape}`)}
                {group && group.suggestions.length > 1 ? (
                  <span className="present__alternatives">
                    {' · '}
                    {t('present.alternative', {
                      index: group.suggestions.indexOf(focused) + 1,
                      count: group.suggestions.length,
                    })}
                  </span>
                ) : null}
              </p>
              <p className="present__suggestion-meta">
                <AuthorLabel author={focused.author} ministries={ministries} />
                {focused.createdAt === null ? null : (
                  <time dateTime={new Date(focused.createdAt).toISOString()}>
                    {' '}
                    {formatTime(focused.createdAt, language)}
                  </time>
                )}
              </p>
              {canComment(role) ? (
                <button
                  type="button"
                  className="button button--small"
                  data-testid="present-reply"
                  onClick={startReply}
                >
                  {t('suggestionThread.reply')}
                </button>
              ) : null}
            </div>
            <p className="present__suggestion-text">
              <SuggestionText suggestion={focused} />
            </p>
            <SuggestionThread
              key={focused.id}
              className="present__discussion"
              threads={focusedThreads}
              role={role}
              ministries={ministries}
              members={members}
              actions={null}
              replying={replyingTo === focused.id}
              fieldWhileOpen={false}
              onReply={(body) =>
                replyToSuggestion(
                  session.doc,
                  { id: focused.id, quote: suggestionText(focused) },
                  {
                    commentId: randomId(),
                    body,
                    mentions: parseMentions(body, ministries),
                    now: Date.now(),
                  },
                  randomId(),
                )
              }
              onCancel={() => setReplyingTo(null)}
              inputRef={replyRef}
              summary={suggestionSummary(focused)}
            />
          </div>
        ) : (
          <p className="present__empty">{t('present.none')}</p>
        )}
        <div className="present__controls">
          <button
            type="button"
            className="button present__nav"
            data-testid="present-previous"
            onClick={() => move(-1)}
            disabled={list.length < 2}
            aria-keyshortcuts="p ArrowLeft"
          >
            ← {t('present.previous')}
          </button>
          {chair ? (
            <>
              <DecisionReasonField
                className="present__reason"
                value={reason}
                onChange={setReason}
                // Letters typed here are the reason (A and R included); Esc hands the keys back
                // to the shortcuts, so the reason can be given and then the decision taken.
                onEscape={() => focusPanel.current?.focus()}
                placeholder={t('review.reason')}
              />
              <button
                type="button"
                className="button present__decide present__decide--accept"
                data-testid="present-accept"
                disabled={!focused}
                onClick={() => decideFocused(true)}
                aria-keyshortcuts="a"
              >
                {t('review.accept')}
              </button>
              <button
                type="button"
                className="button present__decide present__decide--reject"
                data-testid="present-reject"
                disabled={!focused}
                onClick={() => decideFocused(false)}
                aria-keyshortcuts="r"
              >
                {t('review.reject')}
              </button>
            </>
          ) : (
            <p className="present__viewer">{t('present.chairDecides')}</p>
          )}
          <button
            type="button"
            className="button present__nav"
            data-testid="present-next"
            onClick={() => move(1)}
            disabled={list.length < 2}
            aria-keyshortcuts="n ArrowRight"
          >
            {t('present.next')} →
          </button>
        </div>
        <p className="present__shortcuts" data-testid="present-shortcuts">
          {chair ? t('present.shortcutsChair') : t('present.shortcuts')}
        </p>
      </section>
    </>
  )
}
