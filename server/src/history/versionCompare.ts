/**
 * Two versions of a card's answer compared, word by word, with who made each change and when.
 *
 * The comparison follows Yjs identity, not text: a character is the same in both versions when it
 * is the same Yjs item, inserted when only the newer version has it, deleted when only the older
 * one does. So the walk is one pass over the newer document (in which every item of the older one
 * still has its place, deleted ones as tombstones), with the text of deleted items read from the
 * older document; no text diff, whose cost grows with the product of the differences, and no
 * guessing which of two equal words moved. Who inserted a character is the authors binding of its
 * Yjs client (written by the server); who deleted it, and when either happened, comes from the
 * edits the server recorded (editRecorder.ts).
 *
 * Characters are then grouped into words: a word of which any letter changed is shown whole,
 * as the old word deleted and the new one inserted ("dipersingkat" → "dipercepat", not
 * "dipers[ingkat][cepat]"), and neighbouring changed words with the spaces between them become
 * one change, as a reader would describe it.
 */
import type { ComparedLine, ComparedSegment, PersonRef, TextChange } from '@kartu/protocol'
import { ANSWER_FIELD, AUTHORS_FIELD, type Author, MarkName, markNameOfKey } from '@kartu/schema'
import * as Y from 'yjs'
import type { EditRecord } from '../store/types.ts'

type State = 'same' | 'insert' | 'delete' | 'format'

/** The Yjs id a change is looked up by: an item inserted (in the newer) or deleted (since the older). */
type Origin = { deleted: boolean; client: number; clock: number }

/** A character of the comparison; `id` its Yjs id (null for a line break element). */
type Cell = {
  ch: string
  state: State
  origin: Origin | null
  format: string[] | null
  id: { client: number; clock: number } | null
}

type Line = Omit<ComparedLine, 'segments'> & { cells: Cell[] }

type Context = { list: ComparedLine['list']; depth: number }

/** Marks that are review state (suggestions, comments), not formatting of the text. */
const REVIEW_MARKS: ReadonlySet<string> = new Set(Object.values(MarkName))

const TEXTBLOCKS: ReadonlySet<string> = new Set(['paragraph', 'heading'])

function isFormattingKey(key: string): boolean {
  return !REVIEW_MARKS.has(markNameOfKey(key))
}

/** One side of the comparison: a document and how far each client got in it. */
class Side {
  readonly state: Map<number, number>
  constructor(readonly doc: Y.Doc) {
    this.state = Y.decodeStateVector(Y.encodeStateVector(doc))
  }
  /** The item of this side holding `clock` of `client`, when this side has it. */
  itemAt(client: number, clock: number): Y.Item | Y.GC | null {
    if (clock >= (this.state.get(client) ?? 0)) return null
    return Y.getItem(this.doc.store, Y.createID(client, clock)) as Y.Item | Y.GC
  }
}

type Mode = 'both' | 'new' | 'old'

type Piece =
  | {
      kind: 'text'
      text: string
      state: 'same' | 'insert' | 'delete'
      client: number
      clock: number
    }
  | {
      kind: 'format'
      key: string
      value: unknown
      inOlder: boolean
      inNewer: boolean
      origin: Origin
    }
  | {
      kind: 'type'
      newer: Y.AbstractType<unknown> | null
      older: Y.AbstractType<unknown> | null
      state: 'same' | 'insert' | 'delete'
    }

/** Turns one item's content, as one side had it, into pieces. */
function* piecesOfContent(
  item: Y.Item,
  from: number,
  to: number,
  state: 'same' | 'insert' | 'delete',
  older: Y.AbstractType<unknown> | null,
): Generator<Piece> {
  const { client, clock } = item.id
  const content = item.content
  if (content instanceof Y.ContentString) {
    const text = content.str.slice(from - clock, to - clock)
    yield { kind: 'text', text, state, client, clock: from }
  } else if (content instanceof Y.ContentFormat) {
    yield {
      kind: 'format',
      key: content.key,
      value: content.value,
      inOlder: state !== 'insert',
      inNewer: state !== 'delete',
      origin: { deleted: state === 'delete', client, clock },
    }
  } else if (content instanceof Y.ContentType) {
    const type = content.type as Y.AbstractType<unknown>
    yield {
      kind: 'type',
      newer: state === 'delete' ? null : type,
      older: state === 'delete' ? type : older,
      state,
    }
  }
}

