import type { Ministry, Role } from '@kartu/protocol'
import { type FormEvent, type RefObject, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { MentionTextarea } from './MentionTextarea.tsx'
import { canComment } from './review/permissions.ts'
import type { MentionPerson } from './review/personMentions.ts'
import type { CommentView, ThreadView } from './review/threads.ts'
import type { ReviewActions } from './reviewActions.ts'
import { CommentItem } from './ThreadItem.tsx'

type Props = {
  /** The threads naming the suggestion, oldest first (one, unless two were opened at once). */
  threads: readonly ThreadView[]
  role: Role
  ministries: readonly Ministry[]
  /** The deck's members, whom a reply may mention by name. */
  members: readonly MentionPerson[]
  /** Edit and delete one's own comments (the panel); null shows them read-only (the projector). */
  actions: Pick<ReviewActions, 'edit' | 'remove'> | null
  /** The person asked to reply: show the reply field. */
  replying: boolean
  /**
   * Show the reply field whenever the discussion is open (the panel, like comment threads); on
   * the projector only when asked, so the suggestion and the buttons keep the room's eyes.
   */
  fieldWhileOpen?: boolean
  onReply: (body: string) => void
  onCancel: () => void
  inputRef?: RefObject<HTMLTextAreaElement | null>
  /** What the suggestion says, for the reply field's description. */
  summary: string
  className?: string
}

/** The comments of every thread on the suggestion, in the order they were written. */
export function commentsOf(
  threads: readonly ThreadView[],
): Array<{ thread: ThreadView; comment: CommentView }> {
  return threads
    .flatMap((thread) => thread.comments.map((comment) => ({ thread, comment })))
    .sort((a, b) => a.comment.createdAt - b.comment.createdAt)
}

/** A comment as the projector and the decision log show it: author, ministry, time, words. */
export function ReadOnlyComment({
  comment,
  ministries,
}: {
  comment: CommentView
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  return (
    <li
      className="comment"
      data-testid="comment"
      data-comment-id={comment.id}
      data-deleted={comment.deleted}
    >
      <p className="comment__meta">
        <AuthorLabel author={comment.author} ministries={ministries} />
        <time dateTime={new Date(comment.createdAt).toISOString()}>
          {formatTime(comment.createdAt, language)}
        </time>
      </p>
      <p className={comment.deleted ? 'comment__deleted' : 'comment__body'}>
        {comment.deleted ? t('comments.deleted') : comment.body}
      </p>
    </li>
  )
}

/**
 * Replies on one suggestion ("why this figure?"): each with its author and ministry (from the
 * server's record), mentions as in comment threads, and a reply field. Deciding the suggestion
 * resolves the discussion with it.
 */
export function SuggestionThread({
  threads,
  role,
  ministries,
  members,
  actions,
  replying,
  onReply,
  onCancel,
  inputRef,
  summary,
  className = '',
  fieldWhileOpen = true,
}: Props) {
  const { t } = useTranslation()
  const [body, setBody] = useState('')
  const labelId = useId()
  const summaryId = useId()
  const comments = commentsOf(threads)
  const mentions = [...new Set(threads.flatMap((thread) => thread.mentions))]
  const open = threads.some((thread) => !thread.resolved)
  const showForm = canComment(role) && (replying || (open && fieldWhileOpen))
  if (comments.length === 0 && !showForm) return null
  const submit = (event?: FormEvent): void => {
    event?.preventDefault()
    const text = body.trim()
    if (!text) return
    onReply(text)
    setBody('')
  }
  return (
    <section
      className={`suggestion-thread ${className}`}
      aria-labelledby={labelId}
      data-testid="suggestion-thread"
      data-thread-ids={threads.map((thread) => thread.id).join(' ')}
      data-resolved={threads.length > 0 && !open}
    >
      <h3 className="suggestion-thread__title" id={labelId}>
        {t('suggestionThread.title')}{' '}
        <span className="suggestion-thread__count">
          ({t('suggestionThread.count', { count: comments.length })})
        </span>
      </h3>
      {mentions.length > 0 ? (
        <p className="thread__mentions">
          <span>{t('comments.mentions')}</span>{' '}
          {mentions.map((ministryId) => (
            <MinistryBadge key={ministryId} ministryId={ministryId} ministries={ministries} />
          ))}
        </p>
      ) : null}
      {comments.length > 0 ? (
        <ol className="thread__comments" aria-label={t('comments.list')}>
          {comments.map(({ thread, comment }) =>
            actions ? (
              <CommentItem
                key={comment.id}
                thread={thread}
                comment={comment}
                role={role}
                ministries={ministries}
                members={members}
                actions={actions}
              />
            ) : (
              <ReadOnlyComment key={comment.id} comment={comment} ministries={ministries} />
            ),
          )}
        </ol>
      ) : null}
      {showForm ? (
        <form className="thread__reply" onSubmit={submit}>
          <span id={summaryId} className="visually-hidden">
            {t('suggestionThread.about', { summary })}
          </span>
          <MentionTextarea
            value={body}
            onChange={setBody}
            onSubmit={submit}
            onCancel={() => {
              setBody('')
              onCancel()
            }}
            ministries={ministries}
            members={members}
            label={t('suggestionThread.inputLabel')}
            testId="suggestion-reply-input"
            inputRef={inputRef}
            describedBy={summaryId}
            rows={2}
          />
          <div className="form-actions">
            <button
              type="submit"
              className="button button--small"
              data-testid="suggestion-reply-submit"
              disabled={body.trim() === ''}
            >
              {t('comments.reply')}
            </button>
            {!open || !fieldWhileOpen ? (
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => {
                  setBody('')
                  onCancel()
                }}
              >
                {t('comments.cancel')}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </section>
  )
}
