import type { Ministry } from '@kartu/protocol'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { compareVersions } from '../../app/api.ts'
import { queryKeys } from '../../app/queryKeys.ts'
import { VersionCompare } from '../VersionCompare.tsx'

/** The comparison of two versions, or of one with the answer now (asked again when reopened). */
export function ComparedVersions({
  cardId,
  from,
  to,
  title,
  ministries,
  revealRef,
}: {
  cardId: string
  from: string
  to: string | null
  title: string
  ministries: readonly Ministry[]
  /**
   * Given the comparison's heading, or the failure said in its place, once it is there (a link
   * opened the comparison: useRevealOnArrival.ts). Focusable then.
   */
  revealRef?: (node: HTMLElement | null) => void
}) {
  const { t } = useTranslation()
  const comparison = useQuery({
    queryKey: queryKeys.comparison(cardId, from, to),
    queryFn: () => compareVersions(cardId, from, to),
    // Two versions never change; the answer now does.
    staleTime: to === null ? 0 : Number.POSITIVE_INFINITY,
  })
  if (comparison.error) {
    return (
      <p
        className="versions__empty"
        role="alert"
        ref={revealRef}
        tabIndex={revealRef ? -1 : undefined}
      >
        {t('versions.compareFailed', { message: comparison.error.message })}
      </p>
    )
  }
  if (!comparison.data) return <p className="versions__empty">{t('versions.compareLoading')}</p>
  return (
    <VersionCompare
      comparison={comparison.data}
      title={title}
      ministries={ministries}
      headingRef={revealRef}
    />
  )
}
