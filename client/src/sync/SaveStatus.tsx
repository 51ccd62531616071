import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SaveState } from './savedState.ts'
import { type SyncSnapshot, syncStopped } from './syncSession.ts'

/**
 * How long a change may wait for the server's Persisted, while connected, before the status
 * stops saying "Saving…" and says that it is not saved. A commit takes milliseconds; seconds mean
 * the server cannot store (a full disk, a failing database) and the person should keep the tab.
 */
export const STALLED_AFTER_MS = 5000

/** "Saved" means stored on the server (acknowledged by Persisted), nothing less. */
export function SaveStatus({ snapshot }: { snapshot: SyncSnapshot | null }) {
  const { t } = useTranslation()
  const state = snapshot?.save.state ?? SaveState.Connecting
  const pending = snapshot?.save.pending ?? 0
  const waitingSince = snapshot?.save.waitingSince ?? null
  const stalled = useStalled(state === SaveState.Saving ? waitingSince : null)
  // Not "offline": the network is fine, the card waits for the person (see SyncProblems).
  const stopped = syncStopped(snapshot)
  let text: string
  let title: string | undefined
  switch (stopped ? 'stopped' : state) {
    case 'stopped':
      text = t('save.stopped', { count: pending })
      title = t('save.stoppedTitle')
      break
    case SaveState.Saved:
      text = t('save.saved')
      title = t('save.savedTitle')
      break
    case SaveState.Saving:
      text = stalled ? t('save.stalled', { count: pending }) : t('save.saving')
      title = stalled ? t('save.stalledTitle') : undefined
      break
    case SaveState.Offline:
      text = t('save.offline', { count: pending })
      title = t('save.offlineTitle')
      break
    default:
      text = t('save.connecting')
  }
  return (
    <span
      className={`save-status save-status--${state}${stalled ? ' save-status--stalled' : ''}${stopped ? ' save-status--stopped' : ''}`}
      data-testid="save-status"
      data-state={state}
      data-pending={pending}
      data-stalled={stalled}
      data-stopped={stopped}
      role="status"
      title={title}
    >
      {text}
    </span>
  )
}

/** True once the change waiting since `since` has waited STALLED_AFTER_MS (re-renders then). */
function useStalled(since: number | null): boolean {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (since === null) return
    const left = since + STALLED_AFTER_MS - Date.now()
    if (left <= 0) {
      setNow(Date.now())
      return
    }
    const timer = setTimeout(() => setNow(Date.now()), left)
    return () => clearTimeout(timer)
  }, [since])
  return since !== null && now - since >= STALLED_AFTER_MS
}
