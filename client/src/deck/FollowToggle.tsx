import { useTranslation } from 'react-i18next'
import type { FollowChair } from './useFollowChair.ts'

/** "Follow the chair": while on, this view goes where the chair's projected view goes. */
export function FollowToggle({ follow }: { follow: FollowChair }) {
  const { t } = useTranslation()
  const { chair, following, stoppedByTyping, setFollowing } = follow
  let status: string
  if (!following) status = stoppedByTyping ? t('follow.stoppedTyping') : ''
  else if (!chair) status = t('follow.noChair')
  else if (!chair.focus) status = t('follow.waiting', { name: chair.user.name })
  else status = t('follow.following', { name: chair.user.name })
  return (
    <span className="follow">
      <button
        type="button"
        className="button follow__toggle"
        data-testid="follow-toggle"
        aria-pressed={following}
        onClick={() => setFollowing(!following)}
        title={t('follow.hint')}
      >
        {t('follow.toggle')}
      </button>
      <span className="follow__status" role="status" data-testid="follow-status">
        {status}
      </span>
    </span>
  )
}
