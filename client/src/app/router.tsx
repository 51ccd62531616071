import { createBrowserRouter } from 'react-router'
import { CardPage } from '../card/CardPage.tsx'
import { DeckPage } from '../deck/DeckPage.tsx'
import { AuthenticatedLayout } from './AuthenticatedLayout.tsx'
import { HomeRedirect } from './HomeRedirect.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'
import { SignInPage } from './SignInPage.tsx'

export function createRouter() {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <AuthenticatedLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        { path: 'decks/:deckId', element: <DeckPage /> },
        { path: 'cards/:cardId', element: <CardPage /> },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ])
}
