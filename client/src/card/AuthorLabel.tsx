import type { Ministry } from '@kartu/protocol'
import type { Author } from '@kartu/schema'
import { useTranslation } from 'react-i18next'
import { ministryName } from '../app/localized.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { ministryColor } from './review/reviewStyles.ts'

/**
 * A person and their ministry, with the ministry's colour: always from the server's record of who
 * wrote the thing (authors.ts), or "not known yet" until that record arrives.
 */
export function AuthorLabel({
  author,
  ministries,
}: {
  author: Author | null
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  if (!author)
    return <span className="author-label author-label--unknown">{t('review.unknownAuthor')}</span>
  const ministry = ministries.find((candidate) => candidate.id === author.ministryId)
  return (
    <span
      className="author-label"
      data-user-id={author.userId}
      data-ministry-id={author.ministryId}
    >
      <span
        className="author-label__swatch"
        aria-hidden="true"
        style={{ backgroundColor: ministryColor(author.ministryId, ministries) }}
      />
      <span className="author-label__name">{author.name}</span>
      {author.ministryId === '' ? null : (
        // An author imported from a Word file whose name matched no ministry has none.
        <span className="author-label__ministry">
          {' · '}
          <abbr title={ministry ? ministryName(ministry, language) : author.ministryId}>
            {ministry?.short ?? author.ministryId}
          </abbr>
        </span>
      )}
    </span>
  )
}
