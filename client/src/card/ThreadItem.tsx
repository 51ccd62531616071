import type { Ministry, Role } from '@kartu/protocol'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { MentionTextarea } from './MentionTextarea.tsx'
import { canComment, canEditComment, canResolve } from './review/permissions.ts'
import type { MentionPerson } from './review/personMentions.ts'
import type { CommentView, ThreadView } from './review/threads.ts'
import type { ActiveItem, ReviewActions } from './reviewActions.ts'

type Props = {
  thread: ThreadView
  role: Role
  ministries: readonly Ministry[]
  /** The deck's members, whom a comment may mention by name. */
  members: readonly MentionPerson[]
  active: ActiveItem | null
  actions: ReviewActions
}

function Time({ at }: { at: number }) {
  const language = useLanguage()
  return <time dateTime={new Date(at).toISOString()}>{formatTime(at, language)}</time>
}

/** One comment with its author and ministry; its author may edit or delete it. */
export function CommentItem({
  thread,
  comment,
  role,
  ministries,
  members,
  actions,
}: {
  thread: ThreadView
  comment: CommentView
  role: Role
  ministries: readonly Ministry[]
  members: readonly MentionPerson[]
  actions: Pick<ReviewActions, 'edit' | 'remove'>
}) {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(comment.body)
  const save = (): void => {
    const body = draft.trim()
    if (!body) return
    actions.edit(thread, comment, body)
    setEditing(false)
  }
  return (
    <li
      className="comment"
      data-testid="comment"
      data-comment-id={comment.id}
      data-deleted={comment.deleted}
    >
      <p className="comment__meta">
        <AuthorLabel author={comment.author} ministries={ministries} />
        <Time at={comment.createdAt} />
        {comment.editedAt !== null && !comment.deleted ? (
          <span className="comment__edited">({t('comments.edited')})</span>
        ) : null}
      </p>
      {comment.deleted ? (
        <p className="comment__deleted">{t('comments.deleted')}</p>
      ) : editing ? (
        <form
          className="comment__edit"
          onSubmit={(event) => {
            event.preventDefault()
            save()
          }}
        >
          <MentionTextarea
            value={draft}
            onChange={setDraft}
            onSubmit={save}
            onCancel={() => setEditing(false)}
            ministries={ministries}
            members={members}
            label={t('comments.editLabel')}
            testId="edit-comment-input"
          />
          <div className="form-actions">
            <button
              type="submit"
              className="button button--primary"
              data-testid="edit-comment-save"
            >
              {t('comments.save')}
            </button>
            <button type="button" className="button" onClick={() => setEditing(false)}>
              {t('comments.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p className="comment__body">{comment.body}</p>
      )}
      {canEditComment(role, comment) && !editing ? (
        <div className="comment__actions">
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid="edit-comment"
            onClick={() => {
              setDraft(comment.body)
              setEditing(true)
            }}
          >
            {t('comments.edit')}
          </button>
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid="delete-comment"
            onClick={() => {
              if (window.confirm(t('comments.confirmDelete'))) actions.remove(comment)
            }}
          >
            {t('comments.delete')}
          </button>
        </div>
      ) : null}
    </li>
  )
}

function ReplyForm({
  thread,
  ministries,
  members,
  actions,
}: {
  thread: ThreadView
  ministries: readonly Ministry[]
  members: readonly MentionPerson[]
  actions: ReviewActions
}) {
  const { t } = useTranslation()
  const [body, setBody] = useState('')
  const submit = (event?: FormEvent): void => {
    event?.preventDefault()
    const text = body.trim()
    if (!text) return
    actions.reply(thread, text)
    setBody('')
  }
  return (
    <form className="thread__reply" onSubmit={submit}>
      <MentionTextarea
        value={body}
        onChange={setBody}
        onSubmit={submit}
        ministries={ministries}
        members={members}
        label={t('comments.replyLabel')}
        testId="reply-input"
        rows={2}
      />
      <button
        type="submit"
        className="button button--small"
        data-testid="reply-submit"
        disabled={body.trim() === ''}
      >
        {t('comments.reply')}
      </button>
    </form>
  )
}

/**
 * One comment thread in the side panel: its quote, comments, reply field and resolve button. A
 * thread on a suggestion is here once the suggestion is decided (before, it is shown with it).
 */
export function ThreadItem({ thread, role, ministries, members, active, actions }: Props) {
  const { t } = useTranslation()
  const isActive = active?.kind === 'thread' && active.id === thread.id
  const onSuggestion = thread.suggestionId !== null
  const orphaned = thread.anchor === null && !onSuggestion
  return (
    <li
      className="review-item review-item--thread"
      data-testid="thread"
      data-thread-id={thread.id}
      data-resolved={thread.resolved}
      data-orphaned={orphaned}
      data-suggestion-id={thread.suggestionId ?? undefined}
      data-active={isActive}
    >
      <button
        type="button"
        className="review-item__select"
        aria-current={isActive ? 'true' : undefined}
        onClick={() => actions.select({ kind: 'thread', id: thread.id, reveal: Date.now() })}
      >
        <span className="review-item__kind">
          {onSuggestion
            ? t('suggestionThread.kind')
            : thread.resolved
              ? t('comments.resolvedThread')
              : t('comments.thread')}
        </span>
        <q className="thread__quote">{thread.quote}</q>
      </button>
      {orphaned ? (
        <p className="thread__orphaned" data-testid="thread-orphaned">
          {t('comments.orphaned')}
        </p>
      ) : null}
      {thread.mentions.length > 0 ? (
        <p className="thread__mentions">
          <span>{t('comments.mentions')}</span>{' '}
          {thread.mentions.map((ministryId) => (
            <MinistryBadge key={ministryId} ministryId={ministryId} ministries={ministries} />
          ))}
        </p>
      ) : null}
      <ol className="thread__comments" aria-label={t('comments.list')}>
        {thread.comments.map((comment) => (
          <CommentItem
            key={comment.id}
            thread={thread}
            comment={comment}
            role={role}
            ministries={ministries}
            members={members}
            actions={actions}
          />
        ))}
      </ol>
      {thread.resolved ? (
        <p className="thread__resolved-by">
          {t('comments.resolvedBy')}{' '}
          <AuthorLabel author={thread.resolvedBy} ministries={ministries} />
        </p>
      ) : null}
      {!thread.resolved && canComment(role) ? (
        <ReplyForm thread={thread} ministries={ministries} members={members} actions={actions} />
      ) : null}
      {canResolve(role, thread) ? (
        <div className="review-item__actions">
          {thread.resolved ? (
            <button
              type="button"
              className="button button--small"
              data-testid="reopen-thread"
              onClick={() => actions.resolve(thread, false)}
            >
              {t('comments.reopen')}
            </button>
          ) : (
            <button
              type="button"
              className="button button--small"
              data-testid="resolve-thread"
              onClick={() => actions.resolve(thread, true)}
            >
              {t('comments.resolve')}
            </button>
          )}
        </div>
      ) : null}
    </li>
  )
}
