/**
 * Versions of a card's answer: taken from the card document as stored (what Persisted
 * acknowledged), kept whole, listed and read back. The rooms never wait for them: a version is
 * read from the store, not from a room, so taking one costs an open card nothing, and a card
 * unloaded since its last change still gets its version.
 *
 * Why whole documents (docs/decisions/0014-history.md): the room's document collects deleted
 * text as garbage, and its log is compacted; a version that holds the whole card as it was can be
 * compared with any other and restored, whatever happened to the log since.
 */
import { randomUUID } from 'node:crypto'
import {
  cardDocumentName,
  type PersonRef,
  type Version,
  type VersionComparison,
  type VersionDetailResponse,
  type VersionKind,
} from '@kartu/protocol'
import { ANSWER_FIELD, countWords, fragmentToPlainText, getAnswerSchema } from '@kartu/schema'
import * as Y from 'yjs'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import { restoreDocument } from '../collab/restoreDocument.ts'
import type { Logger } from '../collab/types.ts'
import type {
  Cards,
  DocumentStore,
  Edits,
  Users,
  VersionRecord,
  VersionSummary,
  Versions,
  VisitSummary,
  Visits,
} from '../store/types.ts'
import { EDIT_WINDOW_MS, type EditLog, WRITTEN_EDITS } from './editRecorder.ts'
import { versionsToThin } from './retention.ts'
import { compareDocuments } from './versionCompare.ts'

/**
 * How far before a version's time the rows of the edits after it may start: a row is timed by
 * its first edit and takes its author's next ones for a window (editRecorder.ts), and an edit is
 * timed when applied, a moment before the commit a version is read from.
 */
const EDIT_TIME_MARGIN_MS = EDIT_WINDOW_MS + 60_000

/**
 * Whether two encoded Yjs snapshots are the same state. Versions kept before snapshots were
 * (a bare state vector) never compare equal: the next version is taken.
 */
export function sameSnapshot(a: Uint8Array, b: Uint8Array): boolean {
  try {
    return Y.equalSnapshots(Y.decodeSnapshot(a), Y.decodeSnapshot(b))
  } catch {
    return false
  }
}

export type TakeVersion = {
  cardId: string
  kind: VersionKind
  name: string | null
  createdBy: string | null
  /** Take none when the card has not changed since its newest version (automatic versions). */
  onlyIfChanged: boolean
}

export class CardVersions {
  private readonly schema = getAnswerSchema()

  constructor(
    private readonly repository: Versions & Visits & Edits & Users & Cards,
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    private readonly budgetBytes = Number.POSITIVE_INFINITY,
    private readonly editLog: EditLog = WRITTEN_EDITS,
  ) {}

  /**
   * Takes a version of the card as stored now; null when unchanged and `onlyIfChanged`, or when
   * the card no longer exists.
   */
  async take(input: TakeVersion): Promise<VersionSummary | null> {
    if (!(await this.repository.getCard(input.cardId))) return null
    const doc = await this.stored(input.cardId)
    try {
      return await this.keep(doc, input)
    } finally {
      doc.destroy()
    }
  }

