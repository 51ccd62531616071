/**
 * What one page did, in order, for the message of a browser test that failed on timing: its
 * navigations, websockets opened and closed, REST answers that were not 2xx, and console errors,
 * each with the milliseconds since recording started. A test that waits for something the page
 * may have left by then (a banner, after a background 401 led to the sign-in page) says which.
 */
import type { Page } from 'playwright-core'

export type PageTimeline = {
  /** Notes a step of the test itself (the moment a change was made elsewhere). */
  mark(what: string): void
  /** The events so far, one per line. */
  text(): string
}

export function recordPageTimeline(page: Page): PageTimeline {
  const started = Date.now()
  const lines: string[] = []
  const note = (what: string) =>
    lines.push(`${String(Date.now() - started).padStart(6)} ms ${what}`)
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) note(`navigated to ${new URL(frame.url()).pathname}`)
  })
  page.on('websocket', (socket) => {
    const path = new URL(socket.url()).pathname
    note(`websocket opened ${path}`)
    socket.on('close', () => note(`websocket closed ${path}`))
  })
  page.on('response', (response) => {
    if (response.status() < 300) return
    const from = response.fromServiceWorker() ? ' (service worker)' : ''
    note(
      `${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}${from}`,
    )
  })
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      note(`console ${message.type()}: ${message.text()}`)
    }
  })
  return { mark: (what) => note(`(test) ${what}`), text: () => lines.join('\n') }
}
