/**
 * Which versions of a card are kept as they age: every named, session and restore version for
 * ever, and every version someone's last visit points to (their "since I last looked"); the
 * automatic ones all for a week, then the newest of each hour for a month, then the newest of
 * each day. Google Docs thins its revision history the same way; the text of a thinned version
 * is in the next one kept, and who changed what is in the edit log, not in the versions.
 */
import type { VersionSummary } from '../store/types.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Automatic versions younger than this are all kept. */
export const KEEP_ALL_MS = 7 * DAY
/** Then one per hour, up to this age; one per day after it. */
export const KEEP_HOURLY_MS = 30 * DAY

/** The ids of the versions to let go of, of one card's versions (any order). */
export function versionsToThin(
  versions: readonly Pick<VersionSummary, 'id' | 'kind' | 'createdAt'>[],
  now: number,
  pinned: ReadonlySet<string>,
): string[] {
  const newestFirst = [...versions].sort((a, b) => b.createdAt - a.createdAt)
  const seen = new Set<string>()
  const thinned: string[] = []
  for (const version of newestFirst) {
    if (version.kind !== 'auto' || pinned.has(version.id)) continue
    const age = now - version.createdAt
    if (age < KEEP_ALL_MS) continue
    const bucket =
      age < KEEP_HOURLY_MS
        ? `h${Math.floor(version.createdAt / HOUR)}`
        : `d${Math.floor(version.createdAt / DAY)}`
    // Newest first: the first of a bucket is the one kept (the text at the end of that hour).
    if (seen.has(bucket)) thinned.push(version.id)
    else seen.add(bucket)
  }
  return thinned
}
