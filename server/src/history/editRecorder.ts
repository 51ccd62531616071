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
import { SUGGESTIONS_FIELD, THREADS_FIELD, ThreadField } from '@kartu/schema'
import * as Y from 'yjs'
import { PacedWrites } from '../collab/backgroundWork.ts'
import type { AppliedUpdate, RoomListener, StoredRoom } from '../collab/roomListener.ts'
import type { Logger } from '../collab/types.ts'
import type { EditCounts, EditRecord, Edits, IdRanges } from '../store/types.ts'

/** Adds `[clock, length]` to a client's ranges, joining it to the last one when they touch. */
function addRange(ranges: IdRanges, client: number, clock: number, length: number): void {
  const key = String(client)
  const list = ranges[key] ?? []
  ranges[key] = list
  const last = list[list.length - 1]
  if (last && last[0] + last[1] === clock) last[1] += length
  else list.push([clock, length])
}

/**
 * What an update did: the ids it inserted and deleted, and (with the document it was applied
 * to) how much: characters of text, new suggestions, new comments.
 */
export function editOfUpdate(
  update: Uint8Array,
  doc: Y.Doc | null,
): { inserted: IdRanges; deleted: IdRanges; counts: EditCounts } {
  const { structs, ds } = Y.decodeUpdate(update)
  const inserted: IdRanges = {}
  const deleted: IdRanges = {}
  const counts: EditCounts = { insertedChars: 0, deletedChars: 0, suggestions: 0, comments: 0 }
  for (const struct of structs) {
    // GC and Skip structs carry no content of this update's sender.
    if (!(struct instanceof Y.Item)) continue
    addRange(inserted, struct.id.client, struct.id.clock, struct.length)
    // Text is the answer's (the card's other fields hold maps of plain values).
    if (struct.content instanceof Y.ContentString) counts.insertedChars += struct.length
    else if (doc) countEntry(doc, struct, counts)
  }
  for (const [client, items] of ds.clients) {
    for (const item of items) {
      addRange(deleted, client, item.clock, item.len)
      counts.deletedChars += item.len
    }
  }
  return { inserted, deleted, counts }
}

/** Counts a new suggestion (an entry of `suggestions`) or comment (in a thread's comments). */
function countEntry(doc: Y.Doc, struct: Y.Item, counts: EditCounts): void {
  // Decoded from the update, the parent is a root type's name or the id of the type's item.
  const parent = struct.parent as unknown
  if (parent === SUGGESTIONS_FIELD && struct.parentSub !== null) {
    counts.suggestions++
    return
  }
  if (!isId(parent)) return
  const holder = Y.getItem(doc.store, parent as Y.ID)
  if (!(holder instanceof Y.Item) || holder.parentSub !== ThreadField.Comments) return
  const thread = (holder.parent as Y.AbstractType<unknown> | null)?._item
  if (thread?.parent === doc.getMap(THREADS_FIELD)) counts.comments += struct.length
}

function isId(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { client?: unknown }).client === 'number' &&
    typeof (value as { clock?: unknown }).clock === 'number'
  )
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

/** What reads history waits for: the edits committed so far, written. */
export type EditLog = { settle(): Promise<void> }

/** No edits waiting (a store read without a running server: tests, the benchmark). */
export const WRITTEN_EDITS: EditLog = { settle: () => Promise.resolve() }

/** The card's newest row, while its author may still add to it. */
type OpenRow = { seq: number | null; edit: EditRecord }

/**
 * How long committed edits wait to be written, all cards together in one transaction: a write per
 * commit was one more fsync per keystroke on the server's busiest path. A crash loses at most
 * this much of who-and-when (never text: that was committed with the update).
 */
export const EDIT_WRITE_DELAY_MS = 2_000

export class EditRecorder implements RoomListener {
  /** Per card, the edits not committed yet, one per person (in the order they first edited). */
  private readonly pending = new Map<string, Map<string, EditRecord>>()
  /** Edits committed with their updates, waiting for the next write, in commit order. */
  private committed: Array<{ cardId: string; edits: EditRecord[] }> = []
  private timer: NodeJS.Timeout | null = null
  /** Per card, its newest row: the same person editing again within the window adds to it. */
  private readonly open = new Map<string, OpenRow>()
  private writing: Promise<void> = Promise.resolve()
  private readonly paced = new PacedWrites()
  private writes = 0

