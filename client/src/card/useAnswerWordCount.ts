import { ANSWER_FIELD, countWords, fragmentToPlainText } from '@kartu/schema'
import { useCallback, useSyncExternalStore } from 'react'
import type { SyncSession } from '../sync/syncSession.ts'

/** Words in the answer as it is now in this browser (the dashboard shows the stored count). */
export function useAnswerWordCount(session: SyncSession | null): number | null {
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!session) return () => {}
      const fragment = session.doc.getXmlFragment(ANSWER_FIELD)
      fragment.observeDeep(listener)
      return () => fragment.unobserveDeep(listener)
    },
    [session],
  )
  const getSnapshot = useCallback(
    () =>
      session ? countWords(fragmentToPlainText(session.doc.getXmlFragment(ANSWER_FIELD))) : null,
    [session],
  )
  return useSyncExternalStore(subscribe, getSnapshot)
}
