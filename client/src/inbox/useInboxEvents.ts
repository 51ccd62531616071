/**
 * The unread count pushed by the server (`GET /api/me/events`, server-sent events named
 * `inbox`). Mounted once, in the signed-in layout: one EventSource per tab, closed when the
 * layout goes (signing out leaves it) or the person changes.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { INBOX_EVENTS_URL } from '../app/api.ts'
import { JitteredBackoff } from '../sync/reconnectBackoff.ts'
import { parseInboxEvent } from './inboxEvent.ts'
import { inboxKeys } from './inboxQueries.ts'

/**
 * After a `resync` event every tab of every person asks at about the same moment (a server of
 * several nodes heard the others again): each waits a moment at random, up to this long.
 */
const RESYNC_SPREAD_MS = 5_000

export function useInboxEvents(userId: string | undefined): void {
  const queryClient = useQueryClient()
  useEffect(() => {
    if (userId === undefined || typeof EventSource === 'undefined') return
    let source: EventSource | null = null
    let retry: ReturnType<typeof setTimeout> | null = null
    let resync: ReturnType<typeof setTimeout> | null = null
    let opened = false
    let stopped = false
    // EventSource retries a dropped connection by itself, but gives up for good on an answer
    // that is not a stream (a 502 while the server restarts): then we open a new one, later.
    const backoff = new JitteredBackoff({ minMs: 2_000, firstMaxMs: 5_000, capMs: 60_000 })

    const onInbox = (event: MessageEvent<unknown>) => {
      const parsed = parseInboxEvent(event.data)
      if (!parsed) return
      if ('resync' in parsed) {
        // Events may have been lost on the server's side: ask for the count and items again.
        resync ??= setTimeout(() => {
          resync = null
          void queryClient.invalidateQueries({ queryKey: inboxKeys.unread })
          void queryClient.invalidateQueries({ queryKey: inboxKeys.lists })
        }, Math.random() * RESYNC_SPREAD_MS)
        return
      }
      queryClient.setQueryData(inboxKeys.unread, parsed.unread)
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists })
    }
    const onOpen = () => {
      backoff.reset()
      // Events sent while we were away are lost: ask again after a reconnection.
      if (opened) void queryClient.invalidateQueries({ queryKey: inboxKeys.all })
      opened = true
    }
    const onError = () => {
      if (stopped || !source || source.readyState !== EventSource.CLOSED) return
      close()
      retry = setTimeout(open, backoff.next())
    }
    function open() {
      retry = null
      if (stopped) return
      source = new EventSource(INBOX_EVENTS_URL)
      source.addEventListener('inbox', onInbox)
      source.addEventListener('open', onOpen)
      source.addEventListener('error', onError)
    }
    function close() {
      if (!source) return
      source.removeEventListener('inbox', onInbox)
      source.removeEventListener('open', onOpen)
      source.removeEventListener('error', onError)
      source.close()
      source = null
    }

    open()
    return () => {
      stopped = true
      if (retry !== null) clearTimeout(retry)
      if (resync !== null) clearTimeout(resync)
      close()
    }
  }, [userId, queryClient])
}
