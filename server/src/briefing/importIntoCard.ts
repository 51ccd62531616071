/**
 * Importing a Word draft into a card's answer, as a forward change in the card's room that every
 * open editor receives live (as a restore is, history/versionRestore.ts): the draft's text, its
 * tracked changes as suggestions and its comments as threads.
 *
 * Attribution is by Yjs clientID, as everywhere in a card (cardLayout.ts): the update is made on a
 * copy of the room's document under clientIDs no one has used in the card, which it binds in
 * `authors` itself (the server writes that map; no client may). The importing person's client
 * holds the text no one changed in Word; each Word author gets a client of their own, bound to
 * the deck member of that name (or to the ministry of that name, or to an "imported" author),
 * which holds the text they inserted, the marks of what they deleted, their suggestions' entries
 * in `suggestions` (which is how Kartu knows who suggested) and their comments.
 *
 * The answer is written directly in Yjs, in the layout y-prosemirror writes (AnswerWriter):
 * elements and the text no one changed as the importer, then each run a Word author inserted in
 * a transaction of theirs, then the marks of deletions, format changes and comments in
 * transactions of whoever made them, then the entries and the threads. One update holds it all.
 * The result is read back with the schema and must be exactly the answer built, and must add no
 * problem to the card (cardShape.ts), or nothing is applied.
 *
 * 'replace' keeps the answer before the import as a named version first (never lose a word) and
 * writes the new one in its place: the card's blocks that the import has unchanged stay the same
 * Yjs items, with their authors; the others are removed (a character diff would hand pieces of
 * them to whoever wrote them). Pending suggestions of the replaced text lose their entries (they
 * are in the version kept); threads whose text went stay, without anchor. 'append' adds the
 * imported blocks after the card's, which stay the same Yjs items.
 */
import { randomInt } from 'node:crypto'
import { cardDocumentName, type Member, type Ministry } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  CommentField,
  cardProblems,
  collectSuggestions,
  getAnswerSchema,
  JOIN_SUGGESTION,
  MarkName,
  markKey,
  SUGGESTIONS_FIELD,
  type SuggestionMeta,
  THREADS_FIELD,
  ThreadField,
} from '@kartu/schema'
import type { Node as PMNode, Schema } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { HttpError } from '../api/errors.ts'
import { AnswerDocument } from '../collab/policy/answerDocument.ts'
import type { Room } from '../collab/Room.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import { SERVER_ORIGIN } from '../collab/roomListener.ts'
import type { CardVersions } from '../history/cardVersions.ts'
import { editOfUpdate } from '../history/editRecorder.ts'
import type { Cards, Decks, Edits, Memberships, Users } from '../store/types.ts'
import { DocxErrorCode, DocxImportError, readDocx, type WordDocument } from './docxRead.ts'
import { type ImportedThread, type WordAnswer, wordToAnswer } from './docxToAnswer.ts'

export const ImportMode = {
  /** The imported answer replaces the card's (which is kept as a version first). */
  Replace: 'replace',
  /** The imported blocks go after the card's own. */
  Append: 'append',
} as const
export type ImportMode = (typeof ImportMode)[keyof typeof ImportMode]

export type CardImportRequest = {
  cardId: string
  /** The person importing (the route checks they may). */
  userId: string
  bytes: Uint8Array
  mode: ImportMode
}

/** An import of a document already read (a deck import reads the file once for every card). */
export type WordImportRequest = Omit<CardImportRequest, 'bytes'> & { word: WordDocument }

export type CardImportResult = {
  /** Suggestions made from tracked changes. */
  suggestions: number
  /** Threads made from comments (replies are inside them). */
  threads: number
  /** Paragraphs, headings and list items imported. */
  paragraphs: number
}

/**
 * What one card takes from a Word file. A cue card is some 250 words in paragraphs of a few
 * hundred characters: a file far beyond these is not a card's draft (a deck's is imported with
 * importDeckFromWord.ts), and whatever is imported, every editor of the card loads.
 */
export const CARD_IMPORT_LIMITS = {
  maxCharacters: 50_000,
  maxParagraphCharacters: 10_000,
  maxSuggestions: 500,
  maxThreads: 500,
} as const

/** The user id of an author known only by their name in the Word file. */
export const IMPORTED_USER_PREFIX = 'imported:'
/** The name shown for such an author, before their Word name. */
export const IMPORTED_NAME_PREFIX = 'imported: '

