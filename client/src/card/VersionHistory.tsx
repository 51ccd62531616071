import { type Ministry, Role, type Version } from '@kartu/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { createVersion, fetchVersion, fetchVersions } from '../app/api.ts'
import { formatTime } from '../app/formatTime.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'

/** Automatic versions appear while the card is open: the list is asked again now and then. */
const REFRESH_MS = 60_000

/**
 * The versions of the card's answer, newest first (server: history/cardVersions.ts): automatic
 * ones after five minutes without a change, and the ones the chair and editors name here. Any
 * version's answer can be read beside the list.
 */
export function VersionHistory({
  cardId,
  role,
  ministries,
}: {
  cardId: string
  role: Role
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const queryClient = useQueryClient()
  const nameId = useId()
  const versions = useQuery({
    queryKey: queryKeys.versions(cardId),
    queryFn: () => fetchVersions(cardId),
    refetchInterval: REFRESH_MS,
  })
  const [name, setName] = useState('')
  const [status, setStatus] = useState<string | null>(null)
  const [viewing, setViewing] = useState<Version | null>(null)
  const create = useMutation({
    mutationFn: (chosen: string) => createVersion(cardId, chosen),
    onSuccess: (_created, chosen) => {
      setStatus(t('versions.saved', { name: chosen }))
      setName('')
      void queryClient.invalidateQueries({ queryKey: queryKeys.versions(cardId) })
    },
    onError: (error) => setStatus(t('versions.failed', { message: error.message })),
  })
  const canName = role === Role.Chair || role === Role.Editor
  const list = versions.data?.versions ?? []
  const label = (version: Version) => version.name ?? t('versions.automatic')

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const chosen = name.trim()
    if (chosen === '' || create.isPending) return
    create.mutate(chosen)
  }

  return (
    <section className="versions" aria-labelledby="versions-heading" data-testid="versions">
      <h2 id="versions-heading" className="versions__title">
        {t('versions.title')} <span className="versions__count">({list.length})</span>
      </h2>
      {canName ? (
        <form className="versions__form" onSubmit={submit}>
          <label htmlFor={nameId}>{t('versions.nameLabel')}</label>
          <input
            id={nameId}
            value={name}
            maxLength={120}
            onChange={(event) => setName(event.target.value)}
            data-testid="version-name"
          />
          <button
            type="submit"
            className="button"
            disabled={name.trim() === '' || create.isPending}
            data-testid="version-save"
          >
            {create.isPending ? t('versions.saving') : t('versions.save')}
          </button>
        </form>
      ) : null}
      <p className="versions__status" role="status" data-testid="version-status">
        {status}
      </p>
      {list.length === 0 ? (
        <p className="versions__empty">{t('versions.empty')}</p>
      ) : (
        <ol className="versions__list">
          {list.map((version) => (
            <li
              key={version.id}
              className={`version-entry version-entry--${version.kind}`}
              data-testid="version-entry"
              data-kind={version.kind}
            >
              <span className="version-entry__name">{label(version)}</span>
              <span className="version-entry__facts">
                <time dateTime={new Date(version.createdAt).toISOString()}>
                  {formatTime(version.createdAt, language)}
                </time>
                {' · '}
                {version.createdBy ? (
                  <AuthorLabel author={version.createdBy} ministries={ministries} />
                ) : (
                  t(`versions.kind.${version.kind}`)
                )}
                {' · '}
                {t('versions.words', { count: version.words })}
              </span>
              <button
                type="button"
                className="button button--small"
                aria-pressed={viewing?.id === version.id}
                onClick={() => setViewing(viewing?.id === version.id ? null : version)}
                data-testid="version-view"
              >
                {viewing?.id === version.id ? t('versions.close') : t('versions.view')}
              </button>
            </li>
          ))}
        </ol>
      )}
      {viewing ? (
        <VersionText
          cardId={cardId}
          version={viewing}
          title={t('versions.viewing', {
            name: label(viewing),
            time: formatTime(viewing.createdAt, language),
          })}
        />
      ) : null}
    </section>
  )
}

/** One version's answer, read-only, paragraph by paragraph. */
function VersionText({
  cardId,
  version,
  title,
}: {
  cardId: string
  version: Version
  title: string
}) {
  const { t } = useTranslation()
  const detail = useQuery({
    queryKey: queryKeys.version(cardId, version.id),
    queryFn: () => fetchVersion(cardId, version.id),
    // A version never changes.
    staleTime: Number.POSITIVE_INFINITY,
  })
  return (
    <article className="version-text" aria-label={title} data-testid="version-text">
      <h3 className="version-text__title">{title}</h3>
      {detail.data ? (
        detail.data.text
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line, index) => (
            // The lines of a fixed text: their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <p key={index}>{line}</p>
          ))
      ) : (
        <p className="versions__empty">{t('versions.loading')}</p>
      )}
    </article>
  )
}
