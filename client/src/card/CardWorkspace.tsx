import { type Card, type Deck, type Member, type PresenceUser, Role } from '@kartu/protocol'
import type { Author } from '@kartu/schema'
import type { Transaction } from '@tiptap/pm/state'
import { Lock } from 'lucide-react'
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ActivityFeed } from '../app/ActivityFeed.tsx'
import { ICON } from '../app/icons.ts'
import { useMembers } from '../app/useMembers.ts'
import type { SyncSession, SyncSnapshot } from '../sync/syncSession.ts'
import { AnswerEditor } from './AnswerEditor.tsx'
import { ActivityAnnouncer } from './announcements/ActivityAnnouncer.tsx'
import { DecisionLog } from './DecisionLog.tsx'
import { EditorStatusBar } from './EditorStatusBar.tsx'
import { SinceVisit } from './history/SinceVisit.tsx'
import { ReviewBar } from './ReviewBar.tsx'
import { ReviewPanel } from './ReviewPanel.tsx'
import type { PieceAction } from './refused/refusedWidget.ts'
import { useRefusedText } from './refused/useRefusedText.ts'
import { revealActive } from './revealActive.ts'
import {
  beginComment,
  createAnchoredThread,
  type PendingComment,
  resolvePending,
  selectedRange,
} from './review/commentAnchor.ts'
import { decide } from './review/decisions.ts'
import { engineAvailable, randomId, setSuggesting, type Unsuggestable } from './review/engine.ts'
import { parseMentions } from './review/mentions.ts'
import { adjacentItem, type PlacedItem } from './review/navigation.ts'
import { showPendingComment } from './review/pendingHighlight.ts'
import { canChangeText, canComment, mustSuggest } from './review/permissions.ts'
import { isRemoteTransaction, isReviewTransaction } from './review/reviewExtensions.ts'
import { reviewCss } from './review/reviewStyles.ts'
import { metaEntries } from './review/suggestionMeta.ts'
import { suggestionText } from './review/suggestions.ts'
import {
  addReply,
  deleteComment,
  editComment,
  replyToSuggestion,
  setResolved,
  threadsBySuggestion,
} from './review/threads.ts'
import type { ActiveItem, ReviewActions } from './reviewActions.ts'
import { SignOffPanel } from './signoff/SignOffPanel.tsx'
import { useAnswerEditor } from './useAnswerEditor.ts'
import { useReviewData } from './useReviewData.ts'
import { VersionHistory } from './VersionHistory.tsx'

type Props = {
  session: SyncSession
  /** The session's live state: the save status and sync alerts, shown beside the editor. */
  snapshot: SyncSnapshot | null
  card: Card
  deck: Deck
  role: Role
  /** The card is locked as agreed text: nobody changes the answer until the chair unlocks it. */
  locked: boolean
  /** "Everyone suggests" is on for the card: an editor's changes are suggestions. */
  suggestOnly: boolean
  /** Syncing stopped until the person acts (see SyncProblems): shown read-only meanwhile. */
  stopped: boolean
  user: PresenceUser
  me: Author
  active: ActiveItem | null
  onActiveChange: (item: ActiveItem | null) => void
  /** The version the card's address asks to compare with the answer now (`?compare=`). */
  compareVersionId: string | null
  /** The person changed the answer themselves (follow mode stops then). */
  onLocalEdit: () => void
  question: ReactNode
  wordBudget: ReactNode
  people: ReactNode
}

const hintId = 'answer-editor-hint'

/** While the deck's members load (or could not be read): comments mention ministries only. */
const NO_MEMBERS: readonly Member[] = []

/** What the card says when an edit made while suggesting did not go in as made. */
const UNSUGGESTABLE_NOTICE = {
  othersSuggestion: 'review.unsuggestableOthers',
  selectionKept: 'review.selectionKept',
  cannot: 'review.unsuggestable',
} as const satisfies Record<Unsuggestable, string>