/** The name given to the version kept before a replacing import. */
export const BEFORE_IMPORT_VERSION = 'Sebelum impor Word / Before Word import'

/** Times the answer is kept again when someone typed while it was written. */
const MAX_KEEP_ATTEMPTS = 3
/** Word names longer than this are cut (a decision records the author's user id, ≤ 300). */
const MAX_NAME = 100

export type CardImportRepository = Cards & Decks & Memberships & Users & Edits

const cardLocked = () =>
  new HttpError(409, 'card_locked', 'The card is final (locked): unlock it to import into it.')

function normalise(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('id')
}

/**
 * Who a Word author is in Kartu: the deck member whose name (or e-mail) it is, ignoring case; else
 * the ministry it names (its id, short name, names or an alias: Word authors are often set to the
 * office, "KP2MI"), as an imported author of that ministry; else an imported author of no
 * ministry. Imported authors' user ids start with `imported:`, which no account has. Names as
 * Kartu's Word export writes them are understood, so that a draft exported, edited in Word and
 * imported again keeps its people: "Budi Santoso (Kemenko PMK)" is the member Budi Santoso, and
 * "imported: Tamu Luar (KP2MI)" the same imported author as before.
 */
export function wordAuthorResolver(
  members: readonly Member[],
  ministries: readonly Ministry[],
): (wordAuthor: string) => Author {
  const people = new Map<string, Author>()
  for (const member of members) {
    const author = { userId: member.userId, name: member.name, ministryId: member.ministryId }
    for (const key of [member.name, member.email]) {
      const normalised = normalise(key)
      if (normalised && !people.has(normalised)) people.set(normalised, author)
    }
  }
  const offices = new Map<string, string>()
  for (const ministry of ministries) {
    for (const key of [
      ministry.id,
      ministry.short,
      ministry.nameId,
      ministry.nameEn,
      ...ministry.aliases,
    ]) {
      const normalised = normalise(key)
      if (normalised && !offices.has(normalised)) offices.set(normalised, ministry.id)
    }
  }
  const importedPrefix = normalise(IMPORTED_NAME_PREFIX)
  return (wordAuthor) => {
    let name = wordAuthor.normalize('NFKC').replace(/\s+/g, ' ').trim()
    if (normalise(name).startsWith(importedPrefix)) name = name.slice(importedPrefix.length).trim()
    const labelled = /^(.+?)\s*\(([^()]+)\)$/.exec(name)
    const office = labelled ? offices.get(normalise(labelled[2] ?? '')) : undefined
    const bare = office !== undefined && labelled ? (labelled[1] ?? name) : name
    const person =
      people.get(normalise(name)) ??
      (labelled ? people.get(normalise(labelled[1] ?? '')) : undefined)
    if (person) return person
    const shown = bare.slice(0, MAX_NAME) || 'Word'
    return {
      userId: `${IMPORTED_USER_PREFIX}${shown}`,
      name: `${IMPORTED_NAME_PREFIX}${shown}`,
      ministryId: office ?? offices.get(normalise(shown)) ?? '',
    }
  }
}

/** Refuses what one card cannot take, before anything is written. */
export function checkCardLimits(answer: WordAnswer<unknown>): void {
  const characters = answer.doc.textContent.length
  let longest = 0
  answer.doc.descendants((node) => {
    if (!node.isTextblock) return true
    longest = Math.max(longest, node.content.size)
    return false
  })
  const problems = [
    characters > CARD_IMPORT_LIMITS.maxCharacters
      ? `${characters} characters (at most ${CARD_IMPORT_LIMITS.maxCharacters})`
      : null,
    longest > CARD_IMPORT_LIMITS.maxParagraphCharacters
      ? `a paragraph of ${longest} characters (at most ${CARD_IMPORT_LIMITS.maxParagraphCharacters})`
      : null,
    answer.suggestions.length > CARD_IMPORT_LIMITS.maxSuggestions
      ? `${answer.suggestions.length} tracked changes (at most ${CARD_IMPORT_LIMITS.maxSuggestions})`
      : null,
    answer.threads.length > CARD_IMPORT_LIMITS.maxThreads
      ? `${answer.threads.length} comment threads (at most ${CARD_IMPORT_LIMITS.maxThreads})`
      : null,
  ].filter((problem): problem is string => problem !== null)
  if (problems.length > 0) {
    throw new DocxImportError(
      DocxErrorCode.TooLarge,
      `The document is too large for one card: ${problems.join(', ')}.`,
    )
  }
}

