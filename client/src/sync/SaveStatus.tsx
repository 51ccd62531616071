import { useTranslation } from 'react-i18next'
import { SaveState } from './savedState.ts'
import type { SyncSnapshot } from './syncSession.ts'

/** "Saved" means stored on the server (acknowledged by Persisted), nothing less. */
export function SaveStatus({ snapshot }: { snapshot: SyncSnapshot | null }) {
  const { t } = useTranslation()
  const state = snapshot?.save.state ?? SaveState.Connecting
  const pending = snapshot?.save.pending ?? 0
  let text: string
  let title: string | undefined
  switch (state) {
    case SaveState.Saved:
      text = t('save.saved')
      title = t('save.savedTitle')
      break
    case SaveState.Saving:
      text = t('save.saving')
      break
    case SaveState.Offline:
      text = t('save.offline', { count: pending })
      title = t('save.offlineTitle')
      break
    case SaveState.Connecting:
      text = t('save.connecting')
      break
  }
  return (
    <span
      className={`save-status save-status--${state}`}
      data-testid="save-status"
      data-state={state}
      data-pending={pending}
      role="status"
      title={title}
    >
      {text}
    </span>
  )
}