/**
 * The children of a type in document order, each as the newer side has it and whether the older
 * one had it. `mode` says which sides hold the type itself.
 */
function* piecesOf(
  newerType: Y.AbstractType<unknown> | null,
  olderType: Y.AbstractType<unknown> | null,
  mode: Mode,
  older: Side,
): Generator<Piece> {
  if (mode === 'old') {
    for (let item = olderType?._start ?? null; item !== null; item = item.right) {
      if (!item.deleted)
        yield* piecesOfContent(item, item.id.clock, item.id.clock + item.length, 'delete', null)
    }
    return
  }
  for (let item = newerType?._start ?? null; item !== null; item = item.right) {
    const { client, clock } = item.id
    const end = clock + item.length
    if (mode === 'new') {
      if (!item.deleted) yield* piecesOfContent(item, clock, end, 'insert', null)
      continue
    }
    // Both sides hold the type: walk the item's clocks through the older side's items, which
    // may be split differently (Yjs splits an item where a later edit lands).
    for (let at = clock; at < end; ) {
      const olderItem = older.itemAt(client, at)
      const runEnd = olderItem ? Math.min(end, olderItem.id.clock + olderItem.length) : end
      const inOlder = olderItem instanceof Y.Item && !olderItem.deleted
      if (!item.deleted) {
        const olderChild =
          inOlder && olderItem.content instanceof Y.ContentType
            ? (olderItem.content.type as Y.AbstractType<unknown>)
            : null
        yield* piecesOfContent(item, at, runEnd, inOlder ? 'same' : 'insert', olderChild)
      } else if (inOlder) {
        // Deleted since: the newer side keeps a tombstone; the text is the older side's.
        yield* piecesOfContent(olderItem, at, runEnd, 'delete', null)
      }
      at = runEnd
    }
  }
}

function signature(attributes: Map<string, unknown>): string {
  return JSON.stringify([...attributes].filter(([key]) => isFormattingKey(key)).sort())
}

function formatDifference(older: Map<string, unknown>, newer: Map<string, unknown>): string[] {
  const names = new Set<string>()
  for (const key of new Set([...older.keys(), ...newer.keys()])) {
    if (!isFormattingKey(key)) continue
    if (JSON.stringify(older.get(key)) !== JSON.stringify(newer.get(key))) names.add(key)
  }
  return [...names].sort()
}

/** Walks the answer of both documents into lines of characters, each with its state. */
class LineWalker {
  readonly lines: Line[] = []

  constructor(private readonly older: Side) {}

  element(
    newer: Y.AbstractType<unknown> | null,
    olderType: Y.AbstractType<unknown> | null,
    mode: Mode,
    context: Context,
  ): void {
    const element = (mode === 'old' ? olderType : newer) as Y.XmlElement
    const name = element.nodeName
    if (TEXTBLOCKS.has(name)) {
      const level = Number(element.getAttribute('level'))
      const line: Line = {
        block: name,
        level: name === 'heading' && Number.isInteger(level) ? level : null,
        list: context.list,
        depth: context.depth,
        state: mode === 'new' ? 'insert' : mode === 'old' ? 'delete' : 'same',
        cells: [],
      }
      this.lines.push(line)
      this.inline(newer, olderType, mode, line)
      return
    }
    const inner: Context =
      name === 'bulletList' || name === 'orderedList'
        ? { list: name === 'bulletList' ? 'bullet' : 'ordered', depth: context.depth + 1 }
        : context
    this.children(newer, olderType, mode, inner)
  }

  children(
    newer: Y.AbstractType<unknown> | null,
    olderType: Y.AbstractType<unknown> | null,
    mode: Mode,
    context: Context,
  ): void {
    for (const piece of piecesOf(newer, olderType, mode, this.older)) {
      if (piece.kind !== 'type') continue
      const childMode: Mode =
        piece.state === 'same' ? mode : piece.state === 'insert' ? 'new' : 'old'
      const child = (childMode === 'old' ? piece.older : piece.newer) as Y.AbstractType<unknown>
      if (child instanceof Y.XmlElement) this.element(piece.newer, piece.older, childMode, context)
    }
  }

