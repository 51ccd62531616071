/**
 * Counting the websockets a page opens to one document: a client that loops reconnects shows up
 * here long before anyone reads a log.
 */
import type { Page } from 'playwright-core'

export type SocketCount = {
  /** Sockets opened so far. */
  readonly total: number
  /** Sockets opened since `since` (ms, Date.now()). */
  since(since: number): number
}

/** Starts counting the page's websockets whose URL names `documentName` (card:<id>, deck:<id>). */
export function countSockets(page: Page, documentName: string): SocketCount {
  const openedAt: number[] = []
  page.on('websocket', (socket) => {
    if (decodeURIComponent(socket.url()).endsWith(`/${documentName}`)) openedAt.push(Date.now())
  })
  return {
    get total() {
      return openedAt.length
    },
    since: (since) => openedAt.filter((at) => at >= since).length,
  }
}
