import type { QueryClient } from '@tanstack/react-query'
import { createBrowserRouter } from 'react-router'
import { AuthenticatedLayout } from './AuthenticatedLayout.tsx'
import { HomeRedirect } from './HomeRedirect.tsx'
import { Loading } from './Loading.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'
import { openCardAhead } from './openCardAhead.ts'
import {
  loadAccountPage,
  loadCardPage,
  loadDeckPage,
  loadInboxPage,
  loadMembersPage,
  loadPresentPage,
} from './pages.ts'
import { SignInPage } from './SignInPage.tsx'

export function createRouter(queryClient: QueryClient) {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <AuthenticatedLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        // Every page behind sign-in is loaded on demand (pages.ts): the sign-in page, all that a
        // first visit needs at once, comes without them.
        {
          path: 'account',
          lazy: async () => ({ Component: (await loadAccountPage()).AccountPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'inbox',
          lazy: async () => ({ Component: (await loadInboxPage()).InboxPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'decks/:deckId',
          lazy: async () => ({ Component: (await loadDeckPage()).DeckPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'decks/:deckId/members',
          lazy: async () => ({ Component: (await loadMembersPage()).MembersPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'cards/:cardId',
          loader: ({ params }) => {
            if (params.cardId) openCardAhead(queryClient, params.cardId)
            return null
          },
          // The editor (Tiptap, ProseMirror) is the largest part of the app.
          lazy: async () => ({ Component: (await loadCardPage()).CardPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'cards/:cardId/present',
          lazy: async () => ({ Component: (await loadPresentPage()).PresentPage }),
          HydrateFallback: Loading,
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ])
}
