import { type Ministry, Role, type Version } from '@kartu/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { createVersion, fetchVersion, fetchVersions, restoreVersion } from '../app/api.ts'
import { formatTime } from '../app/formatTime.ts'
import { queryKeys } from '../app/queryKeys.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { ComparedVersions } from './history/ComparedVersions.tsx'

/** Automatic versions appear while the card is open: the list is asked again now and then. */
const REFRESH_MS = 60_000

/** Bytes as megabytes with one decimal, for the history's size budget. */
function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1)
}

/** The answer as it is now, in the compare form's "to" list. */
const NOW = 'now'

/**
 * The versions of the card's answer, newest first (server: history/cardVersions.ts): automatic
 * ones after five minutes without a change, and the ones the chair and editors name here. Any
 * version's answer can be read beside the list, any two compared (or one with the answer now),
 * and the chair can restore one.
 */
export function VersionHistory({
  cardId,
  role,
  ministries,
  restores,
}: {
  cardId: string
  role: Role
  ministries: readonly Ministry[]
  /** Restores in the decision log: a new one brought a version (the text before it). */
  restores: number
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
  useEffect(() => {
    // Seen live in the card document; the list is asked again at once, not at the next refresh.
    if (restores > 0) void queryClient.invalidateQueries({ queryKey: queryKeys.versions(cardId) })
  }, [restores, cardId, queryClient])
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
  const canRestore = role === Role.Chair
  const list = versions.data?.versions ?? []
  const budget = versions.data?.budget
  const label = (version: Version) => version.name ?? t('versions.automatic')
  const [restoring, setRestoring] = useState<Version | null>(null)
  const [fromChoice, setFrom] = useState<string | null>(null)
  const [toChoice, setTo] = useState<string>(NOW)
  const [comparing, setComparing] = useState<{ from: string; to: string } | null>(null)
  const fromId = fromChoice ?? list[0]?.id ?? ''
  const fromFieldId = useId()
  const toFieldId = useId()
  const byId = new Map(list.map((version) => [version.id, version]))
  const optionLabel = (version: Version) =>
    `${label(version)} · ${formatTime(version.createdAt, language)}`

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
      {budget && budget.usedBytes > budget.limitBytes ? (
        <p className="notice notice--warn" data-testid="versions-over-budget">
          {t('versions.overBudget', {
            used: megabytes(budget.usedBytes),
            limit: megabytes(budget.limitBytes),
          })}
        </p>
      ) : null}
      {list.length > 0 ? (
        <form
          className="versions__compare"
          aria-label={t('versions.compareTitle')}
          onSubmit={(event) => {
            event.preventDefault()
            if (fromId !== '') setComparing({ from: fromId, to: toChoice })
          }}
        >
          <label htmlFor={fromFieldId}>{t('versions.compareFrom')}</label>
          <select
            id={fromFieldId}
            value={fromId}
            onChange={(event) => setFrom(event.target.value)}
            data-testid="compare-from"
          >
            {list.map((version) => (
              <option key={version.id} value={version.id}>
                {optionLabel(version)}
              </option>
            ))}
          </select>
          <label htmlFor={toFieldId}>{t('versions.compareTo')}</label>
          <select
            id={toFieldId}
            value={toChoice}
            onChange={(event) => setTo(event.target.value)}
            data-testid="compare-to"
          >
            <option value={NOW}>{t('versions.now')}</option>
            {list.map((version) => (
              <option key={version.id} value={version.id}>
                {optionLabel(version)}
              </option>
            ))}
          </select>
          <button type="submit" className="button" data-testid="compare-submit">
            {t('versions.compare')}
          </button>
        </form>
      ) : null}
      {comparing ? (
        <ComparedVersions
          cardId={cardId}
          from={comparing.from}
          to={comparing.to === NOW ? null : comparing.to}
          title={t('versions.comparing', {
            from: byId.get(comparing.from) ? label(byId.get(comparing.from) as Version) : '',
            to:
              comparing.to === NOW
                ? t('versions.now')
                : byId.get(comparing.to)
                  ? label(byId.get(comparing.to) as Version)
                  : '',
          })}
          ministries={ministries}
        />
      ) : null}
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
              {canRestore ? (
                <button
                  type="button"
                  className="button button--small"
                  aria-expanded={restoring?.id === version.id}
                  onClick={() => setRestoring(restoring?.id === version.id ? null : version)}
                  data-testid="version-restore"
                >
                  {t('versions.restore')}
                </button>
              ) : null}
              {restoring?.id === version.id ? (
                <RestoreForm
                  cardId={cardId}
                  version={version}
                  name={label(version)}
                  onDone={(message) => {
                    setRestoring(null)
                    setStatus(message)
                    void queryClient.invalidateQueries({ queryKey: queryKeys.versions(cardId) })
                  }}
                  onCancel={() => setRestoring(null)}
                />
              ) : null}
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

/** The chair's restore of one version: a reason, then the restore. */
function RestoreForm({
  cardId,
  version,
  name,
  onDone,
  onCancel,
}: {
  cardId: string
  version: Version
  name: string
  onDone: (message: string) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const reasonId = useId()
  const helpId = useId()
  const [reason, setReason] = useState('')
  const restore = useMutation({
    mutationFn: (why: string) => restoreVersion(cardId, version.id, why),
    onSuccess: (result) =>
      onDone(
        result.orphanedSuggestions > 0
          ? t('versions.restoredOrphans', { name, count: result.orphanedSuggestions })
          : t('versions.restored', { name }),
      ),
  })
  return (
    <form
      className="version-restore"
      aria-label={t('versions.restoreTitle', { name })}
      onSubmit={(event) => {
        event.preventDefault()
        const why = reason.trim()
        if (why !== '' && !restore.isPending) restore.mutate(why)
      }}
      data-testid="version-restore-form"
    >
      <p className="version-restore__title">{t('versions.restoreTitle', { name })}</p>
      <p id={helpId} className="version-restore__help">
        {t('versions.restoreHelp')}
      </p>
      <label htmlFor={reasonId}>{t('versions.restoreReason')}</label>
      <textarea
        id={reasonId}
        aria-describedby={helpId}
        value={reason}
        maxLength={2000}
        rows={2}
        onChange={(event) => setReason(event.target.value)}
        data-testid="version-restore-reason"
      />
      {restore.error ? (
        <p className="version-restore__error" role="alert">
          {t('versions.restoreFailed', { message: restore.error.message })}
        </p>
      ) : null}
      <div className="version-restore__actions">
        <button
          type="submit"
          className="button button--reject"
          disabled={reason.trim() === '' || restore.isPending}
          data-testid="version-restore-confirm"
        >
          {restore.isPending ? t('versions.restoring') : t('versions.restoreConfirm')}
        </button>
        <button type="button" className="button button--small" onClick={onCancel}>
          {t('versions.restoreCancel')}
        </button>
      </div>
    </form>
  )
}
