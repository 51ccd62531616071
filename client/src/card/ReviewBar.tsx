import type { Role } from '@kartu/protocol'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import {
  canChangeText,
  canComment,
  canSwitchMode,
  heldBySuggestOnly,
  mustSuggest,
} from './review/permissions.ts'

type Props = {
  role: Role
  locked: boolean
  /** "Everyone suggests" is on for the card: an editor is held on Suggesting. */
  suggestOnly: boolean
  suggesting: boolean
  /** Whether this build has the suggestion engine; without it there is nothing to switch. */
  engineAvailable: boolean
  onSuggestingChange: (suggesting: boolean) => void
  onComment: () => void
  notice: string | null
}

/** Above the answer: Editing / Suggesting, and "Comment" on the selected words. */
export function ReviewBar({
  role,
  locked,
  suggestOnly,
  suggesting,
  engineAvailable,
  onSuggestingChange,
  onComment,
  notice,
}: Props) {
  const { t } = useTranslation()
  const switchable = canSwitchMode(role, suggestOnly) && engineAvailable
  const forced = mustSuggest(role, suggestOnly)
  const held = heldBySuggestOnly(role, suggestOnly) && canChangeText(role) && !locked
  const heldNoteId = useId()
  return (
    <fieldset className="review-bar">
      <legend className="visually-hidden">{t('review.bar')}</legend>
      {canChangeText(role) && !locked ? (
        <button
          type="button"
          className="mode-switch"
          data-testid="mode-switch"
          data-mode={suggesting ? 'suggesting' : 'editing'}
          aria-pressed={suggesting}
          aria-disabled={!switchable}
          aria-describedby={held ? heldNoteId : undefined}
          title={
            held
              ? t('review.heldBySuggestOnly')
              : forced
                ? t('review.suggestOnly')
                : engineAvailable
                  ? t('review.modeHint')
                  : t('review.engineMissing')
          }
          onClick={() => {
            if (switchable) onSuggestingChange(!suggesting)
          }}
        >
          {/* The name is "Suggesting mode: Editing Suggesting": what the pressed state turns on,
              then the words on screen, which a speech-input user says to press it (WCAG 2.5.3). */}
          <span className="visually-hidden">{t('review.suggestingMode')}: </span>
          <span className="mode-switch__option" data-active={!suggesting}>
            {t('review.modeEditing')}
          </span>
          <span className="mode-switch__option" data-active={suggesting}>
            {t('review.modeSuggesting')}
          </span>
        </button>
      ) : null}
      {canComment(role) ? (
        <button
          type="button"
          className="button"
          data-testid="comment-button"
          aria-keyshortcuts="Control+Alt+M"
          title={t('comments.addHint')}
          // Keep the selection in the answer: a click must not move it first.
          onMouseDown={(event) => event.preventDefault()}
          onClick={onComment}
        >
          {t('comments.add')}
        </button>
      ) : null}
      {held ? (
        <p className="review-bar__held" id={heldNoteId} data-testid="mode-held-note">
          {t('review.heldBySuggestOnly')}
        </p>
      ) : null}
      <p className="review-bar__notice" role="status">
        {notice ?? ''}
      </p>
    </fieldset>
  )
}
