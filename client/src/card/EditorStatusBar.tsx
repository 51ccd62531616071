import { useTranslation } from 'react-i18next'
import { SaveStatus } from '../sync/SaveStatus.tsx'
import { SyncProblems } from '../sync/SyncProblems.tsx'
import type { SyncSession, SyncSnapshot } from '../sync/syncSession.ts'
import type { RefusedTextView } from './refused/useRefusedText.ts'

type Props = {
  session: SyncSession
  snapshot: SyncSnapshot | null
  refused: RefusedTextView
  /** Moves focus to the first refused piece's first button (and scrolls it into view). */
  onShowRefused: () => void
}

/**
 * Where the eye is: the save status, the unsaved count, refused text and sync alerts, in the bar
 * that stays at the top of the editor while the answer scrolls (AnswerEditor's sticky part).
 * Alerts are role="alert" (SyncProblems); the save status speaks politely, only when it matters
 * (SaveStatus); what a piece's button did is a polite status beside them.
 */
export function EditorStatusBar({ session, snapshot, refused, onShowRefused }: Props) {
  const { t } = useTranslation()
  return (
    <div className="editor-status" data-testid="editor-status">
      <div className="editor-status__line">
        {refused.count > 0 ? (
          <button
            type="button"
            className="editor-status__refused"
            data-testid="refused-count"
            onClick={onShowRefused}
          >
            <span aria-hidden="true" className="editor-status__refused-icon">
              !
            </span>
            {t('refused.count', { count: refused.count })}
          </button>
        ) : null}
        <span className="editor-status__message" role="status" data-testid="refused-message">
          {refused.message ?? ''}
        </span>
        <SaveStatus snapshot={snapshot} />
      </div>
      <SyncProblems session={session} snapshot={snapshot} carried={refused.carried} />
    </div>
  )
}
