import type { Ministry } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { formatDay } from '../app/dueDate.ts'
import { formatTime } from '../app/formatTime.ts'
import { useActivity } from '../app/useActivity.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import type { DecisionView, RestoreView } from './review/decisions.ts'
import {
  decisionLogEntries,
  ministryShorts,
  type SignOffEntry as SignOffRecord,
  signOffEntries,
} from './review/signOffLog.ts'
import type { ThreadView } from './review/threads.ts'
import { commentsOf, ReadOnlyComment } from './SuggestionThread.tsx'

/** The activity kinds the log shows beside the decisions. */
const SIGN_OFF_KINDS = ['assignment', 'clearance', 'final'] as const

/**
 * Every decision on the card's suggestions, newest first: who, when, what, and why; and the
 * discussion the suggestion had, linked by its id (resolved with the decision). Restores of a
 * version are entries of the same log, in their place; so are the sign-off events (assignments,
 * clearances, "final"), read from the server's audit through the card's timeline query (the
 * same request as the timeline's, refreshed when sign-off changes it) and placed by time.
 */
export function DecisionLog({
  cardId,
  decisions,
  restores = [],
  threads,
  ministries,
}: {
  cardId: string
  decisions: readonly DecisionView[]
  restores?: readonly RestoreView[]
  /** Threads by the suggestion they discuss. */
  threads: ReadonlyMap<string, readonly ThreadView[]>
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  // Every ministry's events: the log does not follow the timeline's ministry filter.
  const activity = useActivity({ cardId }, '', SIGN_OFF_KINDS)
  const entries = decisionLogEntries(
    decisions,
    restores,
    signOffEntries(activity.data?.events ?? []),
  )
  return (
    <section
      className="decision-log"
      aria-labelledby="decision-log-heading"
      data-testid="decision-log"
    >
      <h2 id="decision-log-heading" className="decision-log__title">
        {t('decisions.title')} <span className="decision-log__count">({entries.length})</span>
      </h2>
      {activity.error && !activity.data ? (
        // The decisions are in the document; only the audited part is missing, and says so.
        <p className="decision-log__empty" data-testid="sign-off-log-failed">
          {t('decisions.signOff.failed', { message: activity.error.message })}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="decision-log__empty">{t('decisions.empty')}</p>
      ) : (
        <ol className="decision-log__list" reversed>
          {entries.map((entry) =>
            entry.type === 'restore' ? (
              <RestoreEntry
                key={entry.key}
                restore={entry.restore}
                threads={threads}
                ministries={ministries}
              />
            ) : entry.type === 'decision' ? (
              <DecisionEntry
                key={entry.key}
                decision={entry.decision}
                threads={threads}
                ministries={ministries}
              />
            ) : (
              <SignOffEntry key={entry.key} entry={entry.signOff} ministries={ministries} />
            ),
          )}
        </ol>
      )}
    </section>
  )
}

/**
 * A sign-off event in one line: "Kemlu menyetujui teks · Sari · 27 Nov 14.05", "Final ditetapkan
 * oleh Sari · …" with the override's missing ministries and reason below it. Its own test id:
 * browser tests count the suggestions' decisions by theirs.
 */
function SignOffEntry({
  entry,
  ministries,
}: {
  entry: SignOffRecord
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const { facts } = entry
  const name = entry.person?.name ?? t('activity.kartu')
  let what: string
  let variant: string
  let override: string | null = null
  switch (facts.kind) {
    case 'clearance': {
      const ministry = ministryShorts([facts.ministry], ministries)
      what = t(`decisions.signOff.${facts.outcome}`, { ministry })
      variant = `clearance-${facts.outcome}`
      break
    }
    case 'assignment':
      what = t('decisions.signOff.assignment', {
        lead: ministryShorts([facts.lead], ministries),
        contributing:
          facts.contributing.length === 0
            ? t('decisions.signOff.noContributing')
            : t('decisions.signOff.contributing', {
                ministries: ministryShorts(facts.contributing, ministries),
              }),
        due:
          facts.dueDate === null
            ? t('decisions.signOff.noDueDate')
            : t('decisions.signOff.dueDate', { date: formatDay(facts.dueDate, language) }),
      })
      variant = 'assignment'
      break
    case 'final':
      what = t('decisions.signOff.final', { name })
      variant = facts.override === null ? 'final' : 'final-override'
      if (facts.override !== null) {
        // The server keeps a reason only with the ministries missing; a bare one is shown all the same.
        override =
          facts.missing.length === 0
            ? t('decisions.signOff.overrideReason', { reason: facts.override })
            : t('decisions.signOff.override', {
                count: facts.missing.length,
                missing: ministryShorts(facts.missing, ministries),
                reason: facts.override,
              })
      }
      break
  }
  return (
    <li
      className={`decision-entry decision-entry--sign-off decision-entry--${variant}`}
      data-testid="sign-off-entry"
      data-kind={facts.kind}
      data-outcome={facts.kind === 'clearance' ? facts.outcome : undefined}
      data-ministry-id={facts.kind === 'clearance' ? facts.ministry : undefined}
      data-override={facts.kind === 'final' ? facts.override !== null : undefined}
    >
      <p className="decision-entry__head">
        <span className="decision-entry__outcome">{what}</span>
        {facts.kind === 'final' ? null : (
          <>
            {' · '}
            <span className="decision-entry__who">{name}</span>
          </>
        )}
        {' · '}
        <time className="decision-entry__time" dateTime={new Date(entry.at).toISOString()}>
          {formatTime(entry.at, language)}
        </time>
      </p>
      {override === null ? null : (
        <p className="decision-entry__override" data-testid="sign-off-entry-reason">
          {override}
        </p>
      )}
    </li>
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
