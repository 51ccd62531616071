/**
 * The export menu of a deck and of a card: the briefing book as Word (with suggestions and
 * comments for review, or the agreed text only), the PDF cue cards, and on the deck the minutes
 * of a rakor. A card's files are small and download at once; a deck's show their progress.
 */
import type { ExportFormat, ExportModeName } from '@kartu/protocol'
import { useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { exportUrls, fetchRakorSessions } from '../app/api.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { useDeckExport } from './useDeckExport.ts'

const CHOICES: ReadonlyArray<{
  format: ExportFormat
  mode: ExportModeName
  key: 'wordReview' | 'wordClean' | 'pdf'
}> = [
  { format: 'docx', mode: 'review', key: 'wordReview' },
  { format: 'docx', mode: 'clean', key: 'wordClean' },
  { format: 'pdf', mode: 'clean', key: 'pdf' },
]

export function CardExportMenu({ cardId }: { cardId: string }) {
  const { t } = useTranslation()
  return (
    <details className="export-menu" data-testid="card-export">
      <summary className="button">{t('export.menu')}</summary>
      <div className="export-menu__panel">
        <ul className="export-menu__list">
          {CHOICES.map((choice) => (
            <li key={choice.key}>
              <a
                href={exportUrls.card(cardId, choice.format, choice.mode)}
                download
                data-testid={`card-export-${choice.key}`}
              >
                {t(`export.${choice.key}`)}
              </a>
            </li>
          ))}
          <li>
            <button type="button" className="link-button" onClick={() => window.print()}>
              {t('export.print')}
            </button>
          </li>
        </ul>
      </div>
    </details>
  )
}

export function DeckExportMenu({ deckId }: { deckId: string }) {
  const { t } = useTranslation()
  const language = useLanguage()
  const { state, start } = useDeckExport(deckId)
  const sessionId = useId()
  const [open, setOpen] = useState(false)
  const sessions = useQuery({
    queryKey: queryKeys.rakorSessions(deckId),
    queryFn: () => fetchRakorSessions(deckId),
    enabled: open,
  })
  const [session, setSession] = useState<string | null>(null)
  const chosen = session ?? sessions.data?.sessions[0]?.id ?? 'current'
  const dateOf = (at: number) =>
    new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(at))
  const running = state.phase === 'running'
  return (
    <details
      className="export-menu"
      data-testid="deck-export"
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="button">{t('export.menu')}</summary>
      <div className="export-menu__panel">
        <h2 className="export-menu__title">{t('export.book')}</h2>
        <ul className="export-menu__list">
          {CHOICES.map((choice) => (
            <li key={choice.key}>
              <button
                type="button"
                className="link-button"
                disabled={running}
                onClick={() => start(choice.format, choice.mode)}
                data-testid={`deck-export-${choice.key}`}
              >
                {t(`export.${choice.key}`)}
              </button>
            </li>
          ))}
        </ul>
        {state.phase === 'idle' ? null : (
          <div className="export-menu__progress">
            {running ? (
              <progress
                max={Math.max(state.total, 1) + 1}
                value={state.done}
                aria-label={t('export.progressLabel')}
                data-testid="deck-export-progress"
              />
            ) : null}
            <p role="status" className="export-menu__status" data-testid="deck-export-status">
              {state.phase === 'running'
                ? state.total === 0
                  ? t('export.starting')
                  : state.done < state.total
                    ? t('export.reading', { done: state.done, total: state.total })
                    : t('export.writing')
                : state.phase === 'done'
                  ? t('export.done', { file: state.fileName })
                  : state.code === 'too_many_exports'
                    ? t('export.busy')
                    : t('export.failed', { message: state.message })}
            </p>
          </div>
        )}
        <h2 className="export-menu__title">{t('export.minutes')}</h2>
        <label htmlFor={sessionId}>{t('export.session')}</label>
        <select
          id={sessionId}
          value={chosen}
          onChange={(event) => setSession(event.target.value)}
          data-testid="minutes-session"
        >
          {(sessions.data?.sessions ?? []).map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.name || t('export.unnamedSession')} ({dateOf(entry.at)})
            </option>
          ))}
          <option value="current">{t('export.currentSession')}</option>
        </select>
        <ul className="export-menu__list">
          {(['docx', 'pdf'] as const).map((format) => (
            <li key={format}>
              <a
                href={exportUrls.minutes(deckId, format, chosen)}
                download
                data-testid={`minutes-${format}`}
              >
                {t(`export.minutes_${format}`)}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </details>
  )
}
