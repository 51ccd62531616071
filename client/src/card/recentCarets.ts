/**
 * Other people's caret labels ("Name · Ministry") are shown while they move or type, and fade a
 * little after they stop: a label sits above its caret, on the line before, and a label left
 * there covered the words of that line for everyone else. The caret itself stays.
 */
import type { Awareness } from 'y-protocols/awareness'

/** How long a label stays after its person last moved or typed. */
export const LABEL_LINGERS_MS = 2500

type Change = { added: number[]; updated: number[]; removed: number[] }

/**
 * Marks the carets in `root` of people whose presence just changed as recent (`data-recent`),
 * until they have been still for LABEL_LINGERS_MS. Returns the function that stops watching.
 */
export function watchRecentCarets(awareness: Awareness, root: HTMLElement): () => void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  const carets = (userId: string): HTMLElement[] => [
    ...root.querySelectorAll<HTMLElement>(
      `.collaboration-carets__caret[data-user-id="${CSS.escape(userId)}"]`,
    ),
  ]
  const onChange = ({ added, updated }: Change, origin: unknown): void => {
    if (origin === 'local') return
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const user = awareness.getStates().get(clientId)?.user as { id?: unknown } | undefined
      if (typeof user?.id !== 'string') continue
      const userId = user.id
      // After the editor has drawn the caret at its new place.
      requestAnimationFrame(() => {
        for (const caret of carets(userId)) caret.dataset.recent = 'true'
      })
      clearTimeout(timers.get(userId))
      timers.set(
        userId,
        setTimeout(() => {
          timers.delete(userId)
          for (const caret of carets(userId)) delete caret.dataset.recent
        }, LABEL_LINGERS_MS),
      )
    }
  }
  awareness.on('change', onChange)
  return () => {
    awareness.off('change', onChange)
    for (const timer of timers.values()) clearTimeout(timer)
  }
}
