import { type InboxKind, inboxKindSchema, type NotificationSettings } from '@kartu/protocol'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { languages } from '../i18n/i18n.ts'
import { useNotificationSettings, useUpdateNotificationSettings } from './inboxQueries.ts'

/** The person's notification settings: e-mail at once for mentions, a digest, muted kinds. */
export function NotificationSettingsSection() {
  const { t } = useTranslation()
  const headingId = useId()
  const settings = useNotificationSettings()
  // Here, not in the form: a save renews the stored settings, and with them the form (its key).
  const update = useUpdateNotificationSettings()
  return (
    <section
      className="inbox-settings"
      aria-labelledby={headingId}
      data-testid="notification-settings"
    >
      <h2 id={headingId} className="inbox-settings__title">
        {t('inbox.settings.title')}
      </h2>
      {settings.data ? (
        // A fresh form whenever the stored settings change (saved here or in another tab).
        <SettingsForm
          key={JSON.stringify(settings.data.settings)}
          stored={settings.data.settings}
          emailAvailable={settings.data.emailAvailable}
          onSave={(draft) => update.mutate(draft)}
          pending={update.isPending}
          saved={update.isSuccess}
          error={update.error}
        />
      ) : settings.error ? (
        <p className="form__error" role="alert">
          {t('inbox.settings.loadFailed', { message: settings.error.message })}
        </p>
      ) : (
        <p className="loading">{t('app.loading')}</p>
      )}
    </section>
  )
}

type FormProps = {
  stored: NotificationSettings
  emailAvailable: boolean
  onSave: (settings: NotificationSettings) => void
  pending: boolean
  /** The last save went through (and nothing was changed since). */
  saved: boolean
  error: Error | null
}

function SettingsForm({ stored, emailAvailable, onSave, pending, saved, error }: FormProps) {
  const { t } = useTranslation()
  const languageId = useId()
  const noEmailId = useId()
  const [draft, setDraft] = useState(stored)
  const [edited, setEdited] = useState(false)
  const change = (next: Partial<NotificationSettings>) => {
    setDraft((current) => ({ ...current, ...next }))
    setEdited(true)
  }
  const toggleMuted = (kind: InboxKind, muted: boolean) => {
    const rest = draft.muted.filter((candidate) => candidate !== kind)
    change({ muted: muted ? [...rest, kind] : rest })
  }
  const describedBy = emailAvailable ? undefined : noEmailId
  return (
    <form
      className="inbox-settings__form"
      onSubmit={(event) => {
        event.preventDefault()
        setEdited(false)
        onSave(draft)
      }}
    >
      {emailAvailable ? null : (
        <p id={noEmailId} className="notice notice--info" data-testid="no-email">
          {t('inbox.settings.noEmail')}
        </p>
      )}
      <label className="inbox-settings__check">
        <input
          type="checkbox"
          checked={draft.emailMentions}
          onChange={(event) => change({ emailMentions: event.target.checked })}
          aria-describedby={describedBy}
        />
        {t('inbox.settings.emailMentions')}
      </label>
      <label className="inbox-settings__check">
        <input
          type="checkbox"
          checked={draft.emailDigest}
          onChange={(event) => change({ emailDigest: event.target.checked })}
          aria-describedby={describedBy}
        />
        {t('inbox.settings.emailDigest')}
      </label>
      <div className="inbox-settings__field">
        <label htmlFor={languageId}>{t('inbox.settings.language')}</label>
        <select
          id={languageId}
          value={draft.language}
          onChange={(event) => {
            const language = languages.find((candidate) => candidate === event.target.value)
            if (language) change({ language })
          }}
          aria-describedby={describedBy}
        >
          {languages.map((language) => (
            <option key={language} value={language} lang={language}>
              {t(`language.${language}`)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="inbox-settings__muted">
        <legend>{t('inbox.settings.muted')}</legend>
        <p className="form__hint">{t('inbox.settings.mutedHint')}</p>
        {inboxKindSchema.options.map((kind) => (
          <label key={kind} className="inbox-settings__check">
            <input
              type="checkbox"
              checked={draft.muted.includes(kind)}
              onChange={(event) => toggleMuted(kind, event.target.checked)}
              data-testid="muted-kind"
              data-kind={kind}
            />
            {t(`inbox.kind.${kind}`)}
          </label>
        ))}
      </fieldset>
      <div className="inbox-settings__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={pending}
          data-testid="save-notification-settings"
        >
          {pending ? t('inbox.settings.saving') : t('inbox.settings.save')}
        </button>
        <p className="inbox-settings__feedback" role="status">
          {saved && !edited && !pending ? t('inbox.settings.saved') : ''}
        </p>
      </div>
      {error && !pending ? (
        <p className="form__error" role="alert">
          {t('inbox.settings.failed', { message: error.message })}
        </p>
      ) : null}
    </form>
  )
}
