/**
 * The page's side of the service worker (client/src/sw/sw.ts, served as /sw.js): registration in
 * production builds, and dropping the cached REST answers when the signed-in person changes.
 */
import { API_CACHE } from '../sw/cacheNames.ts'

/**
 * Registers /sw.js for the whole site. `onControl` runs when a worker takes control of this page
 * (the first visit, or an update): REST calls made before went past it and are not cached, so
 * the caller fetches what the page shows again.
 */
export function registerServiceWorker(onControl: () => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  // Service workers need a secure context: HTTPS, or http://localhost.
  if (!window.isSecureContext) return
  navigator.serviceWorker.addEventListener('controllerchange', onControl)
  navigator.serviceWorker
    .register('/sw.js', { scope: '/', updateViaCache: 'none' })
    .catch((error: unknown) => {
      // The app works without it, only not offline after a reload.
      console.warn('Kartu: the service worker could not be registered', error)
    })
}

/**
 * Deletes the cached REST answers (sign-in, sign-out), so that one person's data is never shown
 * to the next. The worker does the same when it sees the request; this also covers a page it does
 * not control.
 */
export async function clearOfflineApiCache(): Promise<void> {
  if (!('caches' in window)) return
  try {
    await caches.delete(API_CACHE)
  } catch {
    // Storage unavailable (private mode): there is nothing cached either.
  }
}