/** The card's answer with its suggestions and comments: editor, review panel, decision log. */
export function CardWorkspace({
  session,
  snapshot,
  card,
  deck,
  role,
  locked,
  suggestOnly,
  stopped,
  user,
  me,
  active,
  onActiveChange,
  compareVersionId,
  onLocalEdit,
  question,
  wordBudget,
  people,
}: Props) {
  const { t } = useTranslation()
  const editable = canChangeText(role) && !locked && !stopped
  const ministries = deck.ministries
  // The same query as follow mode's on this page: read once, offered in the comment fields.
  const members = useMembers(deck.id).data?.members ?? NO_MEMBERS
  const [notice, setNotice] = useState<string | null>(null)
  // Set below, once the hook that acts on refused pieces has the editor.
  const refusedAction = useRef<(pieceId: string, action: PieceAction) => void>(() => {})
  const editor = useAnswerEditor({
    session,
    user,
    me,
    ministries,
    editable,
    label: t('card.answerLabel', { ref: card.ref }),
    describedBy: hintId,
    onUnsuggestable: (why) => setNotice(t(UNSUGGESTABLE_NOTICE[why])),
    onRefusedAction: (pieceId, action) => refusedAction.current(pieceId, action),
  })
  const suggestOptions = useMemo(
    () => ({
      newId: randomId,
      isOwnSuggestion: (id: string) => metaEntries(session.doc, me.userId).isOwn(id),
    }),
    [session.doc, me.userId],
  )
  const refused = useRefusedText({
    editor,
    session,
    userId: me.userId,
    // A suggestion is what every role that changes the answer may send (not on a locked card).
    canSuggest: editable && engineAvailable,
    suggestOptions,
  })
  refusedAction.current = refused.act
  const showRefused = useCallback((): void => {
    const button = editor.view.dom.querySelector<HTMLButtonElement>(
      '[data-testid="refused-piece"] button:not([disabled])',
    )
    button?.scrollIntoView({ block: 'center' })
    button?.focus({ preventScroll: true })
  }, [editor])
  const data = useReviewData(editor, session.doc, me)
  const [suggestingChosen, setSuggestingChosen] = useState(false)
  // Held on Suggesting while the role or "everyone suggests" requires it; when the switch goes
  // off, an editor is back in the mode they had chosen (Editing unless they chose otherwise).
  const suggesting = editable && (mustSuggest(role, suggestOnly) || suggestingChosen)
  const [pending, setPending] = useState<PendingComment | null>(null)
  const composerRef = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    if (engineAvailable) setSuggesting(editor, suggesting)
  }, [editor, suggesting])

  useEffect(() => {
    if (notice === null) return
    const timer = setTimeout(() => setNotice(null), 8000)
    return () => clearTimeout(timer)
  }, [notice])

  useEffect(() => {
    const onTransaction = ({ transaction }: { transaction: Transaction }): void => {
      if (
        transaction.docChanged &&
        !isRemoteTransaction(transaction) &&
        !isReviewTransaction(transaction) &&
        transaction.getMeta('addToHistory') !== false
      ) {
        onLocalEdit()
      }
    }
    editor.on('transaction', onTransaction)
    return () => {
      editor.off('transaction', onTransaction)
    }
  }, [editor, onLocalEdit])

  const startComment = useCallback((): void => {
    if (!canComment(role)) return
    const range = selectedRange(editor)
    const begun = range ? beginComment(editor, range) : null
    if (!begun) {
      setNotice(t('comments.selectFirst'))
      return
    }
    setNotice(null)
    setPending(begun)
    requestAnimationFrame(() => composerRef.current?.focus())
  }, [editor, role, t])

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const m = event.code === 'KeyM' || event.key.toLowerCase() === 'm'
      if ((event.ctrlKey || event.metaKey) && event.altKey && m) {
        event.preventDefault()
        startComment()
      }
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [startComment])

  // The words of the comment being written stay highlighted. Their place is kept as Yjs
  // positions (a remote change rewrites the whole document in ProseMirror's eyes), so it is
  // found again after every change, after the change has been applied.
  useEffect(() => {
    const update = (): void => {
      showPendingComment(editor, pending ? resolvePending(editor, pending) : null)
    }
    update()
    if (!pending) return
    const onTransaction = ({ transaction }: { transaction: Transaction }): void => {
      if (transaction.docChanged) queueMicrotask(update)
    }
    editor.on('transaction', onTransaction)
    return () => {
      editor.off('transaction', onTransaction)
    }
  }, [editor, pending])

  // From the keyboard: Ctrl+Alt+↓ and Ctrl+Alt+↑ go to the next and previous suggestion or
  // comment in the answer (the caret goes there, the panel shows it chosen); Ctrl+Alt+Enter
  // moves focus from the text to the item in the panel, and from the panel back to the text.
  useEffect(() => {
    const placed = (): PlacedItem[] => [
      ...data.suggestions.map((s) => ({ kind: 'suggestion' as const, id: s.id, from: s.from })),
      ...data.threads.flatMap((thread) =>
        thread.anchor && !thread.resolved
          ? [{ kind: 'thread' as const, id: thread.id, from: thread.anchor.from }]
          : [],
      ),
    ]
    const caretTo = (from: number): void => {
      if (editor.isDestroyed) return
      editor.commands.setTextSelection(Math.min(from + 1, editor.state.doc.content.size))
      editor.commands.focus()
    }
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || !event.altKey) return
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const next = adjacentItem(
          placed(),
          active,
          editor.state.selection.head,
          event.key === 'ArrowDown' ? 1 : -1,
        )
        event.preventDefault()
        if (!next) return
        onActiveChange({ kind: next.kind, id: next.id, reveal: Date.now() })
        caretTo(next.from)
      } else if (event.key === 'Enter') {
        event.preventDefault()
        const target = event.target instanceof Element ? event.target : null
        const item = target?.closest<HTMLElement>('.review-item')
        if (item) {
          const id = item.dataset.threadId ?? item.dataset.suggestionId
          const found = placed().find((candidate) => candidate.id === id)
          if (found) caretTo(found.from)
          return
        }
        if (!active) return
        const attribute = active.kind === 'thread' ? 'data-thread-id' : 'data-suggestion-id'
        document
          .querySelector<HTMLElement>(
            `.review-item[${attribute}="${CSS.escape(active.id)}"] .review-item__select`,
          )
          ?.focus()
      }
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [editor, data, active, onActiveChange])

  // Scroll to what is chosen (or followed) once its span is rendered.
  const revealed = useRef<string | null>(null)
  useEffect(() => {
    revealed.current = revealActive(editor, active, revealed.current, data)
  }, [editor, active, data])

  const actions = useMemo<ReviewActions>(
    () => ({
      select: (item) => onActiveChange(item),
      decide: (request) => decide(editor, session.doc, request, ministries),
      submitThread: (body) => {
        if (!pending) return t('comments.failed')
        const range = resolvePending(editor, pending)
        if (!range) return t('comments.anchorGone')
        const threadId = createAnchoredThread(editor, session.doc, range, pending.quote, {
          commentId: randomId(),
          body,
          mentions: parseMentions(body, ministries),
          now: Date.now(),
        })
        if (!threadId) return t('comments.failed')
        setPending(null)
        onActiveChange({ kind: 'thread', id: threadId })
        return null
      },
      cancelThread: () => {
        setPending(null)
        // Back to the words the comment was about.
        editor.commands.focus()
      },
      reply: (thread, body) =>
        addReply(thread.map, {
          commentId: randomId(),
          body,
          mentions: parseMentions(body, ministries),
          now: Date.now(),
        }),
      replyToSuggestion: (suggestion, body) => {
        replyToSuggestion(
          session.doc,
          { id: suggestion.id, quote: suggestionText(suggestion) },
          {
            commentId: randomId(),
            body,
            mentions: parseMentions(body, ministries),
            now: Date.now(),
          },
          randomId(),
        )
      },
      edit: (thread, comment, body) =>
        editComment(thread.map, comment.map, body, parseMentions(body, ministries), Date.now()),
      remove: (comment) => deleteComment(comment.map, Date.now()),
      resolve: (thread, resolved) => setResolved(thread.map, resolved),
    }),
    [editor, session.doc, ministries, pending, onActiveChange, t],
  )

  const css = reviewCss('.card-review .ProseMirror', data.suggestions, data.threads, ministries, {
    suggestionId: active?.kind === 'suggestion' ? active.id : null,
    threadId: active?.kind === 'thread' ? active.id : null,
  })

  let hint = ''
  if (editable) hint = t('card.editorHint')
  else if (canComment(role)) hint = t('card.commentHint')

  return (
    <div className="card-review card-page__columns">
      <style>{css}</style>
      <div className="card-page__main">
        {question}
        <section className="card-page__answer" aria-labelledby="answer-heading">
          <div className="card-page__answer-head">
            <h2 id="answer-heading">{t('card.answer')}</h2>
            {wordBudget}
          </div>
          {locked ? (
            <p className="notice notice--info" role="status" data-testid="locked-notice">
              <Lock {...ICON} /> {t('card.locked')}
            </p>
          ) : null}
          {canChangeText(role) || locked ? null : (
            <p className="notice" data-testid="read-only-notice">
              {t('card.readOnly', { role: t(`role.${role}`) })}
              {canComment(role) ? ` ${t('card.commentStill')}` : ''}
            </p>
          )}
          <SinceVisit
            cardId={card.id}
            editor={editor}
            provider={session.provider}
            ministries={ministries}
            data={data}
          />
          {role === Role.Chair && suggestOnly && !locked ? (
            <p className="notice notice--info" data-testid="suggest-only-chair-notice">
              {t('suggestOnly.chairNote')}
            </p>
          ) : null}
          {role === Role.Suggester && !locked ? (
            <p className="notice notice--info" data-testid="suggest-only-notice">
              {t('review.suggestOnly')}
            </p>
          ) : null}
          <AnswerEditor
            editor={editor}
            editable={editable}
            ministries={ministries}
            suggestions={data.suggestions}
            hint={hint}
            hintId={hintId}
            canLockBlocks={role === Role.Chair}
            statusBar={
              <EditorStatusBar
                session={session}
                snapshot={snapshot}
                refused={refused}
                onShowRefused={showRefused}
              />
            }
            reviewBar={
              <ReviewBar
                role={role}
                locked={locked || stopped}
                suggestOnly={suggestOnly}
                suggesting={suggesting}
                engineAvailable={engineAvailable}
                onSuggestingChange={setSuggestingChosen}
                onComment={startComment}
                notice={notice}
              />
            }
          />
        </section>
        <SignOffPanel
          card={card}
          ministries={ministries}
          role={role}
          myMinistryId={me.ministryId}
          changed={data}
          compareVersionId={compareVersionId}
        />
        {people}
        <ActivityAnnouncer editor={editor} session={session} user={user} />
        <DecisionLog
          cardId={card.id}
          decisions={data.decisions}
          restores={data.restores}
          threads={threadsBySuggestion(data.threads)}
          ministries={ministries}
        />
        <VersionHistory
          cardId={card.id}
          role={role}
          ministries={ministries}
          restores={data.restores.length}
        />
        <ActivityFeed
          scope={{ cardId: card.id }}
          ministries={ministries}
          title={t('activity.cardTitle')}
          changed={data}
        />
      </div>
      <ReviewPanel
        data={data}
        role={role}
        // Decisions taken while syncing is stopped could never reach the server.
        locked={locked || stopped}
        ministries={ministries}
        members={members}
        active={active}
        actions={actions}
        pending={pending}
        composerRef={composerRef}
      />
    </div>
  )
}
