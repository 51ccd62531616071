/**
 * Restoring a version (the chair only): the version's answer becomes the current one as a forward
 * change in the card's room, which every open editor receives live like anyone's edit; nothing
 * is rewound. The text before it is kept as a `restore` version, the restore is recorded in the
 * decision log (with the chair's reason) and in the audit trail, and the restored text is
 * attributed to the chair.
 *
 * What is restored is the version's agreed text: its suggestions as if rejected (their records
 * are decided or gone since; a mark pointing at them would be a suggestion no one made now), its
 * comment anchors kept (their threads still exist). Suggestions pending in the text replaced are
 * not dropped: each is listed, with its text and author, in the restore's log entry, and their
 * reply threads stay, shown as orphans.
 */
import { cardDocumentName } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  asIfAllRejected,
  collectSuggestions,
  DECISIONS_FIELD,
  getAnswerSchema,
  type OrphanedSuggestion,
  type RestoreRecord,
  SUGGESTIONS_FIELD,
  SuggestionKind,
  type SuggestionSpan,
  suggestionKindOf,
} from '@kartu/schema'
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { HttpError } from '../api/errors.ts'
import type { AuditLog } from '../audit/AuditLog.ts'
import { versionRestoredEvent } from '../audit/auditEvents.ts'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import type { Room } from '../collab/Room.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import { SERVER_ORIGIN } from '../collab/roomListener.ts'
import type { Cards, Edits, Users } from '../store/types.ts'
import type { CardVersions } from './cardVersions.ts'
import { editOfUpdate } from './editRecorder.ts'

export type RestoreRequest = {
  cardId: string
  versionId: string
  reason: string
  userId: string
}

/** Times the text before a restore is kept again when someone typed while it was written. */
const MAX_KEEP_ATTEMPTS = 3

export type RestoreResult = { beforeVersionId: string; orphaned: number }

/** The text a suggestion shows in the log: "old → new" for a replacement. */
function suggestionText(parts: readonly SuggestionSpan[]): string {
  const of = (kind: SuggestionKind) =>
    parts
      .filter((part) => part.kind === kind)
      .map((part) => part.text)
      .join('')
  const inserted = of(SuggestionKind.Insert)
  const deleted = of(SuggestionKind.Delete)
  if (inserted && deleted) return `${deleted} → ${inserted}`
  return inserted || deleted || parts.map((part) => part.text).join('')
}

export class VersionRestore {
  private readonly schema = getAnswerSchema()

  constructor(
    private readonly rooms: RoomManager,
    private readonly versions: CardVersions,
    private readonly repository: Edits & Users & Cards,
    private readonly audit: AuditLog,
  ) {}

  /** Restores the version; null when it is not there. Throws 409 while the card is locked. */
  async restore(request: RestoreRequest): Promise<RestoreResult | null> {
    const version = await this.versions.record(request.cardId, request.versionId)
    if (!version) return null
    const user = await this.repository.findUserById(request.userId)
    const chair: Author = {
      userId: request.userId,
      name: user?.name ?? request.userId,
      ministryId: user?.ministryId ?? '',
    }
    const room = await this.rooms.acquire(cardDocumentName(request.cardId))
    try {
      // The room knows the lock only once someone connected (or the watcher's next pass): a
      // room opened here for the restore alone starts unlocked. The stored card says.
      if (room.isLocked || (await this.repository.getCard(request.cardId))?.locked) {
        throw new HttpError(409, 'card_locked', 'The card is final (locked): unlock it to restore.')
      }
      const { update, record } = await this.applyAfterKeepingBefore(room, request, version, chair)
      // Persisted: the restore is on disk before the chair hears it is done.
      await room.drain()
      await this.repository.writeEdits([
        {
          seq: null,
          edit: {
            cardId: request.cardId,
            at: record.at,
            userId: request.userId,
            ...editOfUpdate(update, room.doc),
          },
        },
      ])
      await this.audit.append(
        versionRestoredEvent({
          userId: request.userId,
          cardId: request.cardId,
          versionId: request.versionId,
          beforeVersionId: record.beforeVersionId,
          reason: request.reason,
          orphaned: record.orphaned.length,
        }),
      )
      return { beforeVersionId: record.beforeVersionId, orphaned: record.orphaned.length }
    } finally {
      this.rooms.release(room)
    }
  }

