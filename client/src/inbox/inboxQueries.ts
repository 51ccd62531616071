/**
 * The inbox's queries and changes: the unread count (the header's bell), the items, marking
 * read, and the person's notification settings. Every key starts with 'inbox', so that signing
 * out (queryClient.clear) and a pushed event reach them all.
 */
import type { InboxResponse, NotificationSettings } from '@kartu/protocol'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  fetchInbox,
  fetchNotificationSettings,
  markInboxRead,
  updateNotificationSettings,
} from '../app/api.ts'

/** As many items as the page lists; older ones wait until these are dealt with. */
const PAGE_SIZE = 100

/** Asked again this often in case the pushed events do not come (a proxy that buffers them). */
const UNREAD_REFRESH_MS = 60_000

export const inboxKeys = {
  all: ['inbox'] as const,
  unread: ['inbox', 'unread'] as const,
  /** Both lists, for invalidating them together. */
  lists: ['inbox', 'items'] as const,
  items: (unreadOnly: boolean) => ['inbox', 'items', unreadOnly ? 'unread' : 'all'] as const,
  settings: ['inbox', 'settings'] as const,
}

/** The unread count alone: one item asked, the count is what matters. */
export function useInboxUnread() {
  return useQuery({
    queryKey: inboxKeys.unread,
    queryFn: async () => (await fetchInbox({ unreadOnly: true, limit: 1 })).unread,
    refetchInterval: UNREAD_REFRESH_MS,
  })
}

export function useInboxItems(unreadOnly: boolean) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: inboxKeys.items(unreadOnly),
    queryFn: async () => {
      const response = await fetchInbox({ unreadOnly, limit: PAGE_SIZE })
      // The list's count is as new as the bell's: keep them the same.
      queryClient.setQueryData(inboxKeys.unread, response.unread)
      return response
    },
  })
}

/** Each list with these items read (all of them for 'all'), for the page to show at once. */
function withRead(
  list: InboxResponse | undefined,
  ids: readonly string[] | 'all',
  at: number,
): InboxResponse | undefined {
  if (!list) return list
  let changed = 0
  const items = list.items.map((item) => {
    if (item.readAt !== null || (ids !== 'all' && !ids.includes(item.id))) return item
    changed++
    return { ...item, readAt: at }
  })
  return { items, unread: Math.max(0, list.unread - changed) }
}

/** Marks items read: shown read at once, the server's unread count once it answers. */
export function useMarkInboxRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (ids: readonly string[] | 'all') =>
      markInboxRead(ids === 'all' ? { all: true } : { ids: [...ids] }),
    onMutate: (ids) => {
      const at = Date.now()
      for (const unreadOnly of [false, true]) {
        queryClient.setQueryData<InboxResponse>(inboxKeys.items(unreadOnly), (list) =>
          withRead(list, ids, at),
        )
      }
      queryClient.setQueryData<number>(inboxKeys.unread, (count) =>
        count === undefined ? count : ids === 'all' ? 0 : Math.max(0, count - ids.length),
      )
    },
    onSuccess: (unread) => {
      queryClient.setQueryData(inboxKeys.unread, unread)
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists })
    },
  })
}

export function useNotificationSettings() {
  return useQuery({
    queryKey: inboxKeys.settings,
    queryFn: fetchNotificationSettings,
  })
}

export function useUpdateNotificationSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (settings: Partial<NotificationSettings>) => updateNotificationSettings(settings),
    onSuccess: (response) => {
      queryClient.setQueryData(inboxKeys.settings, response)
    },
  })
}
