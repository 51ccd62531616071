import type { Ministry, Role } from '@kartu/protocol'
import { type FormatDelta, SuggestionKind } from '@kartu/schema'
import type { TFunction } from 'i18next'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { planWithdrawal } from './review/bulk.ts'
import { canComment, canDecide, canWithdraw } from './review/permissions.ts'
import type { MentionPerson } from './review/personMentions.ts'
import { ministryColor } from './review/reviewStyles.ts'
import type { SuggestionView } from './review/suggestions.ts'
import type { ThreadView } from './review/threads.ts'
import type { ActiveItem, ReviewActions } from './reviewActions.ts'
import { SuggestionThread } from './SuggestionThread.tsx'

type Props = {
  suggestion: SuggestionView
  /** Replies on this suggestion (threads naming it), oldest first. */
  threads: readonly ThreadView[]
  role: Role
  locked: boolean
  ministries: readonly Ministry[]
  /** The deck's members, whom a reply may mention by name. */
  members: readonly MentionPerson[]
  active: ActiveItem | null
  actions: ReviewActions
  /** Accept (and reject the alternatives) or reject this one. */
  onDecide: (suggestion: SuggestionView, accept: boolean) => void
}

/** The suggested change: what goes and what comes, the format it changes, or the join. */
export function SuggestionText({ suggestion }: { suggestion: SuggestionView }) {
  const { t } = useTranslation()
  if (suggestion.kind === SuggestionKind.Format) {
    return (
      <span className="suggestion-text">
        <span className="suggestion-text__format">{suggestion.text}</span>{' '}
        <span className="suggestion-text__change">{formatChangeLabel(suggestion.format, t)}</span>
      </span>
    )
  }
  if (suggestion.kind === SuggestionKind.Join) {
    const [before = '', after = ''] = suggestion.text.split('\n')
    return (
      <span className="suggestion-text">
        …{before} <span aria-hidden="true">⤶</span>
        <span className="visually-hidden">{t('review.joinedWith')}</span> {after}…
      </span>
    )
  }
  if (suggestion.kind === SuggestionKind.Split && suggestion.inserted.trim() === '') {
    return <span className="suggestion-text">¶</span>
  }
  return (
    <span className="suggestion-text">
      {suggestion.deleted && suggestion.kind !== SuggestionKind.Move ? (
        <del>{visibleText(suggestion.deleted)}</del>
      ) : null}
      {suggestion.deleted && suggestion.inserted && suggestion.kind !== SuggestionKind.Move
        ? ' '
        : null}
      {suggestion.inserted ? <ins>{visibleText(suggestion.inserted)}</ins> : null}
    </span>
  )
}

/** A space or a line break alone would show as nothing: show them as signs. */
function visibleText(text: string): string {
  return text.trim() === '' ? text.replaceAll(' ', '␣').replaceAll('\n', '¶') : text
}

const FORMAT_NAMES = ['bold', 'italic', 'paragraph', 'heading'] as const
type FormatName = (typeof FORMAT_NAMES)[number]
const isFormatName = (name: string): name is FormatName =>
  (FORMAT_NAMES as readonly string[]).includes(name)

/** "Format: tebal", "Format: tanpa miring", "Format: paragraf → judul 2". */
export function formatChangeLabel(format: FormatDelta | null, t: TFunction): string {
  const name = (mark: string) => (isFormatName(mark) ? t(`review.format.${mark}`) : mark)
  const block = (label: string) => {
    const [type = label, level] = label.split(' ')
    return level ? `${name(type)} ${level}` : name(type)
  }
  const parts = format?.block
    ? [`${block(format.block.from)} → ${block(format.block.to)}`]
    : [
        ...(format?.added ?? []).map(name),
        ...(format?.removed ?? []).map((mark) => t('review.format.not', { name: name(mark) })),
      ]
  return t('review.format.label', { change: parts.join(', ') })
}

/** One pending suggestion in the side panel. */
export function SuggestionItem({
  suggestion,
  threads,
  role,
  locked,
  ministries,
  members,
  active,
  actions,
  onDecide,
}: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const isActive = active?.kind === 'suggestion' && active.id === suggestion.id
  const color = ministryColor(suggestion.author?.ministryId, ministries)
  const [replying, setReplying] = useState(false)
  const replyRef = useRef<HTMLTextAreaElement>(null)
  const startReply = (): void => {
    setReplying(true)
    // The field appears on this render; focus it once it is there.
    requestAnimationFrame(() => replyRef.current?.focus())
  }
  return (
    <li
      className="review-item review-item--suggestion"
      data-testid="panel-suggestion"
      data-suggestion-id={suggestion.id}
      data-shape={suggestion.shape}
      data-kind={suggestion.kind}
      data-active={isActive}
      style={{ borderInlineStartColor: color }}
    >
      <button
        type="button"
        className="review-item__select"
        aria-current={isActive ? 'true' : undefined}
        onClick={() =>
          actions.select({ kind: 'suggestion', id: suggestion.id, reveal: Date.now() })
        }
      >
        <span className="review-item__kind">{t(`review.shape.${suggestion.shape}`)}</span>
        <SuggestionText suggestion={suggestion} />
      </button>
      <p className="review-item__meta">
        <AuthorLabel author={suggestion.author} ministries={ministries} />
        {suggestion.createdAt === null ? null : (
          <time dateTime={new Date(suggestion.createdAt).toISOString()}>
            {formatTime(suggestion.createdAt, language)}
          </time>
        )}
      </p>
      <div className="review-item__actions">
        {canDecide(role) && !locked ? (
          <>
            <button
              type="button"
              className="button button--accept"
              data-testid="accept-suggestion"
              onClick={() => onDecide(suggestion, true)}
            >
              {t('review.accept')}
              <span className="visually-hidden">: {suggestionSummary(suggestion)}</span>
            </button>
            <button
              type="button"
              className="button button--reject"
              data-testid="reject-suggestion"
              onClick={() => onDecide(suggestion, false)}
            >
              {t('review.reject')}
              <span className="visually-hidden">: {suggestionSummary(suggestion)}</span>
            </button>
          </>
        ) : null}
        {!canDecide(role) && !locked && canWithdraw(role, suggestion) ? (
          <button
            type="button"
            className="button"
            data-testid="withdraw-suggestion"
            onClick={() => actions.decide(planWithdrawal(suggestion))}
          >
            {t('review.withdraw')}
          </button>
        ) : null}
        {canComment(role) ? (
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid="reply-suggestion"
            onClick={startReply}
          >
            {t('suggestionThread.reply')}
            <span className="visually-hidden">: {suggestionSummary(suggestion)}</span>
          </button>
        ) : null}
      </div>
      <SuggestionThread
        threads={threads}
        role={role}
        ministries={ministries}
        members={members}
        actions={actions}
        replying={replying}
        onReply={(body) => actions.replyToSuggestion(suggestion, body)}
        onCancel={() => setReplying(false)}
        inputRef={replyRef}
        summary={suggestionSummary(suggestion)}
      />
    </li>
  )
}

export function suggestionSummary(suggestion: SuggestionView): string {
  const text = suggestion.inserted || suggestion.deleted || suggestion.text
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
