import type { Card, Ministry } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { dueUrgency, formatDueDate } from '../app/dueDate.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { clearanceSummary } from './clearanceSummary.ts'

type Props = {
  card: Card
  ministries: readonly Ministry[]
  /** Today as YYYY-MM-DD (dueDate.ts `localDay`), the same for every row. */
  today: string
}

/**
 * A dashboard row's sign-off: how many assigned ministries have cleared the current text ("2/3
 * disetujui"), whose clearance went stale, and the due date, past ones in the warning colour.
 */
export function ClearanceCell({ card, ministries, today }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const summary = clearanceSummary(card)
  const short = (id: string) => ministries.find((ministry) => ministry.id === id)?.short ?? id
  const final = card.status === 'final'
  const complete = summary.assigned.length > 0 && summary.missing.length === 0
  // Cleared by every ministry, the answer is in: its date is no longer a warning.
  const due = card.dueDate === null ? null : dueUrgency(card.dueDate, today, final || complete)
  const dueText = card.dueDate === null ? null : formatDueDate(card.dueDate, language, today)
  return (
    <>
      {summary.assigned.length === 0 ? (
        <span className="clearance clearance--none" data-testid="clearance">
          {final ? t('workList.clearance.final') : t('workList.clearance.unassigned')}
        </span>
      ) : (
        <span
          className={complete ? 'clearance clearance--complete' : 'clearance'}
          data-testid="clearance"
          data-cleared={summary.cleared}
          data-assigned={summary.assigned.length}
          title={
            summary.missing.length > 0
              ? t('workList.clearance.missing', {
                  ministries: summary.missing.map(short).join(', '),
                })
              : undefined
          }
        >
          <span aria-hidden="true">
            {t('workList.clearance.count', {
              cleared: summary.cleared,
              count: summary.assigned.length,
            })}
          </span>
          <span className="visually-hidden">
            {t('workList.clearance.long', {
              cleared: summary.cleared,
              count: summary.assigned.length,
            })}
            {summary.missing.length > 0
              ? `. ${t('workList.clearance.missing', { ministries: summary.missing.map(short).join(', ') })}`
              : ''}
          </span>
        </span>
      )}
      {summary.stale.length > 0 ? (
        <span
          className="stale-flag"
          data-testid="clearance-stale"
          data-count={summary.stale.length}
          title={t('workList.clearance.staleLong', {
            ministries: summary.stale.map(short).join(', '),
          })}
        >
          <span aria-hidden="true">
            {t('workList.clearance.stale', { count: summary.stale.length })}
          </span>
          <span className="visually-hidden">
            {t('workList.clearance.staleLong', {
              ministries: summary.stale.map(short).join(', '),
            })}
          </span>
        </span>
      ) : null}
      {dueText !== null && card.dueDate !== null ? (
        <time
          className={`due-date${due ? ` due-date--${due}` : ''}`}
          dateTime={card.dueDate}
          data-testid="due-date"
          data-due={due ?? 'none'}
        >
          {due === 'overdue'
            ? t('workList.due.overdue', { date: dueText })
            : due === 'today'
              ? t('workList.due.today')
              : due === 'soon'
                ? t('workList.due.soon', { date: dueText })
                : t('workList.due.date', { date: dueText })}
        </time>
      ) : null}
    </>
  )
}
