import { useEffect } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { resumeUnsavedDocuments } from '../sync/sessionRegistry.ts'
import { isUnauthorized } from './api.ts'
import { Loading } from './Loading.tsx'
import { MeContext } from './MeContext.ts'
import { QueryError } from './QueryError.tsx'
import { useMeQuery } from './useMeQuery.ts'

/** Everything behind sign-in: loads /api/me once, or sends the visitor to the sign-in page. */
export function AuthenticatedLayout() {
  const me = useMeQuery()
  const location = useLocation()
  const userId = me.data?.user.id

  useEffect(() => {
    // Changes left unsaved when the app last ran (offline, closed tab) go out now.
    if (userId !== undefined) resumeUnsavedDocuments(userId)
  }, [userId])

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
