/**
 * The pages the router loads on demand, each with its own code: a first visit downloads the
 * sign-in page alone before it can be used, the dashboard does not bring the editor (Tiptap,
 * ProseMirror), and the editor comes while the dashboard is read (loadAhead.ts). An import()
 * loads and runs a module once; every later call gets the same module.
 */
export const loadDeckPage = () => import('../deck/DeckPage.tsx')
export const loadMembersPage = () => import('../deck/MembersPage.tsx')
export const loadAccountPage = () => import('../account/AccountPage.tsx')
export const loadInboxPage = () => import('../inbox/InboxPage.tsx')
export const loadCardPage = () => import('../card/CardPage.tsx')
export const loadPresentPage = () => import('../card/PresentPage.tsx')
