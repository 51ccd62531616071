import type { Ministry, Role } from '@kartu/protocol'
import { ChevronUp } from 'lucide-react'
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../app/icons.ts'
import { DecisionReasonField } from './DecisionReasonField.tsx'
import { MentionTextarea } from './MentionTextarea.tsx'
import { planDecision, suggestionsByMinistry } from './review/bulk.ts'
import type { PendingComment } from './review/commentAnchor.ts'
import { type PanelFilters, panelEntries } from './review/panelEntries.ts'
import { canDecide } from './review/permissions.ts'
import type { MentionPerson } from './review/personMentions.ts'
import type { SuggestionView } from './review/suggestions.ts'
import { threadsBySuggestion } from './review/threads.ts'
import type { ActiveItem, ReviewActions } from './reviewActions.ts'
import { SuggestionItem } from './SuggestionItem.tsx'
import { ThreadItem } from './ThreadItem.tsx'
import type { ReviewData } from './useReviewData.ts'

type Props = {
  data: ReviewData
  role: Role
  /** Locked as agreed text: no decisions (they change the answer). */
  locked: boolean
  ministries: readonly Ministry[]
  /** The deck's members, whom a comment may mention by name. */
  members: readonly MentionPerson[]
  active: ActiveItem | null
  actions: ReviewActions
  pending: PendingComment | null
  composerRef: RefObject<HTMLTextAreaElement | null>
}

function NewThreadForm({
  pending,
  ministries,
  members,
  actions,
  composerRef,
  onPosted,
}: {
  pending: PendingComment
  ministries: readonly Ministry[]
  members: readonly MentionPerson[]
  actions: ReviewActions
  composerRef: RefObject<HTMLTextAreaElement | null>
  /** The thread was created: the panel moves focus to it. */
  onPosted: () => void
}) {
  const { t } = useTranslation()
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const quoteId = useId()
  const submit = (event?: FormEvent): void => {
    event?.preventDefault()
    const text = body.trim()
    if (!text) return
    const failure = actions.submitThread(text)
    if (failure) setError(failure)
    else onPosted()
  }
  // Esc or Cancel with words typed: asked first, so a stray key does not throw a comment away.
  const cancel = (): void => {
    if (body.trim() !== '' && !window.confirm(t('comments.discardConfirm'))) return
    actions.cancelThread()
  }
  return (
    <form className="new-thread" data-testid="new-thread" onSubmit={submit}>
      <h3 className="new-thread__title">{t('comments.new')}</h3>
      <p className="new-thread__quote" id={quoteId}>
        {t('comments.on')} <q>{pending.quote}</q>
      </p>
      <MentionTextarea
        value={body}
        onChange={setBody}
        onSubmit={submit}
        onCancel={cancel}
        ministries={ministries}
        members={members}
        label={t('comments.inputLabel')}
        testId="comment-input"
        inputRef={composerRef}
        describedBy={quoteId}
      />
      <p className="new-thread__hint">{t('comments.mentionHint')}</p>
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="comment-submit"
          disabled={body.trim() === ''}
        >
          {t('comments.submit')}
        </button>
        <button type="button" className="button" onClick={cancel}>
          {t('comments.cancel')}
        </button>
      </div>
    </form>
  )
}

