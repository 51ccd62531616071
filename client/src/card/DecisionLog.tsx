import type { Ministry } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import type { DecisionView } from './review/decisions.ts'
import type { ThreadView } from './review/threads.ts'
import { commentsOf, ReadOnlyComment } from './SuggestionThread.tsx'

/**
 * Every decision on the card's suggestions, newest first: who, when, what, and why; and the
 * discussion the suggestion had, linked by its id (resolved with the decision).
 */
export function DecisionLog({
  decisions,
  threads,
  ministries,
}: {
  decisions: readonly DecisionView[]
  /** Threads by the suggestion they discuss. */
  threads: ReadonlyMap<string, readonly ThreadView[]>
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  return (
    <section
      className="decision-log"
      aria-labelledby="decision-log-heading"
      data-testid="decision-log"
    >
      <h2 id="decision-log-heading" className="decision-log__title">
        {t('decisions.title')} <span className="decision-log__count">({decisions.length})</span>
      </h2>
      {decisions.length === 0 ? (
        <p className="decision-log__empty">{t('decisions.empty')}</p>
      ) : (
        <ol className="decision-log__list" reversed>
          {[...decisions].reverse().map((decision) => (
            <li
              key={decision.index}
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
          ))}
        </ol>
      )}
    </section>
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
