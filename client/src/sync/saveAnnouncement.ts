/**
 * What the save status says to a screen reader, and when. The status changes with every keystroke
 * (saving, saved, saving...): read out each time, it would talk over the person's typing. So it is
 * announced only when it turns into something to act on (offline, not storing), and once when
 * everything is stored again after that. Refusals, halts and closes speak for themselves, as
 * alerts (SyncProblems). Pure: a reducer over the status the person sees.
 */

export const StatusKind = {
  Connecting: 'connecting',
  Saving: 'saving',
  Saved: 'saved',
  Offline: 'offline',
  /** Connected, but a change has waited for the server for seconds. */
  Stalled: 'stalled',
  /** Syncing stopped until the person acts. */
  Stopped: 'stopped',
  /** Loading the card afresh after a refusal. */
  Reloading: 'reloading',
} as const
export type StatusKind = (typeof StatusKind)[keyof typeof StatusKind]

export type Announcement = 'offline' | 'stalled' | 'saved'

export type AnnouncerMemory = {
  readonly last: StatusKind | null
  /** Something went wrong since the last "saved" was said: the next Saved is worth saying. */
  readonly owed: boolean
}

export const FRESH_ANNOUNCER: AnnouncerMemory = { last: null, owed: false }

export function nextAnnouncement(
  memory: AnnouncerMemory,
  status: StatusKind,
): { memory: AnnouncerMemory; say: Announcement | null } {
  if (status === memory.last) return { memory, say: null }
  switch (status) {
    case StatusKind.Offline:
      return { memory: { last: status, owed: true }, say: 'offline' }
    case StatusKind.Stalled:
      return { memory: { last: status, owed: true }, say: 'stalled' }
    case StatusKind.Stopped:
    case StatusKind.Reloading:
      return { memory: { last: status, owed: true }, say: null }
    case StatusKind.Saved:
      return { memory: { last: status, owed: false }, say: memory.owed ? 'saved' : null }
    default:
      return { memory: { last: status, owed: memory.owed }, say: null }
  }
}
