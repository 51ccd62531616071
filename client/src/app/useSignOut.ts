import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { closeAllSessions, pendingChangeCount } from '../sync/openSessions.ts'
import { readUnsavedDocuments } from '../sync/unsavedDocuments.ts'
import { signOut } from './api.ts'
import { clearOfflineApiCache } from './serviceWorker.ts'

/** Signs out after a warning if changes are not on the server yet (they stay in the cache). */
export function useSignOut(userId: string) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const mutation = useMutation({
    mutationFn: signOut,
    onSuccess: async () => {
      // Sockets authenticated as this user must not outlive the session, nor may the offline
      // copies of what this user could see.
      closeAllSessions()
      queryClient.clear()
      await clearOfflineApiCache()
      void navigate('/sign-in', { replace: true })
    },
  })
  const confirmAndSignOut = (): void => {
    const unsaved = Math.max(readUnsavedDocuments(userId).length, pendingChangeCount() > 0 ? 1 : 0)
    if (unsaved > 0 && !window.confirm(t('header.confirmSignOut', { count: unsaved }))) return
    mutation.mutate()
  }
  return { signOut: confirmAndSignOut, pending: mutation.isPending, error: mutation.error }
}
