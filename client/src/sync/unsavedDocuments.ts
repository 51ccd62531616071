/**
 * Which documents hold local changes the server has not acknowledged, per user, in localStorage,
 * and how many changes each. The changes themselves are in the IndexedDB offline cache; this list
 * lets the app send them after a reload (see resumeUnsavedDocuments), show their count after a
 * reload while offline, and warn before signing out.
 */
const key = (userId: string): string => `kartu:unsaved:${userId}`
const countsKey = (userId: string): string => `kartu:pending:${userId}`

export function readUnsavedDocuments(userId: string): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(key(userId)) ?? '[]')
    return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []
  } catch {
    return []
  }
}

function write(userId: string, names: string[]): void {
  try {
    if (names.length === 0) window.localStorage.removeItem(key(userId))
    else window.localStorage.setItem(key(userId), JSON.stringify(names))
  } catch {
    // Storage full or disabled: the cache still holds the changes; only the reminder is lost.
  }
}

export function markUnsaved(userId: string, documentName: string): void {
  const names = readUnsavedDocuments(userId)
  if (!names.includes(documentName)) write(userId, [...names, documentName])
}

export function markSaved(userId: string, documentName: string): void {
  const names = readUnsavedDocuments(userId)
  if (names.includes(documentName)) {
    write(
      userId,
      names.filter((name) => name !== documentName),
    )
  }
  writePendingCount(userId, documentName, 0)
}

function readCounts(userId: string): Record<string, number> {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(countsKey(userId)) ?? '{}')
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    const counts: Record<string, number> = {}
    for (const [name, count] of Object.entries(value)) {
      if (typeof count === 'number' && Number.isInteger(count) && count > 0) counts[name] = count
    }
    return counts
  } catch {
    return {}
  }
}

/**
 * How many local changes of the document were unsaved when a page last counted them; 1 if the
 * document is on the unsaved list without a count (an older page wrote it), else 0.
 */
export function readPendingCount(userId: string, documentName: string): number {
  const count = readCounts(userId)[documentName]
  if (count !== undefined) return count
  return readUnsavedDocuments(userId).includes(documentName) ? 1 : 0
}

/** Records the document's unsaved change count (0 forgets it). */
export function writePendingCount(userId: string, documentName: string, count: number): void {
  const counts = readCounts(userId)
  if ((counts[documentName] ?? 0) === count) return
  if (count > 0) counts[documentName] = count
  else delete counts[documentName]
  try {
    if (Object.keys(counts).length === 0) window.localStorage.removeItem(countsKey(userId))
    else window.localStorage.setItem(countsKey(userId), JSON.stringify(counts))
  } catch {
    // As above: only the count shown after a reload is lost.
  }
}
