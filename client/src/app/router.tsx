import { createBrowserRouter } from 'react-router'
import { AccountPage } from '../account/AccountPage.tsx'
import { DeckPage } from '../deck/DeckPage.tsx'
import { MembersPage } from '../deck/MembersPage.tsx'
import { AuthenticatedLayout } from './AuthenticatedLayout.tsx'
import { HomeRedirect } from './HomeRedirect.tsx'
import { Loading } from './Loading.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'
import { SignInPage } from './SignInPage.tsx'

export function createRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <AuthenticatedLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        { path: 'account', element: <AccountPage /> },
        { path: 'decks/:deckId', element: <DeckPage /> },
        { path: 'decks/:deckId/members', element: <MembersPage /> },
        {
          path: 'cards/:cardId',
          // The editor (Tiptap, ProseMirror) is the largest part of the app: load it on demand.
          lazy: async () => ({ Component: (await import('../card/CardPage.tsx')).CardPage }),
          HydrateFallback: Loading,
        },
        {
          path: 'cards/:cardId/present',
          lazy: async () => ({ Component: (await import('../card/PresentPage.tsx')).PresentPage }),
          HydrateFallback: Loading,
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ])
}