export class CardImport {
  private readonly schema = getAnswerSchema()

  constructor(
    private readonly rooms: RoomManager,
    private readonly versions: CardVersions,
    private readonly repository: CardImportRepository,
  ) {}

  /**
   * Imports a .docx file into the card. The file is read, converted and checked before the card
   * is touched: a file that cannot be imported (DocxImportError) changes nothing. Throws 404 for
   * no such card, 409 `card_locked` while the card is final.
   */
  async importIntoCard(request: CardImportRequest): Promise<CardImportResult> {
    const word = readDocx(request.bytes)
    return this.importWord({
      cardId: request.cardId,
      userId: request.userId,
      mode: request.mode,
      word,
    })
  }

  async importWord(request: WordImportRequest): Promise<CardImportResult> {
    const card = await this.repository.getCard(request.cardId)
    if (!card) throw new HttpError(404, 'card_not_found', 'Card not found.')
    if (card.locked) throw cardLocked()
    const [deck, members, user] = await Promise.all([
      this.repository.getDeck(card.deckId),
      this.repository.listMembers(card.deckId),
      this.repository.findUserById(request.userId),
    ])
    const importer: Author = {
      userId: request.userId,
      name: user?.name ?? request.userId,
      ministryId: user?.ministryId ?? '',
    }
    const resolve = wordAuthorResolver(members, deck?.ministries ?? [])
    const wordAuthors = new Map<string, Author>()
    const answer = wordToAnswer(request.word, (name) => {
      const author = resolve(name)
      wordAuthors.set(author.userId, author)
      return author.userId
    })
    checkCardLimits(answer)

    const room = await this.rooms.acquire(cardDocumentName(request.cardId))
    try {
      // Read again now that the room is loaded: a lock set before it was loaded never reached it
      // (PermissionWatcher tells loaded rooms only); one set from now on does.
      if ((await this.repository.getCard(request.cardId))?.locked || room.isLocked) {
        throw cardLocked()
      }
      const update = await this.applyAfterKeepingBefore(room, request, (doc) =>
        this.importUpdate(doc, answer, importer, wordAuthors, request.mode),
      )
      // Persisted: the import is on disk before the importer hears it is done.
      await room.drain()
      await this.repository.writeEdits([
        {
          seq: null,
          edit: {
            cardId: request.cardId,
            at: Date.now(),
            userId: request.userId,
            ...editOfUpdate(update, room.doc),
          },
        },
      ])
      return {
        suggestions: answer.suggestions.length,
        threads: answer.threads.length,
        paragraphs: answer.paragraphs,
      }
    } finally {
      this.rooms.release(room)
    }
  }