  /** The inline content of a textblock: its texts and hard breaks. */
  private inline(
    newer: Y.AbstractType<unknown> | null,
    olderType: Y.AbstractType<unknown> | null,
    mode: Mode,
    line: Line,
  ): void {
    for (const piece of piecesOf(newer, olderType, mode, this.older)) {
      if (piece.kind !== 'type') continue
      const childMode: Mode =
        piece.state === 'same' ? mode : piece.state === 'insert' ? 'new' : 'old'
      const child = childMode === 'old' ? piece.older : piece.newer
      if (child instanceof Y.XmlText) this.text(piece.newer, piece.older, childMode, line)
      else if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') {
        const state = childMode === 'new' ? 'insert' : childMode === 'old' ? 'delete' : 'same'
        line.cells.push({ ch: '\n', state, origin: null, format: null, id: null })
      }
    }
  }

  private text(
    newer: Y.AbstractType<unknown> | null,
    olderType: Y.AbstractType<unknown> | null,
    mode: Mode,
    line: Line,
  ): void {
    const olderFormat = new Map<string, unknown>()
    const newerFormat = new Map<string, unknown>()
    let lastFormat: Origin | null = null
    const set = (attributes: Map<string, unknown>, key: string, value: unknown) => {
      if (value === null || value === undefined) attributes.delete(key)
      else attributes.set(key, value)
    }
    for (const piece of piecesOf(newer, olderType, mode, this.older)) {
      if (piece.kind === 'format') {
        if (piece.inOlder) set(olderFormat, piece.key, piece.value)
        if (piece.inNewer) set(newerFormat, piece.key, piece.value)
        if (piece.inOlder !== piece.inNewer && isFormattingKey(piece.key)) lastFormat = piece.origin
        continue
      }
      if (piece.kind !== 'text') continue
      const reformatted =
        piece.state === 'same' && signature(olderFormat) !== signature(newerFormat)
      const format = reformatted ? formatDifference(olderFormat, newerFormat) : null
      for (let i = 0; i < piece.text.length; i++) {
        const ch = piece.text[i] as string
        const id = { client: piece.client, clock: piece.clock + i }
        if (reformatted) {
          line.cells.push({ ch, state: 'format', origin: lastFormat, format, id })
        } else if (piece.state === 'same') {
          line.cells.push({ ch, state: 'same', origin: null, format: null, id })
        } else {
          line.cells.push({
            ch,
            state: piece.state,
            origin: {
              deleted: piece.state === 'delete',
              client: piece.client,
              clock: piece.clock + i,
            },
            format: null,
            id,
          })
        }
      }
    }
  }
}

/** Id ranges of the recorded edits, searchable by id. */
class EditIndex {
  private readonly byClient = new Map<number, Array<[start: number, end: number, edit: number]>>()

  constructor(
    private readonly edits: readonly EditRecord[],
    pick: (edit: EditRecord) => EditRecord['inserted'],
  ) {
    edits.forEach((edit, index) => {
      for (const [client, ranges] of Object.entries(pick(edit))) {
        let list = this.byClient.get(Number(client))
        if (!list) {
          list = []
          this.byClient.set(Number(client), list)
        }
        for (const [clock, length] of ranges) list.push([clock, clock + length, index])
      }
    })
    for (const list of this.byClient.values()) list.sort((a, b) => a[0] - b[0] || a[2] - b[2])
  }

  /** The earliest edit whose ranges hold the id, or null. */
  find(client: number, clock: number): EditRecord | null {
    const list = this.byClient.get(client)
    if (!list) return null
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      if ((list[middle] as [number, number, number])[0] <= clock) low = middle + 1
      else high = middle - 1
    }
    // Ranges may overlap (two people deleting the same word at once): look back a little for
    // the earliest edit holding the id.
    let best = -1
    for (let i = high; i >= 0 && i > high - 64; i--) {
      const [start, end, edit] = list[i] as [number, number, number]
      if (start <= clock && clock < end && (best === -1 || edit < best)) best = edit
    }
    return best === -1 ? null : (this.edits[best] ?? null)
  }
}

/** What the comparison needs to know about people. */
export type People = (userId: string) => PersonRef

export type Comparison = { lines: ComparedLine[]; changes: TextChange[] }

type Who = { author: PersonRef | null; at: number | null }

