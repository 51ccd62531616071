/**
 * Who changed what, and when: for every client update a card's room applies, the Yjs ids it
 * inserted and deleted, with the person the server knows sent it (the connection's participant,
 * never a field the client wrote) and the time. A room listener: it keeps a card's edits until
 * the room's next commit and writes them then, one row per person and commit, so that history
 * costs the keystroke one decode and no write of its own.
 *
 * Why ids and not text (docs/decisions/0014-history.md): a version holds the whole document, so
 * the text of any character is in the versions around it; what no version holds is who deleted a
 * character and when anything happened. Ids are what connects the two.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import * as Y from 'yjs'
import type { AppliedUpdate, RoomListener, StoredRoom } from '../collab/roomListener.ts'
import type { Logger } from '../collab/types.ts'
import type { EditRecord, Edits, IdRanges } from '../store/types.ts'

/** Adds `[clock, length]` to a client's ranges, joining it to the last one when they touch. */
function addRange(ranges: IdRanges, client: number, clock: number, length: number): void {
  const key = String(client)
  const list = ranges[key] ?? []
  ranges[key] = list
  const last = list[list.length - 1]
  if (last && last[0] + last[1] === clock) last[1] += length
  else list.push([clock, length])
}

/** The ids an update inserts (its items) and deletes (its delete set). */
export function idsOfUpdate(update: Uint8Array): { inserted: IdRanges; deleted: IdRanges } {
  const { structs, ds } = Y.decodeUpdate(update)
  const inserted: IdRanges = {}
  const deleted: IdRanges = {}
  for (const struct of structs) {
    // GC and Skip structs carry no content of this update's sender.
    if (struct instanceof Y.Item)
      addRange(inserted, struct.id.client, struct.id.clock, struct.length)
  }
  for (const [client, items] of ds.clients) {
    for (const item of items) addRange(deleted, client, item.clock, item.len)
  }
  return { inserted, deleted }
}

function isEmpty(ranges: IdRanges): boolean {
  for (const _ in ranges) return false
  return true
}

export class EditRecorder implements RoomListener {
  /** Per card, the edits not written yet, one per person (in the order they first edited). */
  private readonly pending = new Map<string, Map<string, EditRecord>>()
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly edits: Edits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  readonly updateApplied = ({ documentName, participant, update }: AppliedUpdate): void => {
    const parsed = parseDocumentName(documentName)
    if (parsed?.kind !== DocumentKind.Card) return
    const { inserted, deleted } = idsOfUpdate(update)
    if (isEmpty(inserted) && isEmpty(deleted)) return
    let byUser = this.pending.get(parsed.id)
    if (!byUser) {
      byUser = new Map()
      this.pending.set(parsed.id, byUser)
    }
    const edit = byUser.get(participant.userId)
    if (!edit) {
      byUser.set(participant.userId, {
        cardId: parsed.id,
        at: this.now(),
        userId: participant.userId,
        inserted,
        deleted,
      })
      return
    }
    // A person's edits between two commits are one edit, timed by the first of them.
    for (const [client, ranges] of Object.entries(inserted))
      for (const [clock, length] of ranges) addRange(edit.inserted, Number(client), clock, length)
    for (const [client, ranges] of Object.entries(deleted))
      for (const [clock, length] of ranges) addRange(edit.deleted, Number(client), clock, length)
  }

  /** After the commit: the card's edits are written (after the update, never instead of it). */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    const byUser = this.pending.get(parsed.id)
    if (!byUser) return
    this.pending.delete(parsed.id)
    this.write([...byUser.values()])
  }

  /** Writes every edit still kept (on shutdown, after the rooms were stored). */
  async flush(): Promise<void> {
    const all = [...this.pending.values()].flatMap((byUser) => [...byUser.values()])
    this.pending.clear()
    if (all.length > 0) this.write(all)
    await this.writing
  }

  private write(edits: EditRecord[]): void {
    // Chained, so that a card's edits are written in the order they were made.
    this.writing = this.writing
      .then(() => this.edits.addEdits(edits))
      .catch((error: unknown) => {
        // The text is stored whatever happens here: what is lost is who and when, for history.
        this.logger.warn({ err: error, edits: edits.length }, 'edits not recorded for history')
      })
  }
}
