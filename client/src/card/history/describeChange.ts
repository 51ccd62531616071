/**
 * A change of the answer in words, as its tooltip and screen readers give it: "ditambahkan oleh
 * Budi (Kemlu), 6 Des 05.40". Shared by the comparison of versions and the since-last-visit
 * highlights, so that the two say a change the same way.
 */
import type { Ministry, TextChange } from '@kartu/protocol'
import type { TFunction } from 'i18next'
import { formatTime } from '../../app/formatTime.ts'
import type { Language } from '../../i18n/i18n.ts'

export function ministryShort(ministryId: string, ministries: readonly Ministry[]): string {
  return ministries.find((ministry) => ministry.id === ministryId)?.short ?? ministryId
}

export function describeChange(
  change: Pick<TextChange, 'kind' | 'author' | 'at' | 'format'>,
  t: TFunction,
  language: Language,
  ministries: readonly Ministry[],
): string {
  const who = change.author
    ? `${change.author.name} (${ministryShort(change.author.ministryId, ministries)})`
    : t('versions.someone')
  const what =
    change.kind === 'insert'
      ? t('versions.inserted', { who })
      : change.kind === 'delete'
        ? t('versions.deleted', { who })
        : t('versions.formatted', { who, format: (change.format ?? []).join(', ') })
  return change.at === null ? what : `${what}, ${formatTime(change.at, language)}`
}