  /**
   * For 'replace', keeps the answer as it is as a version, then applies the import. Keeping it is
   * written to disk (awaited) and an edit may land meanwhile: the import is built and applied on
   * the very state that was kept, in the same turn as the check, so that the version holds
   * everything the import replaced. Otherwise the state is kept again.
   */
  private async applyAfterKeepingBefore(
    room: Room,
    request: WordImportRequest,
    build: (doc: Y.Doc) => Uint8Array,
  ): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      const before = Y.snapshot(room.doc)
      const keep =
        request.mode === ImportMode.Replace && room.doc.getXmlFragment(ANSWER_FIELD).length > 0
      if (keep) {
        await this.versions.keep(room.doc, {
          cardId: request.cardId,
          kind: 'named',
          name: BEFORE_IMPORT_VERSION,
          createdBy: request.userId,
          onlyIfChanged: false,
        })
      }
      // From here to applyUpdate nothing is awaited: no edit can come between the check and it.
      if (room.isLocked) throw cardLocked()
      if (Y.equalSnapshots(before, Y.snapshot(room.doc))) {
        const update = build(room.doc)
        Y.applyUpdate(room.doc, update, SERVER_ORIGIN)
        return update
      }
      if (attempt === MAX_KEEP_ATTEMPTS) {
        throw new HttpError(409, 'card_busy', 'The card kept changing: try again.')
      }
    }
  }

  /** The import as one Yjs update against `doc` (which is left as it is). */
  private importUpdate(
    doc: Y.Doc,
    answer: WordAnswer<string>,
    importer: Author,
    wordAuthors: ReadonlyMap<string, Author>,
    mode: ImportMode,
  ): Uint8Array {
    const copy = new Y.Doc()
    try {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      const fragment = copy.getXmlFragment(ANSWER_FIELD)
      const final = this.combined(fragment, answer.doc, mode)
      const problemsBefore = new Set(cardProblems(this.schema, copy))
      const stateBefore = Y.encodeStateVector(copy)
      new AnswerWriter(this.schema, copy, importer, wordAuthors).write(final, answer, mode)
      // The writer must end on the answer as built; anything else is a bug, never applied.
      const written = new AnswerDocument(this.schema).of(fragment)
      if (!written.eq(final)) throw new Error('the imported answer was not written as built')
      const problems = cardProblems(this.schema, copy).filter((p) => !problemsBefore.has(p))
      if (problems.length > 0) {
        throw new Error(`the import would leave the card misshapen: ${problems.join('; ')}`)
      }
      return Y.encodeStateAsUpdate(copy, stateBefore)
    } finally {
      copy.destroy()
    }
  }

  /** The answer after the import: the imported one, or the existing blocks and then it. */
  private combined(fragment: Y.XmlFragment, imported: PMNode, mode: ImportMode): PMNode {
    if (mode === ImportMode.Replace || fragment.length === 0) return imported
    let existing: PMNode
    try {
      existing = new AnswerDocument(this.schema).of(fragment)
    } catch (error) {
      throw new HttpError(
        409,
        'card_misshapen',
        `The card's answer does not fit its schema (${error instanceof Error ? error.message : 'unknown'}): repair it first (pnpm kartu doctor --repair).`,
      )
    }
    // An answer that is one empty paragraph is what a new card shows: nothing to append to.
    const only = existing.childCount === 1 ? existing.firstChild : null
    if (only && only.type === this.schema.nodes.paragraph && only.content.size === 0)
      return imported
    return this.schema.topNodeType.create(null, existing.content.append(imported.content))
  }
}

/** A run of text to insert: who inserts it, and the formatting it is inserted with. */
type Piece = {
  text: Y.XmlText
  client: number
  content: string
  attributes: Record<string, unknown>
}
/** Formatting someone puts on text already there (a deletion, a format change, a comment). */
type Formatting = {
  text: Y.XmlText
  client: number
  index: number
  length: number
  key: string
  value: unknown
}

/**
 * Writes one import into a copy of the card document (see the module comment): the structure
 * and the text no one changed in Word as the importer, each character a Word author inserted as
 * that author, each mark of a deletion, format change or comment as the one who made it, each
 * suggestion's entry and each comment as its author. Built directly in Yjs, in the layout
 * y-prosemirror writes (one Y.XmlText per run of text nodes, marks as formatting attributes
 * under markKey), in time linear in the answer: a diff per author and paragraph, as
 * y-prosemirror would need, costs the square of a paragraph's changes.
 */
class AnswerWriter {
  private readonly used: Set<number>
  /** The client of each Word author (by author key), in the order they were given one. */
  private readonly clients = new Map<string, number>()
  private readonly importerClient: number

  constructor(
    private readonly schema: Schema,
    private readonly doc: Y.Doc,
    private readonly importer: Author,
    private readonly wordAuthors: ReadonlyMap<string, Author>,
  ) {
    // Clients that wrote anything in the card, and those bound to someone: none of them may be
    // reused, or the import's text would be attributed to whoever holds it.
    this.used = new Set([
      ...Y.decodeStateVector(Y.encodeStateVector(doc)).keys(),
      ...[...doc.getMap(AUTHORS_FIELD).keys()].map(Number),
    ])
    this.importerClient = this.freshClient()
  }

  private freshClient(): number {
    let client = randomInt(1, 0x7fffffff)
    while (this.used.has(client)) client = randomInt(1, 0x7fffffff)
    this.used.add(client)
    return client
  }

  private clientOf(authorKey: string): number {
    let client = this.clients.get(authorKey)
    if (client === undefined) {
      client = this.freshClient()
      this.clients.set(authorKey, client)
    }
    return client
  }

  /** Runs `change` as one transaction of `client`. */
  private as(client: number, change: () => void): void {
    this.doc.clientID = client
    this.doc.transact(change)
  }

