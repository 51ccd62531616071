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

/**
 * How long one person's edits of a card go into one row: history tells when to the minute, and
 * a row per keystroke would make a long card's history slow to read (the trace card of the
 * benchmark has 259,778 keystrokes).
 */
export const EDIT_WINDOW_MS = 60_000

/** The card's newest row, while its author may still add to it. */
type OpenRow = { seq: number | null; edit: EditRecord }

export class EditRecorder implements RoomListener {
  /** Per card, the edits not written yet, one per person (in the order they first edited). */
  private readonly pending = new Map<string, Map<string, EditRecord>>()
  /** Per card, its newest row: the same person editing again within the window adds to it. */
  private readonly open = new Map<string, OpenRow>()
  private writing: Promise<void> = Promise.resolve()
  private writes = 0

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
    mergeInto(edit, inserted, deleted)
  }

  /** After the commit: the card's edits are written (after the update, never instead of it). */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    const byUser = this.pending.get(parsed.id)
    if (!byUser) return
    this.pending.delete(parsed.id)
    this.write(parsed.id, [...byUser.values()])
  }

  /** Writes every edit still kept (on shutdown, after the rooms were stored). */
  async flush(): Promise<void> {
    for (const [cardId, byUser] of this.pending) this.write(cardId, [...byUser.values()])
    this.pending.clear()
    await this.writing
  }

  /**
   * One card's edits of a commit, in one write: each added to the card's open row when it is the
   * same person's and recent, a new row otherwise.
   */
  private write(cardId: string, edits: readonly EditRecord[]): void {
    const rows: OpenRow[] = []
    let open = this.open.get(cardId)
    for (const edit of edits) {
      if (open && open.edit.userId === edit.userId && edit.at - open.edit.at < EDIT_WINDOW_MS) {
        mergeInto(open.edit, edit.inserted, edit.deleted)
      } else {
        open = { seq: null, edit: { ...edit } }
      }
      if (!rows.includes(open)) rows.push(open)
    }
    if (open) this.open.set(cardId, open)
    this.forgetOldRows()
    // Chained: a card's writes go in the order they were made, and a row's number is known (set
    // by the write that created it) before the next write adds to it. A row's ranges are read
    // when it is written, so a later merge is in it either way.
    this.writing = this.writing
      .then(async () => {
        const seqs = await this.edits.writeEdits(rows.map(({ seq, edit }) => ({ seq, edit })))
        rows.forEach((row, index) => {
          row.seq = seqs[index] ?? null
        })
      })
      .catch((error: unknown) => {
        // The text is stored whatever happens here: what is lost is who and when, for history.
        this.logger.warn({ err: error, edits: edits.length }, 'edits not recorded for history')
      })
  }

  /** Rows no one can add to any more are let go of (now and then: a walk over the cards). */
  private forgetOldRows(): void {
    if (++this.writes % 256 !== 0) return
    const now = this.now()
    for (const [cardId, row] of this.open) {
      if (now - row.edit.at >= EDIT_WINDOW_MS) this.open.delete(cardId)
    }
  }
}

function mergeInto(edit: EditRecord, inserted: IdRanges, deleted: IdRanges): void {
  for (const [client, ranges] of Object.entries(inserted))
    for (const [clock, length] of ranges) addRange(edit.inserted, Number(client), clock, length)
  for (const [client, ranges] of Object.entries(deleted))
    for (const [clock, length] of ranges) addRange(edit.deleted, Number(client), clock, length)
}
