/**
 * Which documents hold local changes the server has not acknowledged, per user, in localStorage.
 * The changes themselves are in the IndexedDB offline cache; this list lets the app send them
 * after a reload (see resumeUnsavedDocuments) and warn before signing out.
 */
const key = (userId: string): string => `kartu:unsaved:${userId}`

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
}