  write(final: PMNode, answer: WordAnswer<string>, mode: ImportMode): void {
    const fragment = this.doc.getXmlFragment(ANSWER_FIELD)
    const suggestions = this.doc.getMap<SuggestionMeta>(SUGGESTIONS_FIELD)
    const threads = this.doc.getMap<Y.Map<unknown>>(THREADS_FIELD)
    const authors = this.doc.getMap<Author>(AUTHORS_FIELD)
    const suggester = new Map(answer.suggestions.map((s) => [s.id, this.clientOf(s.author)]))
    const opener = new Map(
      answer.threads.flatMap((thread) => {
        const first = thread.comments[0]
        return first ? [[thread.id, this.clientOf(first.author)] as const] : []
      }),
    )
    for (const thread of answer.threads) for (const c of thread.comments) this.clientOf(c.author)
    const pieces: Piece[] = []
    const formatting: Formatting[] = []
    const joins: Array<{ element: Y.XmlElement; id: string; client: number }> = []
    const { insertion, deletion, formatChange, comment } = this.markTypes()

    // What each new text node becomes: a piece inserted by whoever inserted it (its imported
    // insertion's author, else the importer), with the marks that come with the text; and the
    // formatting others add to it afterwards.
    const addText = (text: Y.XmlText, offset: number, node: PMNode) => {
      const content = node.text ?? ''
      let client = this.importerClient
      const attributes: Record<string, unknown> = {}
      for (const mark of node.marks) {
        const id = String(mark.attrs.id ?? '')
        const threadId = String(mark.attrs.threadId ?? '')
        const later =
          (mark.type === deletion && suggester.get(id)) ||
          (mark.type === formatChange && suggester.get(id)) ||
          (mark.type === comment && opener.get(threadId))
        if (later) {
          const last = formatting.at(-1)
          const key = markKey(mark)
          if (
            last &&
            last.text === text &&
            last.client === later &&
            last.key === key &&
            last.index + last.length === offset
          ) {
            last.length += content.length
          } else {
            formatting.push({
              text,
              client: later,
              index: offset,
              length: content.length,
              key,
              value: mark.attrs,
            })
          }
          continue
        }
        if (mark.type === insertion) client = suggester.get(id) ?? client
        attributes[markKey(mark)] = mark.attrs
      }
      const last = pieces.at(-1)
      if (
        last &&
        last.text === text &&
        last.client === client &&
        JSON.stringify(last.attributes) === JSON.stringify(attributes)
      ) {
        last.content += content
      } else {
        pieces.push({ text, client, content, attributes })
      }
    }

    // A new block as y-prosemirror lays it out: an element with the node's attributes (but a
    // join, which is its author's), a Y.XmlText per run of text nodes, an element per other node.
    const build = (node: PMNode): Y.XmlElement => {
      const element = new Y.XmlElement(node.type.name)
      for (const [key, value] of Object.entries(node.attrs)) {
        if (value === null || value === undefined) continue
        if (key === JOIN_SUGGESTION && typeof value === 'string') {
          joins.push({ element, id: value, client: suggester.get(value) ?? this.importerClient })
          continue
        }
        element.setAttribute(key, value as string)
      }
      const children: Array<Y.XmlElement | Y.XmlText> = []
      let text: Y.XmlText | null = null
      let offset = 0
      node.forEach((child) => {
        if (child.isText) {
          if (!text) {
            text = new Y.XmlText()
            offset = 0
            children.push(text)
          }
          addText(text, offset, child)
          offset += child.text?.length ?? 0
        } else {
          text = null
          children.push(build(child))
        }
      })
      element.insert(0, children)
      return element
    }

    // 1. The importer: every binding of the import, the blocks (the card's own that stay, in
    // place; the others removed), and the structure of the new ones.
    this.as(this.importerClient, () => {
      authors.set(String(this.importerClient), this.importer)
      for (const [key, client] of this.clients) {
        const author = this.wordAuthors.get(key)
        if (author) authors.set(String(client), author)
      }
      const plan = this.alignBlocks(fragment, final, mode)
      for (const index of [...plan.drop].sort((a, b) => b - a)) fragment.delete(index, 1)
      final.forEach((block, _offset, index) => {
        if (!plan.keep.has(index)) fragment.insert(index, [build(block)])
      })
      if (mode === ImportMode.Replace) {
        // Suggestions of the replaced text: their marks are gone, so are their entries.
        const remaining = new Set(collectSuggestions(final).map((span) => span.id))
        for (const id of [...suggestions.keys()]) if (!remaining.has(id)) suggestions.delete(id)
      }
    })

    // 2. The characters, in document order, each run in a transaction of whoever wrote it.
    for (const piece of pieces) {
      this.as(piece.client, () => {
        piece.text.insert(piece.text.length, piece.content, { ...piece.attributes })
      })
    }

    // 3. Each suggestion's own marks and entry, as its author: the entry's client is what names
    // the suggester.
    const byClient = new Map<number, Array<() => void>>()
    const later = (client: number, change: () => void) => {
      const list = byClient.get(client) ?? []
      list.push(change)
      byClient.set(client, list)
    }
    for (const format of formatting) {
      later(format.client, () =>
        format.text.format(format.index, format.length, { [format.key]: format.value }),
      )
    }
    for (const join of joins)
      later(join.client, () => join.element.setAttribute(JOIN_SUGGESTION, join.id))
    for (const suggestion of answer.suggestions) {
      later(suggester.get(suggestion.id) ?? this.importerClient, () =>
        suggestions.set(suggestion.id, { kind: suggestion.kind, createdAt: suggestion.createdAt }),
      )
    }
    // 4. Each thread as its opener (with its first comment), each reply as its author, in the
    // shape the client writes (client/src/card/review/threads.ts).
    const replies: Array<{ comments: Y.Array<Y.Map<unknown>>; thread: ImportedThread<string> }> = []
    for (const thread of answer.threads) {
      const [first] = thread.comments
      if (!first) continue
      later(this.clientOf(first.author), () => {
        const map = new Y.Map<unknown>()
        map.set(ThreadField.Quote, thread.quote)
        map.set(ThreadField.CreatedAt, thread.createdAt)
        map.set(ThreadField.Resolved, thread.resolved)
        map.set(ThreadField.Mentions, new Y.Array<string>())
        const comments = new Y.Array<Y.Map<unknown>>()
        comments.push([commentMap(first)])
        map.set(ThreadField.Comments, comments)
        threads.set(thread.id, map)
        replies.push({ comments, thread })
      })
    }
    for (const [client, changes] of byClient) {
      this.as(client, () => {
        for (const change of changes) change()
      })
    }
    for (const { comments, thread } of replies) {
      for (const reply of thread.comments.slice(1)) {
        this.as(this.clientOf(reply.author), () => comments.push([commentMap(reply)]))
      }
    }
  }

