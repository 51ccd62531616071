/**
 * Decides, for every client update, whether the sender may make it. The update is applied first
 * to a shadow copy of the room's document; what it changed is derived from that transaction
 * (root fields touched, Yjs clients that gained content, the answer before and after), checked
 * against the sender's role, and only then applied to the room (by the caller).
 *
 * Authorship: the server owns the `authors` map. The first time a Yjs clientID brings content, it
 * is bound to the sender; content under a clientID bound to someone else is refused. So the author
 * of any Yjs item (a suggestion's metadata, a comment, a decision) is the owner of its clientID.
 */
import { RejectCode, type Role, Role as Roles } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  asIfAllRejected,
  DECISIONS_FIELD,
  type Decision,
  DecisionOutcome,
  defineCardFields,
  FORMAT_SUGGESTION,
  getAnswerSchema,
  idOfSuggestionKey,
  JOIN_SUGGESTION,
  LOCKED_ATTRIBUTE,
  ShapeError,
  SUGGESTIONS_FIELD,
  sameSuggestion,
  THREADS_FIELD,
  ThreadField,
  withoutCommentMarks,
} from '@kartu/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { AnswerDocument } from './answerDocument.ts'
import { type AnswerMarks, answerMarks, type MarkedCharacters } from './markedCharacters.ts'
import { shapeViolation, type TouchedParts, touchedParts } from './shapeGuard.ts'
import { resolvedByWithdrawal } from './suggestionThreads.ts'

/** The refusal codes of the policy: the wire's RejectCode values (defined once, in protocol). */
export const PolicyCode = {
  ClientIdTaken: RejectCode.ClientIdTaken,
  ForbiddenField: RejectCode.ForbiddenField,
  TextChange: RejectCode.TextChange,
  NotOwnSuggestion: RejectCode.NotOwnSuggestion,
  DecisionNotAllowed: RejectCode.DecisionNotAllowed,
  NotOwnComment: RejectCode.NotOwnComment,
  ThreadNotAllowed: RejectCode.ThreadNotAllowed,
  MissingDependencies: RejectCode.MissingDependencies,
  Locked: RejectCode.Locked,
  SchemaViolation: RejectCode.SchemaViolation,
} as const
export type PolicyCode = (typeof PolicyCode)[keyof typeof PolicyCode]

export type Sender = { userId: string; role: Role }

/** A decision the update recorded, with the suggestion's author as the server knows it. */
export type RecordedDecision = Decision & { authorUserId: string | undefined }

export type Verdict =
  | {
      ok: true
      newClients: number[]
      decisions: RecordedDecision[]
      /** Blocks the chair locked (true) or unlocked (false) in this update, for the record. */
      blockLocks: boolean[]
    }
  | { ok: false; code: PolicyCode; message: string }

/** Any shared Yjs type (map, array, text, XML). */
type SharedType = Y.AbstractType<unknown>

type Observed = {
  roots: Set<string>
  changed: Map<SharedType, Set<string | null>>
  beforeState: Map<number, number>
  afterState: Map<number, number>
  deleted: Y.Item[]
}

/** What the policy reads of the shadow before a suggester's or commenter's update. */
type Before = {
  /** The answer as if every suggestion were rejected (suggesters). */
  base: PMNode | null
  /** The answer without comment anchors (commenters). */
  text: PMNode | null
  suggestions: AnswerMarks | null
  blocks: string[] | null
  /** The answer as a document (suggesters). */
  answer: PMNode | null
}

const refuse = (code: PolicyCode, message: string): Verdict => ({ ok: false, code, message })

/** What clients write in a card document (`authors` is the server's). */
export const CARD_ROOTS: ReadonlySet<string> = new Set([
  ANSWER_FIELD,
  SUGGESTIONS_FIELD,
  DECISIONS_FIELD,
  THREADS_FIELD,
])

/** A deck document carries presence only (awareness), no document fields yet. */
export const DECK_ROOTS: ReadonlySet<string> = new Set()

