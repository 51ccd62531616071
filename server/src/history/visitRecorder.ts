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
import type { ClosedConnection, RoomListener } from '../collab/roomListener.ts'
import type { Logger } from '../collab/types.ts'
import { GroupCommit } from '../store/GroupCommit.ts'
import type { VisitRecord, Visits } from '../store/types.ts'
import { type CardVersions, sameSnapshot } from './cardVersions.ts'

export class VisitRecorder implements RoomListener {
  private writing: Promise<void> = Promise.resolve()
  /** The last batch of rows handed to the store (flush waits for it). */
  private written: Promise<void> = Promise.resolve()
  private readonly rows = new GroupCommit<VisitRecord>((batch) => {
    const done = this.visits.recordVisits(batch).then(() => batch.map(() => undefined))
    this.written = done.then(
      () => undefined,
      () => undefined,
    )
    return done
  })

  constructor(
    private readonly versions: CardVersions,
    private readonly visits: Visits,
    private readonly logger: Logger,
  ) {}

  readonly connectionClosed = ({ documentName, doc, participant }: ClosedConnection): void => {
    const parsed = parseDocumentName(documentName)
    if (parsed?.kind !== DocumentKind.Card) return
    const cardId = parsed.id
    const at = Date.now()
    // ORDER MATTERS: the room's document is read now, as the person left it; the room may
    // change or unload while the visit is written.
    const state = Y.encodeStateAsUpdate(doc)
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
    const visit = this.writing.then(async () => ({
      userId: participant.userId,
      cardId,
      at,
      versionId: await this.versionOf(cardId, state, snapshot),
    }))
    // The next visit's version waits for this one's (the first leaver keeps the version the
    // others then share), but not for its row: the rows of everyone leaving together go in one
    // transaction, where one commit each blocked the room's event loop 50 times at the end of
    // a rakor.
    this.writing = visit.then(
      (record) => {
        this.rows.add(record).catch((error: unknown) => this.notRecorded(error, cardId))
      },
      (error: unknown) => this.notRecorded(error, cardId),
    )
  }

  /** Waits for the visits being written (on shutdown). */
  async flush(): Promise<void> {
    await this.writing
    this.rows.flush()
    await this.written
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
