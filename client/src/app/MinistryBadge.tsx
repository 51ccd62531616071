import type { Ministry } from '@kartu/protocol'
import { useLanguage } from '../i18n/useLanguage.ts'
import { neutralColor, safeColor, textColorOn } from './colors.ts'
import { ministryName } from './localized.ts'

type Props = {
  /** The ministry's id as a card names it. */
  ministryId: string
  ministries: readonly Ministry[]
}

/** A ministry's short name on its own colour; the full name on hover and for screen readers. */
export function MinistryBadge({ ministryId, ministries }: Props) {
  const language = useLanguage()
  const ministry = ministries.find((candidate) => candidate.id === ministryId)
  const background = ministry ? safeColor(ministry.color) : neutralColor
  const fullName = ministry ? ministryName(ministry, language) : ministryId
  return (
    <span
      className="ministry-badge"
      style={{ backgroundColor: background, color: textColorOn(background) }}
      data-ministry-id={ministryId}
    >
      <abbr title={fullName}>{ministry?.short ?? ministryId}</abbr>
    </span>
  )
}
