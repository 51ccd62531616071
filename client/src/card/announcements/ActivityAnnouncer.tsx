import type { PresenceUser } from '@kartu/protocol'
import type { Editor } from '@tiptap/core'
import type { SyncSession } from '../../sync/syncSession.ts'
import { useAnnouncesActivity } from './announceSetting.ts'
import { useActivityAnnouncements } from './useActivityAnnouncements.ts'

type Props = { editor: Editor; session: SyncSession; user: PresenceUser }

/**
 * The card page's polite live region for other people's activity: joins, leaves, editing near
 * the caret. Empty while the person has announcements off (AnnounceToggle.tsx). Each message is
 * an element of its own and only additions are read, so a new one does not repeat the last.
 */
export function ActivityAnnouncer({ editor, session, user }: Props) {
  const on = useAnnouncesActivity()
  const said = useActivityAnnouncements(editor, session, user, on)
  return (
    <div
      className="visually-hidden"
      role="status"
      aria-live="polite"
      aria-atomic="false"
      aria-relevant="additions"
      data-testid="activity-announcer"
    >
      {/* Emptied in the render that turns announcements off, not an effect later. */}
      {on ? said.map(({ id, text }) => <p key={id}>{text}</p>) : null}
    </div>
  )
}
