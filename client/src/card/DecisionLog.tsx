import type { Ministry } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import type { DecisionView, RestoreView } from './review/decisions.ts'
import type { ThreadView } from './review/threads.ts'
import { commentsOf, ReadOnlyComment } from './SuggestionThread.tsx'

/**
 * Every decision on the card's suggestions, newest first: who, when, what, and why; and the
 * discussion the suggestion had, linked by its id (resolved with the decision). Restores of a
 * version are entries of the same log, in their place.
 */
export function DecisionLog({
  decisions,
  restores = [],
  threads,
  ministries,
}: {
  decisions: readonly DecisionView[]
  restores?: readonly RestoreView[]
  /** Threads by the suggestion they discuss. */
  threads: ReadonlyMap<string, readonly ThreadView[]>
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  return (
    <section
      className="decision-log"
      aria-labelledby="decision-log-heading"
      data-testid="decision-log"
    >
      <h2 id="decision-log-heading" className="decision-log__title">
        {t('decisions.title')}{' '}
        <span className="decision-log__count">({decisions.length + restores.length})</span>
      </h2>
      {decisions.length + restores.length === 0 ? (
        <p className="decision-log__empty">{t('decisions.empty')}</p>
      ) : (
        <ol className="decision-log__list" reversed>
          {[...decisions, ...restores]
            .sort((a, b) => b.index - a.index)
            .map((entry) =>
              'versionId' in entry ? (
                <RestoreEntry
                  key={entry.index}
                  restore={entry}
                  threads={threads}
                  ministries={ministries}
                />
              ) : (
                <DecisionEntry
                  key={entry.index}
                  decision={entry}
                  threads={threads}
                  ministries={ministries}
                />
              ),
            )}
        </ol>
      )}
    </section>
  )
}

/** One decision on a suggestion. */
function DecisionEntry({
  decision,
  threads,
  ministries,
}: {
  decision: DecisionView
  threads: ReadonlyMap<string, readonly ThreadView[]>
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  return (
    <li
      className={`decision-entry decision-entry--${decision.outcome}`}
      data-testid="decision-entry"
      data-outcome={decision.outcome}
      data-suggestion-id={decision.suggestionId}
    >
      <p className="decision-entry__head">
        <span className="decision-entry__outcome">
          {t(`decisions.outcome.${decision.outcome}`)}
        </span>{' '}
        <span className="decision-entry__kind">{t(`decisions.kind.${decision.kind}`)}</span>{' '}
        <q className="decision-entry__text">{decision.text}</q>
      </p>
      <dl className="decision-entry__facts">
        <div>
          <dt>{t('decisions.suggestedBy')}</dt>
          <dd>
            <AuthorLabel author={decision.suggestedByAuthor} ministries={ministries} />
          </dd>
        </div>
        <div>
          <dt>{t('decisions.decidedBy')}</dt>
          <dd>
            <AuthorLabel author={decision.decidedBy} ministries={ministries} />
          </dd>
        </div>
        <div>
          <dt>{t('decisions.at')}</dt>
          <dd>
            <time dateTime={new Date(decision.at).toISOString()}>
              {formatTime(decision.at, language)}
            </time>
          </dd>
        </div>
        {decision.reason ? (
          <div>
            <dt>{t('decisions.reason')}</dt>
            <dd data-testid="decision-entry-reason">{decision.reason}</dd>
          </div>
        ) : null}
      </dl>
      <DecisionDiscussion
        threads={threads.get(decision.suggestionId) ?? []}
        ministries={ministries}
      />
    </li>
  )
}

/**
 * A restore of a version: which, by whom, when and why; and the suggestions that were pending in
 * the text it replaced, kept here with their text, author and discussion.
 */
function RestoreEntry({
  restore,
  threads,
  ministries,
}: {
  restore: RestoreView
  threads: ReadonlyMap<string, readonly ThreadView[]>
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const version = restore.versionName ?? t('versions.automatic')
  return (
    <li
      className="decision-entry decision-entry--restore"
      data-testid="decision-entry"
      data-outcome="restore"
      data-version-id={restore.versionId}
    >
      <p className="decision-entry__head">
        <span className="decision-entry__outcome">{t('decisions.restored')}</span>{' '}
        <span className="decision-entry__kind">{t('decisions.restoredVersion')}</span>{' '}
        <q className="decision-entry__text">{version}</q>{' '}
        <span className="decision-entry__kind">({formatTime(restore.versionAt, language)})</span>
      </p>
      <dl className="decision-entry__facts">
        <div>
          <dt>{t('decisions.restoredBy')}</dt>
          <dd>
            <AuthorLabel author={restore.restoredBy} ministries={ministries} />
          </dd>
        </div>
        <div>
          <dt>{t('decisions.at')}</dt>
          <dd>
            <time dateTime={new Date(restore.at).toISOString()}>
              {formatTime(restore.at, language)}
            </time>
          </dd>
        </div>
        <div>
          <dt>{t('decisions.reason')}</dt>
          <dd data-testid="decision-entry-reason">{restore.reason}</dd>
        </div>
      </dl>
      {restore.orphaned.length > 0 ? (
        <details className="decision-entry__discussion" data-testid="restore-orphans">
          <summary>{t('decisions.orphaned', { count: restore.orphaned.length })}</summary>
          <ul className="decision-entry__orphans">
            {restore.orphaned.map((orphan) => (
              <li key={orphan.suggestionId} data-suggestion-id={orphan.suggestionId}>
                <span className="decision-entry__kind">{t(`decisions.kind.${orphan.kind}`)}</span>{' '}
                <q className="decision-entry__text">{orphan.text}</q>{' '}
                <AuthorLabel author={orphan.author} ministries={ministries} />
                <DecisionDiscussion
                  threads={threads.get(orphan.suggestionId) ?? []}
                  ministries={ministries}
                />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  )
}

/** The replies the decided suggestion had, folded: the record keeps them one click away. */
function DecisionDiscussion({
  threads,
  ministries,
}: {
  threads: readonly ThreadView[]
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const comments = commentsOf(threads)
  if (comments.length === 0) return null
  return (
    <details
      className="decision-entry__discussion"
      data-testid="decision-discussion"
      data-thread-ids={threads.map((thread) => thread.id).join(' ')}
      data-resolved={threads.every((thread) => thread.resolved)}
    >
      <summary>{t('suggestionThread.inLog', { count: comments.length })}</summary>
      <ol className="thread__comments">
        {comments.map(({ comment }) => (
          <ReadOnlyComment key={comment.id} comment={comment} ministries={ministries} />
        ))}
      </ol>
    </details>
  )
}