function DecisionControls({
  data,
  ministries,
  reason,
  onReasonChange,
  actions,
}: {
  data: ReviewData
  ministries: readonly Ministry[]
  reason: string
  onReasonChange: (reason: string) => void
  actions: ReviewActions
}) {
  const { t } = useTranslation()
  const ministryId = useId()
  const byMinistry = suggestionsByMinistry(data.suggestions)
  const [chosenMinistry, setChosenMinistry] = useState('')
  const ministry = byMinistry.has(chosenMinistry)
    ? chosenMinistry
    : ([...byMinistry.keys()][0] ?? '')
  const bulk = (chosen: (suggestion: SuggestionView) => boolean, accept: boolean): void => {
    const plan = planDecision(data.groups, chosen, accept, reason)
    const count = plan.accept.length + plan.reject.length
    if (count === 0) {
      if (plan.skipped.length > 0) {
        window.alert(t('review.skippedAlternatives', { skipped: plan.skipped.length }))
      }
      return
    }
    let question = t('review.confirmReject', { count })
    if (accept) {
      question =
        plan.reject.length > 0
          ? t('review.confirmAcceptAlternatives', {
              count: plan.accept.length,
              rejected: plan.reject.length,
            })
          : t('review.confirmAccept', { count: plan.accept.length })
      if (plan.skipped.length > 0) {
        question += ` ${t('review.skippedAlternatives', { skipped: plan.skipped.length })}`
      }
    }
    if (!window.confirm(question)) return
    actions.decide(plan)
    onReasonChange('')
  }
  return (
    <div className="decision-controls">
      <DecisionReasonField className="form__field" value={reason} onChange={onReasonChange} />
      <div className="decision-controls__row">
        <button
          type="button"
          className="button button--small"
          data-testid="accept-all"
          onClick={() => bulk(() => true, true)}
        >
          {t('review.acceptAll')}
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="reject-all"
          onClick={() => bulk(() => true, false)}
        >
          {t('review.rejectAll')}
        </button>
      </div>
      {byMinistry.size > 0 ? (
        <div className="decision-controls__row">
          <label htmlFor={ministryId}>{t('review.ofMinistry')}</label>
          <select
            id={ministryId}
            data-testid="bulk-ministry"
            value={ministry}
            onChange={(event) => setChosenMinistry(event.target.value)}
          >
            {[...byMinistry].map(([id, count]) => (
              <option key={id} value={id}>
                {`${ministries.find((candidate) => candidate.id === id)?.short ?? id} (${count})`}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button--small"
            data-testid="accept-ministry"
            onClick={() => bulk((suggestion) => suggestion.author?.ministryId === ministry, true)}
          >
            {t('review.accept')}
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="reject-ministry"
            onClick={() => bulk((suggestion) => suggestion.author?.ministryId === ministry, false)}
          >
            {t('review.reject')}
          </button>
        </div>
      ) : null}
    </div>
  )
}

/** Threads and pending suggestions of the card, in document order, with their actions. */
export function ReviewPanel({
  data,
  role,
  locked,
  ministries,
  members,
  active,
  actions,
  pending,
  composerRef,
}: Props) {
  const { t } = useTranslation()
  const [filters, setFilters] = useState<PanelFilters>({
    suggestions: true,
    openThreads: true,
    resolvedThreads: true,
  })
  const [reason, setReason] = useState('')
  const bodyId = useId()
  // The phone's sheet opens by itself when something is chosen in the text (a suggestion
  // tapped, the chair followed) or a comment is begun: what the person is working on.
  const [sheetOpen, setSheetOpen] = useState(false)
  const activeKey = active ? `${active.kind}:${active.id}:${active.reveal ?? ''}` : null
  useEffect(() => {
    if (activeKey !== null || pending) setSheetOpen(true)
  }, [activeKey, pending])
  const openThreads = data.threads.filter((thread) => !thread.resolved).length
  const resolvedThreads = data.threads.length - openThreads
  const entries = panelEntries(data.groups, data.threads, filters)
  const bySuggestion = threadsBySuggestion(data.threads)
  const chair = canDecide(role) && !locked

  // Where focus goes once the panel shows the result of what was just done: after a decision,
  // the item that took the decided one's place (focus would otherwise drop to the page, and a
  // keyboard user would start again from the top); after a comment is posted, its thread.
  const listRef = useRef<HTMLOListElement>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const focusRequest = useRef<FocusRequest | null>(null)
  useEffect(() => {
    const request = focusRequest.current
    const list = listRef.current
    if (!request || !list) return
    const target = focusTarget(list, request, active)
    if (target === undefined) return
    focusRequest.current = null
    if (target) target.focus()
    else headingRef.current?.focus()
  })

  const decideOne = (suggestion: SuggestionView, accept: boolean): void => {
    const list = listRef.current
    if (list) focusRequest.current = afterDecision(list, suggestion.id)
    actions.decide(
      planDecision(data.groups, (candidate) => candidate === suggestion, accept, reason),
    )
    setReason('')
  }

  const filterButton = (key: keyof PanelFilters, label: string, count: number) => (
    <button
      type="button"
      className="filter-chip"
      data-testid={`filter-${key}`}
      aria-pressed={filters[key]}
      onClick={() => setFilters({ ...filters, [key]: !filters[key] })}
    >
      {label} <span className="filter-chip__count">{count}</span>
    </button>
  )

  return (
    <aside
      className="review-panel"
      aria-labelledby="review-heading"
      data-testid="review-panel"
      data-sheet={sheetOpen ? 'open' : 'closed'}
    >
      {/* On a phone the panel is a sheet at the bottom of the screen, over the text it reviews:
          this bar opens and closes it (elsewhere the panel is beside the text, and this bar is
          not shown). */}
      <button
        type="button"
        className="review-panel__sheet-toggle"
        data-testid="review-sheet-toggle"
        aria-expanded={sheetOpen}
        aria-controls={bodyId}
        onClick={() => setSheetOpen(!sheetOpen)}
      >
        <span className="review-panel__sheet-title">{t('review.title')}</span>
        <span className="review-panel__sheet-counts">
          {t('review.sheetCounts', { suggestions: data.suggestions.length, threads: openThreads })}
        </span>
        <ChevronUp {...ICON} className="review-panel__sheet-chevron" />
      </button>
      <div className="review-panel__body" id={bodyId}>
        <h2 id="review-heading" className="review-panel__title" ref={headingRef} tabIndex={-1}>
          {t('review.title')}
        </h2>
        <fieldset className="review-panel__filters">
          <legend className="visually-hidden">{t('review.show')}</legend>
          {filterButton('suggestions', t('review.suggestions'), data.suggestions.length)}
          {filterButton('openThreads', t('comments.open'), openThreads)}
          {filterButton('resolvedThreads', t('comments.resolved'), resolvedThreads)}
        </fieldset>
        {pending ? (
          <NewThreadForm
            pending={pending}
            ministries={ministries}
            members={members}
            actions={actions}
            composerRef={composerRef}
            onPosted={() => {
              focusRequest.current = { type: 'posted' }
            }}
          />
        ) : null}
        {chair && data.suggestions.length > 0 ? (
          <DecisionControls
            data={data}
            ministries={ministries}
            reason={reason}
            onReasonChange={setReason}
            actions={actions}
          />
        ) : null}
        {entries.length === 0 ? <p className="review-panel__empty">{t('review.empty')}</p> : null}
        <ol className="review-list" ref={listRef}>
          {entries.map((entry) => {
            if (entry.type === 'thread') {
              return (
                <ThreadItem
                  key={entry.key}
                  thread={entry.thread}
                  role={role}
                  ministries={ministries}
                  members={members}
                  active={active}
                  actions={actions}
                />
              )
            }
            const items = entry.group.suggestions.map((suggestion) => (
              <SuggestionItem
                key={suggestion.id}
                suggestion={suggestion}
                threads={bySuggestion.get(suggestion.id) ?? []}
                role={role}
                locked={locked}
                ministries={ministries}
                members={members}
                active={active}
                actions={actions}
                onDecide={decideOne}
              />
            ))
            if (entry.group.suggestions.length === 1) return items
            return (
              <li key={entry.key} className="alternatives" data-testid="suggestion-alternatives">
                <p className="alternatives__title">
                  {t('review.alternatives', { count: entry.group.suggestions.length })}
                </p>
                <ol className="alternatives__list">{items}</ol>
              </li>
            )
          })}
        </ol>
      </div>
    </aside>
  )
}

type FocusRequest =
  /** A suggestion was decided: focus the item at its place once it is gone. */
  | { type: 'decided'; suggestionId: string; index: number }
  /** A comment was posted: focus its thread once it is the active item. */
  | { type: 'posted' }

const ITEM = '.review-item__select'

function afterDecision(list: HTMLElement, suggestionId: string): FocusRequest {
  const items = [...list.querySelectorAll(ITEM)]
  const own = list.querySelector(`[data-suggestion-id="${CSS.escape(suggestionId)}"] ${ITEM}`)
  return { type: 'decided', suggestionId, index: Math.max(0, own ? items.indexOf(own) : 0) }
}

/**
 * The element to focus for `request` in the panel as rendered now: undefined while the panel
 * does not show the result yet, null when there is no item left (the panel's heading then).
 */
function focusTarget(
  list: HTMLElement,
  request: FocusRequest,
  active: ActiveItem | null,
): HTMLElement | null | undefined {
  if (request.type === 'posted') {
    if (active?.kind !== 'thread') return undefined
    const thread = list.querySelector<HTMLElement>(
      `[data-thread-id="${CSS.escape(active.id)}"] ${ITEM}`,
    )
    return thread ?? undefined
  }
  if (list.querySelector(`[data-suggestion-id="${CSS.escape(request.suggestionId)}"]`)) {
    return undefined
  }
  const items = [...list.querySelectorAll<HTMLElement>(ITEM)]
  return items[Math.min(request.index, items.length - 1)] ?? null
}
