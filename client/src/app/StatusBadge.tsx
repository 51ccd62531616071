import type { CardStatus } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'

export function StatusBadge({ status }: { status: CardStatus }) {
  const { t } = useTranslation()
  return (
    <span className={`status-badge status-badge--${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  )
}
