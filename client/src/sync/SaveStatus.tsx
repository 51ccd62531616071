import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { FRESH_ANNOUNCER, nextAnnouncement, StatusKind } from './saveAnnouncement.ts'
import { SaveState } from './savedState.ts'
import { type SyncSnapshot, syncStopped } from './syncSession.ts'

/**
 * How long a change may wait for the server's Persisted, while connected, before the status
 * stops saying "Saving…" and says that it is not saved. A commit takes milliseconds; seconds mean
 * the server cannot store (a full disk, a failing database) and the person should keep the tab.
 */
export const STALLED_AFTER_MS = 5000

/**
 * "Saved" means stored on the server (acknowledged by Persisted), nothing less. The pill is read
 * on demand, not announced (it changes with every keystroke); a polite live region beside it says
 * what is worth hearing, once (saveAnnouncement.ts).
 */
export function SaveStatus({ snapshot }: { snapshot: SyncSnapshot | null }) {
  const { t } = useTranslation()
  const state = snapshot?.save.state ?? SaveState.Connecting
  const pending = snapshot?.save.pending ?? 0
  const waitingSince = snapshot?.save.waitingSince ?? null
  const stalled = useStalled(state === SaveState.Saving ? waitingSince : null)
  // Not "offline": the network is fine, the card waits for the person (see SyncProblems).
  const stopped = syncStopped(snapshot)
  // After a refusal the old document sends nothing more until the fresh one is here.
  const reloading = !stopped && snapshot?.reloading === true
  let kind: StatusKind = state
  if (stopped) kind = StatusKind.Stopped
  else if (reloading) kind = StatusKind.Reloading
  else if (stalled) kind = StatusKind.Stalled
  let text: string
  let title: string | undefined
  switch (kind) {
    case StatusKind.Stopped:
      text = t('save.stopped', { count: pending })
      title = t('save.stoppedTitle')
      break
    case StatusKind.Reloading:
      text = t('save.reloading')
      title = t('save.reloadingTitle')
      break
    case StatusKind.Saved:
      text = t('save.saved')
      title = t('save.savedTitle')
      break
    case StatusKind.Stalled:
      text = t('save.stalled', { count: pending })
      title = t('save.stalledTitle')
      break
    case StatusKind.Saving:
      text = t('save.saving')
      break
    case StatusKind.Offline:
      text = t('save.offline', { count: pending })
      title = t('save.offlineTitle')
      break
    default:
      text = t('save.connecting')
  }
  const announcement = useAnnouncement(kind)
  return (
    <>
      <span
        className={`save-status save-status--${state}${stalled ? ' save-status--stalled' : ''}${stopped ? ' save-status--stopped' : ''}${reloading ? ' save-status--reloading' : ''}`}
        data-testid="save-status"
        data-state={state}
        data-pending={pending}
        data-stalled={stalled}
        data-stopped={stopped}
        data-reloading={reloading}
        title={title}
      >
        {text}
      </span>
      <span
        className="visually-hidden"
        aria-live="polite"
        aria-atomic="true"
        data-testid="save-announcer"
      >
        {announcement === null ? '' : t(`save.announce.${announcement}`)}
      </span>
    </>
  )
}

/** How long an announcement stays in the live region (emptied, the same words can come again). */
const ANNOUNCED_FOR_MS = 8000

/** The announcement worth making now that the status is `kind`, for a few seconds. */
function useAnnouncement(kind: StatusKind) {
  const memory = useRef(FRESH_ANNOUNCER)
  const [said, setSaid] = useState<ReturnType<typeof nextAnnouncement>['say']>(null)
  useEffect(() => {
    const next = nextAnnouncement(memory.current, kind)
    memory.current = next.memory
    if (next.say !== null) setSaid(next.say)
  }, [kind])
  useEffect(() => {
    if (said === null) return
    const timer = setTimeout(() => setSaid(null), ANNOUNCED_FOR_MS)
    return () => clearTimeout(timer)
  }, [said])
  return said
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
