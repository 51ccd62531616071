/**
 * What each person last saw of each card: when their connection to the card closes (after the
 * room's state went out to it), the card as the room has it then is kept as the version they
 * last saw, and their visit points to it. "Since I last looked" compares that version with the
 * answer now (cardVersions.ts).
 *
 * The version is the card's newest one when nothing changed since it, so a room full of people
 * leaving at the end of a rakor adds one version, not one per person. A room listener: the room
 * is never held up; a visit that cannot be written is logged, and the next one replaces it.
 */
import { DocumentKind, parseDocumentName } from '@kartu/protocol'
import * as Y from 'yjs'
import { SliceClock } from '../collab/backgroundWork.ts'
import type { ClosedConnection, RoomListener } from '../collab/roomListener.ts'
import type { Logger } from '../collab/types.ts'
import type { VisitRecord, Visits } from '../store/types.ts'
import { type CardVersions, sameSnapshot } from './cardVersions.ts'

type Leaver = {
  userId: string
  cardId: string
  at: number
  state: Uint8Array
  snapshot: Uint8Array
}

export class VisitRecorder implements RoomListener {
  /** People who left in this turn of the event loop, written together at its end. */
  private leaving: Leaver[] = []
  /** The groups of leavers being written, one after the other. */
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly versions: CardVersions,
    private readonly visits: Visits,
    private readonly logger: Logger,
  ) {}

  readonly connectionClosed = ({ documentName, doc, participant }: ClosedConnection): void => {
    const parsed = parseDocumentName(documentName)
    if (parsed?.kind !== DocumentKind.Card) return
    // ORDER MATTERS: the room's document is read now, as the person left it; the room may
    // change or unload while the visit is written.
    this.leaving.push({
      userId: participant.userId,
      cardId: parsed.id,
      at: Date.now(),
      state: Y.encodeStateAsUpdate(doc),
      snapshot: Y.encodeSnapshot(Y.snapshot(doc)),
    })
    // Everyone leaving together (the end of a rakor closes every connection in one turn) is one
    // group: their versions are found one after the other, so that the first leaver keeps the
    // version the others then share, and their rows go in one transaction, where one commit
    // each blocked the event loop 50 times. The group is gathered before anything is read from
    // the store: with a store that answers over the network (PostgreSQL) each read takes turns
    // of the event loop, and rows added after each read would commit one by one.
    if (this.leaving.length === 1) setImmediate(() => this.writeLeavers())
  }

  /** Waits for the visits being written (on shutdown). */
  async flush(): Promise<void> {
    if (this.leaving.length > 0) this.writeLeavers()
    await this.writing
  }

  private writeLeavers(): void {
    const group = this.leaving
    this.leaving = []
    if (group.length === 0) return
    this.writing = this.writing.then(async () => {
      const records: VisitRecord[] = []
      // Background work in slices (collab/backgroundWork.ts): the end of a rakor on a hundred
      // cards finds a version for each (20 to 30 ms apiece in a CPU profile) while other rooms
      // are typing.
      const slices = new SliceClock()
      for (const leaver of group) {
        await slices.next()
        try {
          records.push({
            userId: leaver.userId,
            cardId: leaver.cardId,
            at: leaver.at,
            versionId: await this.versionOf(leaver.cardId, leaver.state, leaver.snapshot),
          })
        } catch (error) {
          this.notRecorded(error, leaver.cardId)
        }
      }
      if (records.length === 0) return
      try {
        await this.visits.recordVisits(records)
      } catch (error) {
        for (const cardId of new Set(records.map((record) => record.cardId))) {
          this.notRecorded(error, cardId)
        }
      }
    })
  }

  private notRecorded(error: unknown, cardId: string): void {
    this.logger.warn({ err: error, card: cardId }, 'visit not recorded')
  }

  /** The card's newest version when it holds this state, or a new automatic one. */
  private async versionOf(
    cardId: string,
    state: Uint8Array,
    snapshot: Uint8Array,
  ): Promise<string> {
    const latest = await this.visits.latestVersion(cardId)
    if (latest && sameSnapshot(latest.snapshot, snapshot)) return latest.id
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, state)
      const kept = await this.versions.keep(doc, {
        cardId,
        kind: 'auto',
        name: null,
        createdBy: null,
        onlyIfChanged: false,
      })
      if (!kept) throw new Error('the version of a visit was not kept')
      return kept.id
    } finally {
      doc.destroy()
    }
  }
}