/** What a character is to a reader: part of a word, a space, or a punctuation mark. */
enum CharClass {
  Space,
  Word,
  Mark,
}

const WORD_CHARACTER = /[\p{L}\p{N}\p{M}]/u

function classOf(ch: string): CharClass {
  if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\u00a0') return CharClass.Space
  return WORD_CHARACTER.test(ch) ? CharClass.Word : CharClass.Mark
}

export function compareDocuments(
  olderDoc: Y.Doc,
  newerDoc: Y.Doc,
  edits: readonly EditRecord[],
  people: People,
): Comparison {
  const walker = new LineWalker(new Side(olderDoc))
  walker.children(
    newerDoc.getXmlFragment(ANSWER_FIELD) as unknown as Y.AbstractType<unknown>,
    olderDoc.getXmlFragment(ANSWER_FIELD) as unknown as Y.AbstractType<unknown>,
    'both',
    { list: null, depth: 0 },
  )
  const authors = newerDoc.getMap<Author>(AUTHORS_FIELD)
  const insertions = new EditIndex(edits, (edit) => edit.inserted)
  const deletions = new EditIndex(edits, (edit) => edit.deleted)

  const whoOf = (origin: Origin): Who => {
    if (origin.deleted) {
      const edit = deletions.find(origin.client, origin.clock)
      return edit ? { author: people(edit.userId), at: edit.at } : { author: null, at: null }
    }
    const author = authors.get(String(origin.client))
    const edit = insertions.find(origin.client, origin.clock)
    return {
      author: author
        ? { userId: author.userId, name: author.name, ministryId: author.ministryId }
        : edit
          ? people(edit.userId)
          : null,
      at: edit?.at ?? null,
    }
  }

  const lines = walker.lines.map((line) => ({
    block: line.block,
    level: line.level,
    list: line.list,
    depth: line.depth,
    state: line.state,
    segments: segmentsOf(line.cells, whoOf),
  }))
  const changes: TextChange[] = []
  for (const line of lines) {
    for (const segment of line.segments) {
      if (segment.kind === 'same') continue
      changes.push({
        kind: segment.kind,
        text: segment.text,
        author: segment.author,
        at: segment.at,
        ...(segment.format ? { format: segment.format } : {}),
        ...(segment.ids ? { ids: segment.ids } : {}),
      })
    }
  }
  return { lines, changes }
}

/** The Yjs ids of the cells, as `[client, clock, length]` runs. */
function idRanges(cells: readonly Cell[]): Array<[number, number, number]> {
  const ranges: Array<[number, number, number]> = []
  for (const { id } of cells) {
    if (!id) continue
    const last = ranges[ranges.length - 1]
    if (last && last[0] === id.client && last[1] + last[2] === id.clock) last[2]++
    else ranges.push([id.client, id.clock, 1])
  }
  return ranges
}

/** The most frequent author among the cells' origins, with the latest time among theirs. */
function majority(cells: readonly Cell[], whoOf: (origin: Origin) => Who): Who {
  const counts = new Map<string, { who: Who; count: number }>()
  let at: number | null = null
  // Looked up once per run of consecutive ids, not per character.
  let last: { origin: Origin; who: Who } | null = null
  for (const cell of cells) {
    const origin = cell.origin
    if (!origin) continue
    let who: Who
    if (
      last &&
      last.origin.deleted === origin.deleted &&
      last.origin.client === origin.client &&
      last.origin.clock + 1 === origin.clock
    ) {
      who = last.who
    } else {
      who = whoOf(origin)
    }
    last = { origin, who }
    if (who.at !== null && (at === null || who.at > at)) at = who.at
    const key = who.author?.userId ?? ''
    const entry = counts.get(key)
    if (entry) entry.count++
    else counts.set(key, { who, count: 1 })
  }
  let best: { who: Who; count: number } | null = null
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry
  return { author: best?.who.author ?? null, at }
}

