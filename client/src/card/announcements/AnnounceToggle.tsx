import { Megaphone, MegaphoneOff } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../../app/icons.ts'
import { setAnnouncesActivity, useAnnouncesActivity } from './announceSetting.ts'

/**
 * Turns the announcements of other people's activity off and on (ActivityAnnouncer.tsx), for
 * this browser. The state is said in words beside the icon; what it does is the description.
 */
export function AnnounceToggle() {
  const { t } = useTranslation()
  const on = useAnnouncesActivity()
  const hintId = useId()
  return (
    <span className="announce-toggle">
      <button
        type="button"
        className="button announce-toggle__button"
        data-testid="announce-toggle"
        aria-pressed={on}
        aria-describedby={hintId}
        title={t('announce.hint')}
        onClick={() => setAnnouncesActivity(!on)}
      >
        {on ? <Megaphone {...ICON} /> : <MegaphoneOff {...ICON} />}
        {t('announce.toggle')}
        <span className="announce-toggle__state" aria-hidden="true">
          {on ? t('announce.on') : t('announce.off')}
        </span>
      </button>
      <span id={hintId} className="visually-hidden">
        {t('announce.hint')}
      </span>
    </span>
  )
}