  /**
   * Keeps the answer as it is as a `restore` version, then applies the restore. Keeping it is
   * written to disk (awaited), and an edit may land meanwhile: the restore is applied only on
   * the very state that was kept, in the same turn as the check, so that the version before the
   * restore holds everything the restore replaced. Otherwise the state is kept again.
   */
  private async applyAfterKeepingBefore(
    room: Room,
    request: RestoreRequest,
    version: { id: string; name: string | null; createdAt: number; state: Uint8Array },
    chair: Author,
  ): Promise<{ update: Uint8Array; record: RestoreRecord }> {
    for (let attempt = 1; ; attempt++) {
      const before = Y.snapshot(room.doc)
      const kept = await this.versions.keep(room.doc, {
        cardId: request.cardId,
        kind: 'restore',
        name: null,
        createdBy: request.userId,
        onlyIfChanged: false,
      })
      if (!kept) throw new Error('the version before the restore was not kept')
      if (room.isLocked || (await this.repository.getCard(request.cardId))?.locked) {
        throw new HttpError(409, 'card_locked', 'The card is final (locked): unlock it to restore.')
      }
      const unchanged = Y.equalSnapshots(before, Y.snapshot(room.doc))
      if (unchanged || attempt === MAX_KEEP_ATTEMPTS) {
        if (!unchanged) throw new HttpError(409, 'card_busy', 'The card kept changing: try again.')
        const restored = this.restoredUpdate(room, version, chair, request.reason, kept.id)
        Y.applyUpdate(room.doc, restored.update, SERVER_ORIGIN)
        return restored
      }
    }
  }

  /**
   * The restore as one Yjs update, made on a copy of the room's document under a Yjs client of
   * its own, which the update binds to the chair: the restored text is theirs in history.
   */
  private restoredUpdate(
    room: Room,
    version: { id: string; name: string | null; createdAt: number; state: Uint8Array },
    chair: Author,
    reason: string,
    beforeVersionId: string,
  ): { update: Uint8Array; record: RestoreRecord } {
    const versionDoc = new Y.Doc()
    const copy = new Y.Doc()
    try {
      Y.applyUpdate(versionDoc, version.state)
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
      const answers = new AnswerDocument(this.schema)
      const restored = asIfAllRejected(answers.of(versionDoc.getXmlFragment(ANSWER_FIELD)))
      const current = new AnswerDocument(this.schema).of(copy.getXmlFragment(ANSWER_FIELD))
      const orphaned = this.pendingSuggestions(copy, current)
      const record: RestoreRecord = {
        kind: 'restore',
        versionId: version.id,
        versionName: version.name,
        versionAt: version.createdAt,
        beforeVersionId,
        reason,
        at: Date.now(),
        orphaned,
      }
      // A client id no one has used in this card: a random one, drawn again on the rare clash.
      const used = Y.decodeStateVector(Y.encodeStateVector(copy))
      while (used.has(copy.clientID)) copy.clientID = Math.floor(Math.random() * 2 ** 31)
      const stateBefore = Y.encodeStateVector(copy)
      copy.transact(() => {
        copy.getMap<Author>(AUTHORS_FIELD).set(String(copy.clientID), chair)
        // y-prosemirror's own writer: unchanged paragraphs stay the same Yjs items (and keep
        // their authors); changed ones get the version's text, marks written as it writes them.
        prosemirrorToYXmlFragment(restored, copy.getXmlFragment(ANSWER_FIELD))
        const suggestions = copy.getMap(SUGGESTIONS_FIELD)
        for (const entry of orphaned) suggestions.delete(entry.suggestionId)
        copy.getArray<RestoreRecord>(DECISIONS_FIELD).push([record])
      })
      return { update: Y.encodeStateAsUpdate(copy, stateBefore), record }
    } finally {
      versionDoc.destroy()
      copy.destroy()
    }
  }

  /** The suggestions pending in the answer now, with their text and author. */
  private pendingSuggestions(
    doc: Y.Doc,
    answer: ReturnType<AnswerDocument['of']>,
  ): OrphanedSuggestion[] {
    const byId = new Map<string, SuggestionSpan[]>()
    for (const span of collectSuggestions(answer)) {
      const parts = byId.get(span.id) ?? []
      parts.push(span)
      byId.set(span.id, parts)
    }
    const authors = doc.getMap<Author>(AUTHORS_FIELD)
    const meta = doc.getMap(SUGGESTIONS_FIELD)._map
    return [...byId].map(([suggestionId, parts]) => {
      const item = meta.get(suggestionId)
      const author = item ? authors.get(String(item.id.client)) : undefined
      return {
        suggestionId,
        kind: suggestionKindOf(parts),
        text: suggestionText(parts),
        suggestedBy: author?.userId ?? null,
      }
    })
  }
}
