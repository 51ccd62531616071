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
import type { Visits } from '../store/types.ts'
import { type CardVersions, sameSnapshot } from './cardVersions.ts'

export class VisitRecorder implements RoomListener {
  private writing: Promise<void> = Promise.resolve()

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
    this.writing = this.writing
      .then(async () => {
        const versionId = await this.versionOf(cardId, state, snapshot)
        await this.visits.recordVisit({ userId: participant.userId, cardId, at, versionId })
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error, card: cardId }, 'visit not recorded')
      })
  }

  /** Waits for the visits being written (on shutdown). */
  flush(): Promise<void> {
    return this.writing
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