  private markTypes() {
    const type = (name: string) => {
      const found = this.schema.marks[name]
      if (!found) throw new Error(`the answer schema has no ${name} mark`)
      return found
    }
    return {
      insertion: type(MarkName.Insertion),
      deletion: type(MarkName.Deletion),
      formatChange: type(MarkName.FormatChange),
      comment: type(MarkName.Comment),
    }
  }

  /**
   * Which of the card's top-level blocks stay (the same Yjs items, with their authors) and which
   * go: in order, each block of the new answer takes the next of the card's blocks that is the
   * same block exactly, and the card's blocks passed over go. In 'append' the card's blocks are
   * the new answer's first ones and all stay; in 'replace' those the import did not change (a
   * draft exported from Kartu and sent back) stay. Changed blocks are written anew rather than
   * diffed: a character diff would hand pieces of them to whoever wrote them before.
   */
  private alignBlocks(
    fragment: Y.XmlFragment,
    final: PMNode,
    mode: ImportMode,
  ): { keep: Set<number>; drop: Set<number> } {
    const items = fragment.toArray()
    let existing: readonly PMNode[] = []
    try {
      const answer = new AnswerDocument(this.schema).of(fragment)
      if (answer.childCount === items.length) existing = answer.content.content
    } catch (error) {
      // A misshapen answer: 'replace' replaces it whole ('append' refused it already).
      if (mode === ImportMode.Append) throw error
    }
    const keep = new Set<number>()
    const drop = new Set<number>()
    let next = 0
    final.forEach((block, _offset, index) => {
      let match = next
      while (match < existing.length && !existing[match]?.eq(block)) match++
      if (match >= existing.length) return
      for (let passed = next; passed < match; passed++) drop.add(passed)
      keep.add(index)
      next = match + 1
    })
    for (let passed = next; passed < items.length; passed++) drop.add(passed)
    return { keep, drop }
  }
}

function commentMap(comment: { id: string; body: string; createdAt: number }): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set(CommentField.Id, comment.id)
  map.set(CommentField.Body, comment.body)
  map.set(CommentField.CreatedAt, comment.createdAt)
  return map
}