export class UpdatePolicy {
  /**
   * Built on first use, not with the room, because cloning is two passes over the document (encode,
   * apply), which a client opening a cold card would otherwise wait for before its sync, and
   * which a room that is only read never needs (half the memory of an idle loaded card).
   */
  private shadowDoc: Y.Doc | null = null
  /** The shadow's answer as a ProseMirror document, block by block (see answerDocument.ts). */
  private readonly answerDocs = new AnswerDocument(getAnswerSchema())
  /**
   * The answer as if every suggestion were rejected, and the answer without comment anchors, of
   * the shadow as it is: kept between updates, so that a suggester typing computes only the
   * "after" of each keystroke.
   */
  private cachedBase: PMNode | null = null
  private cachedText: PMNode | null = null

  /**
   * `allowedRoots`: the top-level fields clients may write in this kind of document (a card's
   * answer, suggestions, decisions, threads). Anything else, a made-up root type included, is
   * refused: it would grow the document with data no one reads.
   */
  constructor(
    private readonly room: Y.Doc,
    private readonly allowedRoots: ReadonlySet<string> = CARD_ROOTS,
  ) {}

  private get shadow(): Y.Doc {
    if (!this.shadowDoc) {
      this.shadowDoc = cloneDoc(this.room)
      // Typed before any update runs, so that the types an update changes are the ones the
      // guard and the judges look up by name (see defineCardFields).
      if (this.allowedRoots.has(ANSWER_FIELD)) defineCardFields(this.shadowDoc)
    }
    return this.shadowDoc
  }

  /** Applies `update` to the shadow and judges it. After a refusal the shadow is rebuilt. */
  check(update: Uint8Array, sender: Sender, locked = false): Verdict {
    let beforeBase: PMNode | null = null
    let beforeText: PMNode | null = null
    let beforeBlocks: string[] | null = null
    let beforeAnswer: PMNode | null = null
    try {
      if (sender.role === Roles.Suggester) {
        beforeAnswer = this.answerDocs.of(this.answer())
        beforeBase = this.base()
        beforeBlocks = this.blockSuggestions((client) => this.ownerOf(client) === sender.userId)
      }
      beforeText = sender.role === Roles.Commenter ? this.text() : null
    } catch (error) {
      // Stored before the schema guard: the card must be repaired (pnpm kartu doctor --repair)
      // before anyone but an editor can change it, since their changes are judged on it.
      if (error instanceof RangeError || error instanceof ShapeError) {
        return refuse(
          PolicyCode.SchemaViolation,
          'the card does not fit its schema; it needs repair',
        )
      }
      throw error
    }
    const beforeSuggestions =
      sender.role === Roles.Suggester
        ? answerMarks(this.answer(), {
            isOwnClient: (client) => this.ownerOf(client) === sender.userId,
            isNew: () => false,
            // Other people's suggestions as they are now: a superset of those judged after the
            // update (metadata it adds is the sender's own).
            isTracked: (key) =>
              this.isOthersSuggestion(
                idOfSuggestionKey(key),
                (client) => this.ownerOf(client) === sender.userId,
              ),
          })
        : null
    const lockedBefore = this.lockedBlocks()
    const observed = this.applyToShadow(update)
    // Content whose dependencies are missing would be judged later, under someone else's
    // update; Kartu clients never send such updates (one ordered socket, sync against our state).
    if (this.shadow.store.pendingStructs !== null || this.shadow.store.pendingDs !== null) {
      // Nothing integrated: dropping what waits is enough. Otherwise rebuild the shadow, an
      // O(document) copy (a hostile client cannot make us do that often: see MAX_REJECTIONS).
      if (observed) this.reset()
      else {
        this.shadow.store.pendingStructs = null
        this.shadow.store.pendingDs = null
      }
      return refuse(
        PolicyCode.MissingDependencies,
        'the update depends on content the server lacks',
      )
    }
    if (!observed) return { ok: true, newClients: [], decisions: [], blockLocks: [] }
    this.cachedBase = null
    this.cachedText = null
    const parts = this.isCard ? touchedParts(this.shadow, observed) : null
    if (parts) this.answerDocs.forget(parts.blocks)
    const verdict =
      locked && observed.roots.has(ANSWER_FIELD)
        ? refuse(PolicyCode.Locked, 'the card is locked as agreed text')
        : (this.judgeShape(observed, parts) ??
          this.judgeBlockLocks(observed, sender, lockedBefore) ??
          this.judge(observed, sender, {
            base: beforeBase,
            text: beforeText,
            suggestions: beforeSuggestions,
            blocks: beforeBlocks,
            answer: beforeAnswer,
          }))
    if (!verdict.ok) {
      this.reset()
      return verdict
    }
    return { ...verdict, blockLocks: this.lockToggles(observed) }
  }