  constructor(
    private readonly edits: Edits,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly writeDelayMs = EDIT_WRITE_DELAY_MS,
  ) {}

  readonly updateApplied = ({ documentName, doc, participant, update }: AppliedUpdate): void => {
    const parsed = parseDocumentName(documentName)
    if (parsed?.kind !== DocumentKind.Card) return
    const { inserted, deleted, counts } = editOfUpdate(update, doc)
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
        counts,
      })
      return
    }
    // A person's edits between two commits are one edit, timed by the first of them.
    mergeInto(edit, inserted, deleted, counts)
  }

  /** After the commit: the card's edits are written soon (after the update, never instead of it). */
  readonly stored = (room: StoredRoom): void => {
    const parsed = parseDocumentName(room.name)
    if (parsed?.kind !== DocumentKind.Card) return
    const byUser = this.pending.get(parsed.id)
    if (!byUser) return
    this.pending.delete(parsed.id)
    this.committed.push({ cardId: parsed.id, edits: [...byUser.values()] })
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.write()
    }, this.writeDelayMs)
    // Waiting edits must not keep a stopping process alive: flush() writes them.
    this.timer.unref()
  }

  /**
   * Writes the committed edits now and waits for them: history is read after this, so that it
   * holds everything stored so far.
   */
  async settle(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.write()
    await this.writing
  }

  /** Writes every edit still kept (on shutdown, after the rooms were stored). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const [cardId, byUser] of this.pending) {
      this.committed.push({ cardId, edits: [...byUser.values()] })
    }
    this.pending.clear()
    this.write()
    await this.writing
  }

  /**
   * The committed edits of every card, in one write: each added to its card's open row when it
   * is the same person's and recent, a new row otherwise.
   */
  private write(): void {
    const batch = this.committed
    this.committed = []
    if (batch.length === 0) return
    const rows: OpenRow[] = []
    const inBatch = new Set<OpenRow>()
    let edits = 0
    for (const { cardId, edits: cardEdits } of batch) {
      let open = this.open.get(cardId)
      for (const edit of cardEdits) {
        edits++
        if (open && open.edit.userId === edit.userId && edit.at - open.edit.at < EDIT_WINDOW_MS) {
          mergeInto(open.edit, edit.inserted, edit.deleted, edit.counts)
        } else {
          open = { seq: null, edit: { ...edit, counts: { ...edit.counts } } }
        }
        if (!inBatch.has(open)) {
          inBatch.add(open)
          rows.push(open)
        }
      }
      if (open) this.open.set(cardId, open)
    }
    this.forgetOldRows()
    // Chained: a card's writes go in the order they were made, and a row's number is known (set
    // by the write that created it) before the next write adds to it. A row's ranges are read
    // when it is written, so a later merge is in it either way.
    // In parts paced to the event loop (collab/backgroundWork.ts): a hundred busy cards' rows in
    // one synchronous transaction held the rooms' loop for about 10 ms each second.
    this.writing = this.writing.then(() =>
      this.paced.write(
        rows,
        async (part) => {
          const seqs = await this.edits.writeEdits(part.map(({ seq, edit }) => ({ seq, edit })))
          part.forEach((row, index) => {
            row.seq = seqs[index] ?? null
          })
        },
        (part, error) => {
          // The text is stored whatever happens here: what is lost is who and when, for history.
          this.logger.warn(
            { err: error, edits, rows: part.length },
            'edits not recorded for history',
          )
        },
      ),
    )
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

function mergeInto(
  edit: EditRecord,
  inserted: IdRanges,
  deleted: IdRanges,
  counts: EditCounts,
): void {
  edit.counts.insertedChars += counts.insertedChars
  edit.counts.deletedChars += counts.deletedChars
  edit.counts.suggestions += counts.suggestions
  edit.counts.comments += counts.comments
  for (const [client, ranges] of Object.entries(inserted))
    for (const [clock, length] of ranges) addRange(edit.inserted, Number(client), clock, length)
  for (const [client, ranges] of Object.entries(deleted))
    for (const [clock, length] of ranges) addRange(edit.deleted, Number(client), clock, length)
}
