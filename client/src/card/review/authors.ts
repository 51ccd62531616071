/**
 * Who wrote what. The server records, in the card document's `authors` map, which person owns
 * each Yjs clientID; the author of anything in the document (a suggestion's metadata entry, a
 * comment, a decision) is the owner of the clientID of the Yjs item that holds it. Fields that a
 * client wrote itself are never read as an author: a modified client could write anything there.
 */
import { AUTHORS_FIELD, type Author } from '@kartu/schema'
import type * as Y from 'yjs'

export function isAuthor(value: unknown): value is Author {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    typeof record.userId === 'string' &&
    typeof record.name === 'string' &&
    typeof record.ministryId === 'string'
  )
}

/**
 * The person who owns `clientId` in `doc`, as the server recorded it. Until the server's entry for
 * our own clientID arrives (offline, or just after the first edit), our own clientID is `me`.
 */
export function authorOf(doc: Y.Doc, clientId: number | null, me?: Author): Author | null {
  if (clientId === null) return null
  const recorded: unknown = doc.getMap<unknown>(AUTHORS_FIELD).get(String(clientId))
  if (isAuthor(recorded)) return recorded
  if (clientId === doc.clientID && me) return me
  return null
}

/** Whether something held under `clientId` is ours: our current clientID, or one the server gave us. */
export function isOwnClient(doc: Y.Doc, clientId: number | null, myUserId: string): boolean {
  if (clientId === null) return false
  const recorded = authorOf(doc, clientId)
  // The server's record wins, even over our own clientID (it may have been taken already).
  if (recorded) return recorded.userId === myUserId
  return clientId === doc.clientID
}

/** The clientID that wrote the current value of `key` in `map`, or null if there is none. */
export function clientOfMapEntry(map: Y.Map<unknown>, key: string): number | null {
  const item = map._map.get(key)
  if (!item || item.deleted) return null
  return item.id.client
}

/**
 * The clientID that wrote `key` in `map`, even if the entry was removed since: a decided
 * suggestion's metadata is gone, but its (deleted) item still says who created it.
 */
export function clientOfMapKeyEver(map: Y.Map<unknown>, key: string): number | null {
  return map._map.get(key)?.id.client ?? null
}

/** The clientID that inserted a shared type (e.g. a comment's Y.Map) into its parent. */
export function clientOfType(type: { _item: Y.Item | null }): number | null {
  return type._item?.id.client ?? null
}

/**
 * The clientID of each element of `array`, by index. One Yjs item can hold several consecutive
 * elements (pushed together), so items are walked with their lengths.
 */
export function clientsOfArray(array: Y.Array<unknown>): number[] {
  const clients: number[] = []
  for (let item = array._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    for (let i = 0; i < item.length; i++) clients.push(item.id.client)
  }
  return clients
}
