import type { PresenceUser } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { safeColor, textColorOn } from './colors.ts'

/** A person who is here now: their name on their ministry's colour. */
export function PresenceBadge({
  user,
  showMinistry = false,
}: {
  user: PresenceUser
  showMinistry?: boolean
}) {
  const { t } = useTranslation()
  const color = safeColor(user.color)
  const label = t('presence.badge', { name: user.name, ministry: user.ministry })
  return (
    <span
      className="presence-badge"
      data-testid="presence-badge"
      data-user-id={user.id}
      style={{ backgroundColor: color, color: textColorOn(color) }}
      title={label}
    >
      {showMinistry ? label : user.name}
      {showMinistry ? null : <span className="visually-hidden"> · {user.ministry}</span>}
    </span>
  )
}
