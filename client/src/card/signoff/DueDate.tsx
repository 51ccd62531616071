import { CalendarClock } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { dueStanding, formatDay, localDay } from '../../app/dueDate.ts'
import { ICON } from '../../app/icons.ts'
import { useLanguage } from '../../i18n/useLanguage.ts'

/**
 * When the answer is due, and how that stands today: overdue in words and in colour (never the
 * colour alone). A final card is no longer late.
 */
export function DueDate({ dueDate, final }: { dueDate: string | null; final: boolean }) {
  const { t } = useTranslation()
  const language = useLanguage()
  if (dueDate === null) {
    return (
      <p className="sign-off__due" data-testid="sign-off-due">
        <CalendarClock {...ICON} /> {t('signOff.due.label')}: {t('signOff.due.none')}
      </p>
    )
  }
  const state = final ? null : dueStanding(dueDate, localDay())
  let when = ''
  if (state?.kind === 'overdue') when = t('signOff.due.overdue', { count: state.days })
  else if (state?.kind === 'today') when = t('signOff.due.today')
  else if (state?.kind === 'upcoming') when = t('signOff.due.upcoming', { count: state.days })
  return (
    <p
      className={`sign-off__due${state?.kind === 'overdue' ? ' sign-off__due--overdue' : ''}`}
      data-testid="sign-off-due"
      data-due={state?.kind ?? 'none'}
    >
      <CalendarClock {...ICON} /> {t('signOff.due.label')}:{' '}
      <time dateTime={dueDate}>{formatDay(dueDate, language)}</time>
      {when === '' ? null : <span className="sign-off__due-when"> · {when}</span>}
    </p>
  )
}
