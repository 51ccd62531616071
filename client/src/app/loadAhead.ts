/**
 * What the app fetches before it is asked for, once the page on screen has settled
 * (useAfterSettling.ts). On a slow link (Slow 3G carries 50 kB a second) whatever loads earlier
 * takes the bandwidth from what the person is waiting for; loaded while they type their password
 * or read the dashboard, it costs them nothing, and the next page opens without waiting for it.
 */
import { loadCardPage, loadDeckPage } from './pages.ts'
import { registerServiceWorker } from './serviceWorker.ts'

/** A failed load is only a missed head start: the router loads the page again when opened. */
const ignore = (): void => {}

/** Signed out: the dashboard's code, which signing in leads to. */
export function loadAheadSignedOut(): void {
  loadDeckPage().catch(ignore)
}

let signedInStarted = false

/**
 * Signed in: the dashboard's and the card page's code (the editor), then the service worker. Its
 * precache (every file of the build, for offline use) then finds most of them in the HTTP cache
 * instead of downloading them a second time, and downloads nothing while the page loads.
 */
export function loadAheadSignedIn(onServiceWorkerControl: () => void): void {
  if (signedInStarted) return
  signedInStarted = true
  void Promise.allSettled([loadDeckPage(), loadCardPage()]).then(() =>
    registerServiceWorker(onServiceWorkerControl),
  )
}
