import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { RouterProvider } from 'react-router/dom'
import { ApiError, isUnauthorized } from './api.ts'
import { queryKeys } from './queryKeys.ts'
import { createRouter } from './router.tsx'

function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        // A session that ended while the app was open: ask /api/me again, whose 401 then leads
        // to the sign-in page. (Not for /api/me itself, which would loop.)
        if (isUnauthorized(error) && query.queryKey[0] !== queryKeys.me[0]) {
          void client.invalidateQueries({ queryKey: queryKeys.me })
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (isUnauthorized(error)) void client.invalidateQueries({ queryKey: queryKeys.me })
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Try the request even when the browser says it is offline: the service worker answers
        // from its cache. (The default, 'online', would leave the page loading until online.)
        networkMode: 'offlineFirst',
        // 4xx answers are final; retry only what may pass on a second try.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status < 500),
      },
    },
  })
  return client
}

export function App() {
  const [queryClient] = useState(createQueryClient)
  const [router] = useState(() => createRouter(queryClient))
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  )
}