/** A line's characters as words: unchanged runs, and each changed group as a delete and an insert. */
function segmentsOf(cells: readonly Cell[], whoOf: (origin: Origin) => Who): ComparedSegment[] {
  // Tokens: runs of word characters, runs of spaces, and each punctuation mark alone (a full
  // stop typed after a word is not a change of the word).
  type Token = { cells: Cell[]; space: boolean; changed: boolean; formatOnly: boolean }
  const tokens: Token[] = []
  let previousClass: CharClass | null = null
  for (const cell of cells) {
    const charClass = classOf(cell.ch)
    const space = charClass === CharClass.Space
    let token = tokens[tokens.length - 1]
    const joins = token !== undefined && charClass === previousClass && charClass !== CharClass.Mark
    previousClass = charClass
    if (!token || !joins) {
      token = { cells: [], space, changed: false, formatOnly: true }
      tokens.push(token)
    }
    token.cells.push(cell)
    if (cell.state !== 'same') token.changed = true
    if (cell.state === 'insert' || cell.state === 'delete') token.formatOnly = false
  }

  // Who made a token's changes (the user id of most of its changed characters), asked once.
  const people = new Map<Token, string>()
  const personOf = (token: Token): string => {
    let person = people.get(token)
    if (person === undefined) {
      const changed = token.cells.filter((cell) => cell.state !== 'same')
      person = majority(changed, whoOf).author?.userId ?? ''
      people.set(token, person)
    }
    return person
  }

  const segments: ComparedSegment[] = []
  const push = (segment: ComparedSegment) => {
    if (segment.text === '') return
    const previous = segments[segments.length - 1]
    if (previous && previous.kind === 'same' && segment.kind === 'same')
      previous.text += segment.text
    else segments.push(segment)
  }
  let i = 0
  while (i < tokens.length) {
    const token = tokens[i] as Token
    if (!token.changed) {
      push({
        kind: 'same',
        text: token.cells.map((cell) => cell.ch).join(''),
        author: null,
        at: null,
      })
      i++
      continue
    }
    // A group: changed tokens of one kind (text, or format only) made by one person, with the
    // spaces between them. Two people's words side by side stay two changes, each with its name.
    const person = personOf(token)
    const joins = (other: Token | undefined) =>
      other?.changed === true && other.formatOnly === token.formatOnly && personOf(other) === person
    let end = i + 1
    while (end < tokens.length) {
      const next = tokens[end] as Token
      if (joins(next)) {
        end++
        continue
      }
      if (next.space && !next.changed && joins(tokens[end + 1])) {
        end += 2
        continue
      }
      break
    }
    const group = tokens.slice(i, end).flatMap((t) => t.cells)
    i = end
    if (token.formatOnly) {
      const formatted = group.filter((cell) => cell.state === 'format')
      const who = majority(formatted, whoOf)
      const format = [...new Set(formatted.flatMap((cell) => cell.format ?? []))].sort()
      push({
        kind: 'format',
        text: group.map((cell) => cell.ch).join(''),
        author: who.author,
        at: who.at,
        format,
        ids: idRanges(group),
      })
      continue
    }
    const oldText = group.filter((cell) => cell.state !== 'insert').map((cell) => cell.ch)
    const newText = group.filter((cell) => cell.state !== 'delete').map((cell) => cell.ch)
    // A space both forms end with ("orientasi " → "pelatihan ") is not part of the change.
    let trailing = ''
    while (
      oldText.length > 0 &&
      newText.length > 0 &&
      oldText[oldText.length - 1] === newText[newText.length - 1] &&
      classOf(oldText[oldText.length - 1] as string) === CharClass.Space
    ) {
      trailing = (oldText.pop() as string) + trailing
      newText.pop()
    }
    const deleted = majority(
      group.filter((cell) => cell.state === 'delete'),
      whoOf,
    )
    const inserted = majority(
      group.filter((cell) => cell.state === 'insert'),
      whoOf,
    )
    // A word changed by insertion alone still shows its old form as replaced, by the inserter.
    const deleter = deleted.author || deleted.at !== null ? deleted : inserted
    const inserter = inserted.author || inserted.at !== null ? inserted : deleted
    const oldIds = idRanges(group.filter((cell) => cell.state !== 'insert'))
    const newIds = idRanges(group.filter((cell) => cell.state !== 'delete'))
    push({
      kind: 'delete',
      text: oldText.join(''),
      author: deleter.author,
      at: deleter.at,
      ids: oldIds,
    })
    push({
      kind: 'insert',
      text: newText.join(''),
      author: inserter.author,
      at: inserter.at,
      ids: newIds,
    })
    push({ kind: 'same', text: trailing, author: null, at: null })
  }
  return segments
}
