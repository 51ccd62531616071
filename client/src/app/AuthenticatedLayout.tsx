import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { useInboxEvents } from '../inbox/useInboxEvents.ts'
import { readUnsavedDocuments } from '../sync/unsavedDocuments.ts'
import { isUnauthorized } from './api.ts'
import { Loading } from './Loading.tsx'
import { loadAheadSignedIn } from './loadAhead.ts'
import { MeContext } from './MeContext.ts'
import { QueryError } from './QueryError.tsx'
import { useAfterSettling } from './useAfterSettling.ts'
import { useMeQuery } from './useMeQuery.ts'

/** Everything behind sign-in: loads /api/me once, or sends the visitor to the sign-in page. */
export function AuthenticatedLayout() {
  const me = useMeQuery()
  const location = useLocation()
  const userId = me.data?.user.id
  // Here, once for the tab: pages and their headers come and go, the unread count's stream stays.
  useInboxEvents(userId)

  useEffect(() => {
    // Changes left unsaved when the app last ran (offline, closed tab) go out now. The sync code
    // (Yjs, the websocket provider) is loaded for it only when there are some.
    if (userId === undefined || readUnsavedDocuments(userId).length === 0) return
    void import('../sync/sessionRegistry.ts').then(({ resumeUnsavedDocuments }) =>
      resumeUnsavedDocuments(userId),
    )
  }, [userId])

  const queryClient = useQueryClient()
  useAfterSettling(
    // Once the service worker controls the page, fetch what is shown again, through it, so that
    // a reload while offline finds it in its cache.
    () => loadAheadSignedIn(() => void queryClient.refetchQueries({ type: 'active' })),
    userId !== undefined,
  )

  // A failed refetch keeps the data: offline, the app stays usable; only a 401 signs us out.
  if (me.isError && isUnauthorized(me.error)) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />
  }
  if (me.isPending) return <Loading />
  if (!me.data) {
    return (
      <main className="page page--narrow" id="main">
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </main>
    )
  }
  return (
    <MeContext value={me.data}>
      <Outlet />
    </MeContext>
  )
}