  /** Rebuilds the shadow from the room (after a failure left it in an unknown state). */
  reset(): void {
    // Rebuilt from the room on next use.
    this.shadowDoc?.destroy()
    this.shadowDoc = null
    this.cachedBase = null
    this.cachedText = null
    this.answerDocs.clear()
  }

  /** Card documents have an answer, a shape and suggestions; deck documents none of these. */
  private get isCard(): boolean {
    return this.allowedRoots.has(ANSWER_FIELD)
  }

  /** Keeps the shadow equal to the room for changes the server makes itself. */
  applyServerUpdate(update: Uint8Array): void {
    // Not built yet: it will be cloned from the room, which has the update already.
    if (this.shadowDoc) Y.applyUpdate(this.shadowDoc, update)
    this.cachedBase = null
    this.cachedText = null
    this.answerDocs.clear()
  }

  destroy(): void {
    this.shadowDoc?.destroy()
  }

  private answer(): Y.XmlFragment {
    return this.shadow.getXmlFragment(ANSWER_FIELD)
  }

  /** The engine's own definition: what the answer would be with every suggestion rejected. */
  private base(): PMNode {
    this.cachedBase ??= withoutCommentMarks(asIfAllRejected(this.answerDocs.of(this.answer())))
    return this.cachedBase
  }

  private text(): PMNode {
    this.cachedText ??= withoutCommentMarks(this.answerDocs.of(this.answer()))
    return this.cachedText
  }