  /**
   * Keeps `doc` as a version of the card (a restore keeps the room's document as it was just
   * before it changes it); null when unchanged and `onlyIfChanged`.
   */
  async keep(doc: Y.Doc, input: TakeVersion): Promise<VersionSummary | null> {
    // Encoded before anything is awaited: the document may change while the version is written.
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc))
    const state = Y.encodeStateAsUpdate(doc)
    const words = countWords(fragmentToPlainText(doc.getXmlFragment(ANSWER_FIELD)))
    if (input.onlyIfChanged) {
      const latest = await this.repository.latestVersion(input.cardId)
      if (latest && sameSnapshot(latest.snapshot, snapshot)) return null
    }
    const record: VersionRecord = {
      id: randomUUID(),
      cardId: input.cardId,
      kind: input.kind,
      name: input.name,
      createdAt: Date.now(),
      createdBy: input.createdBy,
      words,
      state,
      snapshot,
    }
    await this.repository.addVersion(record)
    const { state: _state, snapshot: _snapshot, ...summary } = record
    return summary
  }

  /**
   * Lets go of the automatic versions retention no longer keeps (retention.ts); returns how many.
   */
  async thin(cardId: string, now = Date.now()): Promise<number> {
    const versions = await this.repository.listVersions(cardId)
    const pinned = await this.repository.visitedVersionIds(cardId)
    const thinned = versionsToThin(versions, now, pinned)
    if (thinned.length > 0) await this.repository.deleteVersions(cardId, thinned)
    return thinned.length
  }

  /**
   * Closes a rakor session of the deck: a `session` version named `name` of every card edited
   * since the deck's last session was closed (since ever, for the first).
   */
  async closeSession(
    deckId: string,
    name: string,
    userId: string,
  ): Promise<Array<{ cardId: string; versionId: string }>> {
    await this.editLog.settle()
    const since = (await this.repository.lastSessionAt(deckId)) ?? 0
    const taken: Array<{ cardId: string; versionId: string }> = []
    for (const cardId of await this.repository.cardsEditedSince(deckId, since)) {
      const version = await this.take({
        cardId,
        kind: 'session',
        name,
        createdBy: userId,
        onlyIfChanged: false,
      })
      if (version) taken.push({ cardId, versionId: version.id })
    }
    return taken
  }

  /** The person's visits of the deck's cards, each with the others' edits since. */
  async visitsOfDeck(userId: string, deckId: string): Promise<VisitSummary[]> {
    await this.editLog.settle()
    return this.repository.visitsOfDeck(userId, deckId)
  }

  /** Bytes the card's versions take, against the budget over which its history warns. */
  async budget(cardId: string): Promise<{ usedBytes: number; limitBytes: number }> {
    return { usedBytes: await this.repository.versionBytes(cardId), limitBytes: this.budgetBytes }
  }

  /** One version as stored, whole; null when not there. */
  record(cardId: string, versionId: string): Promise<VersionRecord | null> {
    return this.repository.getVersion(cardId, versionId)
  }

  /** The card's versions, newest first, each with who made it. */
  async list(cardId: string): Promise<Version[]> {
    return this.describe(await this.repository.listVersions(cardId))
  }

  /** One version with its answer as text and as the editor's document; null when not there. */
  async get(cardId: string, versionId: string): Promise<VersionDetailResponse | null> {
    const record = await this.repository.getVersion(cardId, versionId)
    if (!record) return null
    const [version] = await this.describe([record])
    if (!version) return null
    const doc = new Y.Doc()
    try {
      Y.applyUpdate(doc, record.state)
      const answer = doc.getXmlFragment(ANSWER_FIELD)
      return {
        ...version,
        text: fragmentToPlainText(answer),
        doc: new AnswerDocument(this.schema).of(answer).toJSON() as Record<string, unknown>,
      }
    } finally {
      doc.destroy()
    }
  }

  /**
   * The version compared with a later one (`toId`), or with the answer as stored now; null when
   * either version is not there. Given the other way round, the two are compared oldest first.
   */
  async compare(
    cardId: string,
    fromId: string,
    toId: string | null,
  ): Promise<VersionComparison | null> {
    const fromRecord = await this.repository.getVersion(cardId, fromId)
    const toRecord = toId === null ? null : await this.repository.getVersion(cardId, toId)
    if (!fromRecord || (toId !== null && !toRecord)) return null
    const swap = toRecord !== null && toRecord.createdAt < fromRecord.createdAt
    const [older, newer] = swap ? [toRecord, fromRecord] : [fromRecord, toRecord]
    const olderDoc = new Y.Doc()
    let newerDoc: Y.Doc | null = null
    try {
      Y.applyUpdate(olderDoc, older.state)
      if (newer) {
        newerDoc = new Y.Doc()
        Y.applyUpdate(newerDoc, newer.state)
      } else {
        newerDoc = await this.stored(cardId)
      }
      // Edits are timed when applied, a moment before the commit a version is read from.
      await this.editLog.settle()
      const edits = await this.repository.listEdits(
        cardId,
        older.createdAt - EDIT_TIME_MARGIN_MS,
        (newer?.createdAt ?? Date.now()) + EDIT_TIME_MARGIN_MS,
      )
      const people = await this.people(edits.map((edit) => edit.userId))
      const comparison = compareDocuments(olderDoc, newerDoc, edits, (userId) => {
        return people.get(userId) ?? { userId, name: userId, ministryId: '' }
      })
      const described = await this.describe(newer ? [older, newer] : [older])
      return {
        from: described[0] as Version,
        to: newer ? (described[1] as Version) : null,
        ...comparison,
      }
    } finally {
      olderDoc.destroy()
      newerDoc?.destroy()
    }
  }

  /** The card document as stored now, rebuilt as a room loads it. */
  private async stored(cardId: string): Promise<Y.Doc> {
    const name = cardDocumentName(cardId)
    return restoreDocument(name, await this.store.loadDocument(name), this.logger)
  }

  /** People by id, as history names them; a deleted account is named by its id. */
  private async people(userIds: Iterable<string>): Promise<Map<string, PersonRef>> {
    const people = new Map<string, PersonRef>()
    for (const userId of new Set(userIds)) {
      const user = await this.repository.findUserById(userId)
      people.set(userId, { userId, name: user?.name ?? userId, ministryId: user?.ministryId ?? '' })
    }
    return people
  }

  /** Versions as the API gives them: who made each, looked up once per person. */
  private async describe(records: readonly VersionSummary[]): Promise<Version[]> {
    const authors = await this.people(
      records.flatMap((record) => (record.createdBy === null ? [] : [record.createdBy])),
    )
    return records.map((record) => ({
      id: record.id,
      kind: record.kind,
      name: record.name,
      createdAt: record.createdAt,
      createdBy: record.createdBy === null ? null : (authors.get(record.createdBy) ?? null),
      words: record.words,
    }))
  }
}
