/**
 * Who wrote what: the Yjs clientIDs that brought their first content are bound to the person who
 * sent them, in the document's `authors` map. Written by the server into the document itself, so
 * attribution travels with it (offline copies, exports, history); a client may never write it
 * (the policy refuses that), and a clientID bound to one person is refused to any other.
 */
import { AUTHORS_FIELD, type Author } from '@kartu/schema'
import { type AppliedUpdate, type RoomListener, SERVER_ORIGIN } from '../roomListener.ts'

export const authorBinding: RoomListener = {
  updateApplied({ doc, newClients, participant }: AppliedUpdate): void {
    if (newClients.length === 0) return
    const authors = doc.getMap<Author>(AUTHORS_FIELD)
    const author: Author = {
      userId: participant.userId,
      name: participant.presence.name,
      ministryId: participant.presence.ministryId,
    }
    doc.transact(() => {
      for (const clientId of newClients) authors.set(String(clientId), author)
    }, SERVER_ORIGIN)
  },
}