  private applyToShadow(update: Uint8Array): Observed | null {
    let observed: Observed | null = null
    // One applyUpdate may run several transactions (Yjs cleans up formatting in a follow-up
    // transaction): gather them all, from the first one's before-state to the last one's after.
    const onTransaction = (tr: Y.Transaction) => {
      const current: Observed = observed ?? {
        roots: new Set(),
        changed: new Map(),
        beforeState: tr.beforeState,
        afterState: tr.afterState,
        deleted: [],
      }
      current.afterState = tr.afterState
      for (const [type, keys] of tr.changed as unknown as Observed['changed']) {
        current.roots.add(rootName(this.shadow, type))
        const known = current.changed.get(type)
        if (known) for (const key of keys) known.add(key)
        else current.changed.set(type, new Set(keys))
      }
      // Binary search per deleted range (Yjs's own iterator), not a scan of every struct.
      Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
        if (struct instanceof Y.Item) current.deleted.push(struct)
      })
      observed = current
    }
    this.shadow.on('afterTransaction', onTransaction)
    try {
      Y.applyUpdate(this.shadow, update)
    } finally {
      this.shadow.off('afterTransaction', onTransaction)
    }
    return observed
  }

  /**
   * For every role, the chair's too: what the update touched must fit the card's schema and
   * layout (shapeGuard.ts). Only card documents have a shape to keep; a deck document takes no
   * document fields at all (refused by `allowedRoots`).
   */
  private judgeShape(o: Observed, parts: TouchedParts | null): Verdict | null {
    if (!parts) return null
    const problem = shapeViolation(this.shadow, o, parts)
    return problem === null
      ? null
      : refuse(
          PolicyCode.SchemaViolation,
          problem.length > 200 ? `${problem.slice(0, 200)}…` : problem,
        )
  }

  /** The lock state of each top-level block whose lock attribute this update changed. */
  private lockToggles(o: Observed): boolean[] {
    const fragment = this.answer() as unknown as SharedType
    const toggles: boolean[] = []
    for (const [type, keys] of o.changed) {
      if (!keys.has(LOCKED_ATTRIBUTE) || (type._item?.parent as unknown) !== fragment) continue
      const element = type as unknown as Y.XmlElement
      toggles.push((element.getAttribute(LOCKED_ATTRIBUTE) as unknown) === true)
    }
    return toggles
  }

  /** Top-level blocks of the answer locked as agreed text. */
  private lockedBlocks(): Set<Y.XmlElement> {
    const locked = new Set<Y.XmlElement>()
    for (const block of this.answer().toArray()) {
      if (
        block instanceof Y.XmlElement &&
        (block.getAttribute(LOCKED_ATTRIBUTE) as unknown) === true
      ) {
        locked.add(block)
      }
    }
    return locked
  }

  /**
   * A locked block may not change for anyone (the chair included) and may not be removed; only
   * the chair sets or clears the lock itself.
   */
  private judgeBlockLocks(
    o: Observed,
    sender: Sender,
    lockedBefore: Set<Y.XmlElement>,
  ): Verdict | null {
    if (!o.roots.has(ANSWER_FIELD)) return null
    const fragment = this.answer() as unknown as SharedType
    for (const block of lockedBefore) {
      if (block._item?.deleted) return refuse(PolicyCode.Locked, 'a locked paragraph was removed')
    }
    for (const [type, keys] of o.changed) {
      if (type === fragment || rootName(this.shadow, type) !== ANSWER_FIELD) continue
      let block: SharedType = type
      while (block._item && (block._item.parent as unknown) !== fragment) {
        block = block._item.parent as unknown as SharedType
      }
      const element = block as unknown as Y.XmlElement
      const togglesLock = type === block && keys.has(LOCKED_ATTRIBUTE)
      if (togglesLock && sender.role !== Roles.Chair) {
        return refuse(PolicyCode.Locked, 'only the chair locks or unlocks agreed text')
      }
      const onlyToggle = togglesLock && keys.size === 1
      const isLocked =
        lockedBefore.has(element) ||
        (element instanceof Y.XmlElement &&
          (element.getAttribute(LOCKED_ATTRIBUTE) as unknown) === true)
      if (isLocked && !onlyToggle) {
        return refuse(PolicyCode.Locked, 'this paragraph is locked as agreed text')
      }
    }
    return null
  }

  private ownerOf(clientId: number): string | undefined {
    const author = this.room.getMap<Author>(AUTHORS_FIELD).get(String(clientId))
    return author?.userId
  }

  private judge(o: Observed, sender: Sender, before: Before): Verdict {
    // 1. Identity: content under someone else's clientID, or a write to the server's map.
    const newClients: number[] = []
    for (const [client, clock] of o.afterState) {
      if (clock <= (o.beforeState.get(client) ?? 0)) continue
      const owner = this.ownerOf(client)
      if (owner !== undefined && owner !== sender.userId) {
        return refuse(PolicyCode.ClientIdTaken, `client ${client} belongs to another person`)
      }
      if (owner === undefined) {
        // A clientID is bound by the first content under it. One that wrote before without a
        // binding is the server's own (an imported answer, a repair): nobody may claim it, or
        // they would become the author of that text.
        if ((o.beforeState.get(client) ?? 0) > 0) {
          return refuse(PolicyCode.ClientIdTaken, `client ${client} wrote before and is not yours`)
        }
        newClients.push(client)
      }
    }
    if (o.roots.has(AUTHORS_FIELD)) {
      return refuse(PolicyCode.ForbiddenField, 'authors are written by the server only')
    }
    for (const root of o.roots) {
      if (!this.allowedRoots.has(root)) {
        return refuse(
          PolicyCode.ForbiddenField,
          `no field ${JSON.stringify(root).slice(0, 40)} here`,
        )
      }
    }
    const isOwnClient = (client: number): boolean =>
      newClients.includes(client) || this.ownerOf(client) === sender.userId
    const isOwn = (item: Y.Item | null): boolean => item !== null && isOwnClient(item.id.client)
    const decisions = o.roots.has(DECISIONS_FIELD) ? this.newDecisions(o) : []
    if (sender.role === Roles.Chair) return { ok: true, newClients, decisions, blockLocks: [] }

    // 2. The answer.
    if (o.roots.has(ANSWER_FIELD)) {
      if (sender.role === Roles.Commenter && !(before.text && this.text().eq(before.text))) {
        return refuse(PolicyCode.TextChange, 'a commenter may only anchor comments')
      }
      if (sender.role === Roles.Suggester) {
        if (!(before.base && this.base().eq(before.base))) {
          return refuse(
            PolicyCode.TextChange,
            'a suggester may change the answer only by suggestions',
          )
        }
        const verdict = this.judgeOthersSuggestions(o, before, isOwnClient)
        if (verdict) return verdict
        // Other people's suggestions on blocks (a join, a block's type) stay as they were.
        const idOf = (entry: string) => entry.slice(0, entry.indexOf('\u0000'))
        const isOthers = (entry: string) => this.isOthersSuggestion(idOf(entry), isOwnClient)
        const was = (before.blocks ?? []).filter(isOthers)
        const is = this.blockSuggestions(isOwnClient)
        const wasSet = new Set(was)
        const isSet = new Set(is)
        const changed = new Set(
          [...was.filter((entry) => !isSet.has(entry)), ...is.filter((e) => !wasSet.has(e))].map(
            idOf,
          ),
        )
        for (const id of changed) {
          if (
            !this.sameMeaning(before, id, (other) => !this.isOthersSuggestion(other, isOwnClient))
          ) {
            return refuse(PolicyCode.NotOwnSuggestion, 'another person’s suggestion was changed')
          }
        }
      }
    }

    // 3. Suggestion metadata: only one's own entries may be removed or replaced.
    if (o.roots.has(SUGGESTIONS_FIELD)) {
      for (const item of o.deleted) {
        if (rootName(this.shadow, item.parent as unknown as SharedType) !== SUGGESTIONS_FIELD)
          continue
        if (!isOwn(item)) {
          return refuse(PolicyCode.NotOwnSuggestion, 'only the author may withdraw a suggestion')
        }
      }
    }

    // 4. Decisions: others than the chair may only record withdrawals of their own suggestions.
    if (o.roots.has(DECISIONS_FIELD)) {
      for (const decision of decisions) {
        if (
          decision.outcome !== DecisionOutcome.Withdrawn ||
          decision.authorUserId !== sender.userId
        ) {
          return refuse(PolicyCode.DecisionNotAllowed, 'only the chair accepts or rejects')
        }
      }
      const log = this.shadow.getArray<Decision>(DECISIONS_FIELD) as unknown
      if (o.deleted.some((d) => d.parent === log)) {
        return refuse(PolicyCode.DecisionNotAllowed, 'the decision log is append-only')
      }
    }

    // 5. Threads: anyone who may comment adds threads and replies; only one's own comments are
    //    edited; a thread is resolved or reopened by its opener (or the chair), and a thread on a
    //    suggestion also by the suggestion's author withdrawing it.
    if (o.roots.has(THREADS_FIELD)) {
      const verdict = this.judgeThreads(o, isOwn)
      if (verdict) return verdict
    }
    return { ok: true, newClients, decisions, blockLocks: [] }
  }

  /**
   * A suggester may not change anyone else's suggestion. Judged per character: the characters
   * others inserted must keep exactly the marks of others' suggestions they had, and the
   * sender's own characters may not gain such a mark through formatting the sender wrote in this
   * update, nor lose one while they stay in the document.
   *
   * What is allowed is the one thing Yjs does on its own: a character the sender inserted at the
   * edge of another person's mark, at the same moment as that mark was made, can land inside its
   * formatting range (the range is bounded by format items, and concurrent inserts next to them
   * are ordered by client id). Refusing that would drop the sender's typing for a race no one
   * can avoid; the chair still sees both suggestions and decides between them.
   *
   * When the characters under a mark are no longer the ones Yjs held (the binding wrote them
   * again: see the comment inside), the mark is judged by what its suggestion means instead.
   */
  private judgeOthersSuggestions(
    o: Observed,
    beforeAll: Before,
    isOwnClient: (client: number) => boolean,
  ): Verdict | null {
    const before = beforeAll.suggestions
    const isTracked = (key: string) => this.isOthersSuggestion(idOfSuggestionKey(key), isOwnClient)
    const watched = new Set<string>()
    for (const [key, marked] of before?.marks ?? []) {
      if (isTracked(key)) for (const character of marked.own.keys()) watched.add(character)
    }
    const after = answerMarks(this.answer(), {
      isOwnClient,
      isNew: (item) => item.id.clock >= (o.beforeState.get(item.id.client) ?? 0),
      isTracked,
      watched,
    })
    const keys = new Set([...(before?.marks.keys() ?? []), ...after.marks.keys()])
    const isOwnSuggestion = (id: string) => !this.isOthersSuggestion(id, isOwnClient)
    const none: MarkedCharacters = { others: '', own: new Map() }
    for (const key of keys) {
      if (!isTracked(key)) continue
      const was = before?.marks.get(key) ?? none
      const is = after.marks.get(key) ?? none
      let newlyMarked = 0
      for (const [character, { written }] of is.own) {
        if (written && !was.own.has(character)) newlyMarked++
      }
      let removedOwn = 0
      let unmarked = 0
      for (const character of was.own.keys()) {
        if (is.own.has(character)) continue
        if (after.ownCharacters.has(character)) unmarked++
        else removedOwn++
      }
      if (was.others === is.others && newlyMarked === 0 && unmarked === 0) continue
      // The characters under the mark are not the ones Yjs held. That is what the binding does
      // when it writes text again (a paragraph split or a list item made inside the suggestion:
      // the text after the break is deleted and inserted anew, under the sender's client). It
      // is allowed when no more characters gained the mark than lost it (the text moved, it did
      // not grow) and the suggestion says what it said (sameMeaning). One's own characters that
      // stay but lost the mark count as moved too: the binding, writing a subtree again, can
      // match equal letters to different characters.
      const removedOthers = Math.max(0, was.others.length - is.others.length)
      if (newlyMarked > removedOthers + removedOwn + unmarked) {
        return refuse(PolicyCode.NotOwnSuggestion, 'text was marked as another person’s')
      }
      // The suggestion must say what it said, read without the sender's own proposed words:
      // those are theirs to withdraw or write again, and another person's proposal on them (to
      // delete or format them) falls with them. Pasting over one's own proposed words does just
      // that, and the binding may keep their letters and drop the marks, so a mark taken off
      // them is allowed; deleting and retyping them is allowed anyway. Text that is not the
      // sender's proposal (accepted text, others' words) is read letter for letter.
      if (!this.sameMeaning(beforeAll, idOfSuggestionKey(key), isOwnSuggestion)) {
        return refuse(PolicyCode.NotOwnSuggestion, 'another person’s suggestion was changed')
      }
    }
    return null
  }

  /**
   * Whether another person's suggestion `id` still says what it said before the update, read
   * as the engine reads it (sameSuggestion). Asked only when the characters under its marks, or
   * its block attributes, are no longer the ones Yjs held: the binding writes text again when a
   * paragraph is split or a list item made inside it, and the text written again is the
   * sender's in Yjs, though the suggestion did not change.
   */
  private sameMeaning(before: Before, id: string, withdrawable: (id: string) => boolean): boolean {
    if (!before.answer) return false
    return sameSuggestion(before.answer, this.answerDocs.of(this.answer()), id, withdrawable)
  }

  /**
   * The block suggestions (joins, block format changes) of other people in the answer, each as
   * `id NUL attribute NUL value`, sorted: what a suggester's update must leave as it was.
   */
  private blockSuggestions(isOwnClient: (client: number) => boolean): string[] {
    const entries: string[] = []
    this.answerDocs.of(this.answer()).descendants((node) => {
      if (!node.isTextblock) return true
      for (const name of [JOIN_SUGGESTION, FORMAT_SUGGESTION]) {
        const value: unknown = node.attrs[name]
        if (value === null || value === undefined) continue
        const id = typeof value === 'string' ? value : (value as { id?: unknown }).id
        if (typeof id !== 'string' || !this.isOthersSuggestion(id, isOwnClient)) continue
        entries.push(`${id}\u0000${name}\u0000${JSON.stringify(value)}`)
      }
      return false
    })
    return entries.sort()
  }

  /**
   * Whether suggestion `id` is another person's: its metadata entry (the latest item under its
   * id, removed or not: a concurrent decision may have removed it) was written under a clientID
   * that is not the sender's.
   */
  private isOthersSuggestion(id: string, isOwnClient: (client: number) => boolean): boolean {
    const metaItem = this.shadow.getMap(SUGGESTIONS_FIELD)._map.get(id)
    return metaItem !== undefined && !isOwnClient(metaItem.id.client)
  }

  /** Decision entries added by this update, each with the removed suggestion's true author. */
  private newDecisions(o: Observed): RecordedDecision[] {
    const suggestionMap = this.shadow.getMap(SUGGESTIONS_FIELD)
    const suggestions = suggestionMap as unknown
    const authorBySuggestion = new Map<string, string | undefined>()
    for (const item of o.deleted) {
      if (item.parent === suggestions && item.parentSub !== null) {
        authorBySuggestion.set(item.parentSub, this.ownerOf(item.id.client))
      }
    }
    const added: RecordedDecision[] = []
    let item = this.shadow.getArray<Decision>(DECISIONS_FIELD)._start
    while (item) {
      // Yjs merges the entries one client appended one after the other into one item: an
      // entry is new when its own clock (the item's plus its index) is, not the item's.
      const firstNew = (o.beforeState.get(item.id.client) ?? 0) - item.id.clock
      if (!item.deleted && firstNew < item.length) {
        const entries = item.content.getContent() as Decision[]
        for (const decision of entries.slice(Math.max(0, firstNew))) {
          // A concurrent decision may have removed the metadata already: its item is still there.
          const metaItem = suggestionMap._map.get(decision.suggestionId)
          const authorUserId =
            authorBySuggestion.get(decision.suggestionId) ??
            (metaItem ? this.ownerOf(metaItem.id.client) : undefined)
          added.push({ ...decision, authorUserId })
        }
      }
      item = item.right
    }
    return added
  }

  private judgeThreads(o: Observed, isOwn: (item: Y.Item | null) => boolean): Verdict | null {
    const threads = this.shadow.getMap(THREADS_FIELD) as unknown as SharedType
    for (const [type, keys] of o.changed) {
      if (rootName(this.shadow, type) !== THREADS_FIELD || type === threads) continue
      const item = type._item
      // Created in this very update by the sender: nothing older to protect.
      if (item && item.id.clock >= (o.beforeState.get(item.id.client) ?? 0)) continue
      if (type instanceof Y.Array) continue // replies appended to a thread's comments
      const parent = item?.parent
      const isThread = parent === threads
      if (isThread) {
        const opener = firstComment(type as unknown as Y.Map<unknown>)
        for (const key of keys) {
          if (key === ThreadField.Mentions || key === ThreadField.Comments) continue
          if (key === ThreadField.Resolved && isOwn(opener)) continue
          if (
            key === ThreadField.Resolved &&
            resolvedByWithdrawal(this.shadow, type as unknown as Y.Map<unknown>, o.deleted, isOwn)
          ) {
            continue
          }
          return refuse(
            PolicyCode.ThreadNotAllowed,
            'only the thread’s opener or the chair may do this',
          )
        }
      } else if (!isOwn(item ?? null)) {
        return refuse(PolicyCode.NotOwnComment, 'only the author may edit a comment')
      }
    }
    for (const item of o.deleted) {
      const parentType = item.parent as unknown as SharedType | null
      if (!parentType || rootName(this.shadow, parentType) !== THREADS_FIELD) continue
      if (parentType instanceof Y.Array) {
        return refuse(PolicyCode.NotOwnComment, 'comments are marked deleted, never removed')
      }
      if (parentType === threads && !isOwn(item)) {
        return refuse(PolicyCode.ThreadNotAllowed, 'only the opener may remove a thread')
      }
    }
    return null
  }
}

function firstComment(thread: Y.Map<unknown>): Y.Item | null {
  const comments = thread.get(ThreadField.Comments)
  if (!(comments instanceof Y.Array)) return null
  const first = comments.get(0)
  return first instanceof Y.AbstractType ? first._item : null
}

/** The name of the root type that contains `type`. */
function rootName(doc: Y.Doc, type: SharedType | null): string {
  let current: SharedType | null = type
  while (current?._item) current = current._item.parent as unknown as SharedType | null
  for (const [name, root] of doc.share) if ((root as unknown) === current) return name
  return ''
}

function cloneDoc(source: Y.Doc): Y.Doc {
  const copy = new Y.Doc({ gc: source.gc })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(source))
  return copy
}
