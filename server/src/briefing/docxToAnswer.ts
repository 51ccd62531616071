/**
 * A Word document (docxRead.ts) as a Kartu answer: a ProseMirror document of the answer's schema
 * whose tracked changes are Kartu suggestions and whose comments are comment anchors, with the
 * metadata the card document needs beside it (each suggestion's kind, time and author; each
 * thread's comments). Pure: who a Word author is in Kartu is the caller's `authorFor`, and
 * writing into a card is importIntoCard.ts.
 *
 * How Word's model maps onto the suggestion engine's (packages/schema/src/suggest/):
 * - One suggestion per contiguous revision of one author: runs and paragraph marks that the same
 *   author inserted or deleted, next to each other, share one id (a deletion followed by an
 *   insertion is one replacement, as the engine names it). Another author's revision, or text no
 *   one changed, ends it. Authors are told apart by what `authorFor` returns for them.
 * - A run's tracked format change (w:rPrChange) is a format change suggestion (the text keeps its
 *   new bold and italic, the mark records those it had), contiguous ones of one author sharing an
 *   id; never on inserted or deleted text, where it means nothing.
 * - An inserted paragraph mark (the break after paragraph k inserted) is a break marker at the
 *   start of paragraph k + 1 (suggest/blockBreak.ts): rejecting it joins the two again.
 * - A deleted paragraph mark is a `joinSuggestion` on paragraph k + 1 (blockSuggestions.ts):
 *   accepting it joins them. Not when every word of paragraph k is deleted: the engine removes a
 *   paragraph whose words all go, so the deletion alone already does what Word would.
 * - Text one author inserted and the same author deleted never existed: it is left out.
 * - A line break inside a tracked change is a space (a break can carry no mark in Yjs).
 * - Headings 1-2 become level 2, headings 3-9 level 3 (the card's question is the title).
 * - Paragraph-property revisions (a style or list change) are not suggestions: the paragraph is
 *   imported as it is now.
 */
import {
  BLOCK_BREAK,
  BLOCK_BREAK_STAND_IN,
  collectSuggestions,
  getAnswerSchema,
  JOIN_SUGGESTION,
  MarkName,
  randomId,
  type SuggestionKind,
  type SuggestionSpan,
  suggestionKindOf,
} from '@kartu/schema'
import type { Mark, Node as PMNode, Schema } from '@tiptap/pm/model'
import { ListKind, type WordBlock, type WordDocument, type WordRun } from './docxRead.ts'

export type ImportedSuggestion<Ref> = {
  id: string
  kind: SuggestionKind
  /** Milliseconds since the epoch: the earliest w:date of its parts. */
  createdAt: number
  author: Ref
}

export type ImportedComment<Ref> = { id: string; body: string; createdAt: number; author: Ref }

export type ImportedThread<Ref> = {
  id: string
  /** The text under its comment mark. */
  quote: string
  createdAt: number
  resolved: boolean
  /**
   * Whether a comment mark in the answer carries it. A Word comment on no text (or on the
   * question heading, in a deck import) is still imported, as a thread without anchor.
   */
  anchored: boolean
  /** The opening comment, then its replies, oldest first. */
  comments: Array<ImportedComment<Ref>>
}

export type WordAnswer<Ref> = {
  /** The answer: every block valid in the answer's schema. */
  doc: PMNode
  /** In document order. */
  suggestions: Array<ImportedSuggestion<Ref>>
  /** Anchored ones in document order, then the others. */
  threads: Array<ImportedThread<Ref>>
  /** Textblocks (paragraphs, headings, list items). */
  paragraphs: number
}

export type WordAnswerOptions = {
  /** The time of things Word gave no date (default: now). */
  now?: number
  /** Ids of suggestions, threads and comments (default: random UUIDs). */
  newId?: () => string
}

/** The bounds of threads and comments (packages/schema/src/cardFieldShapes.ts). */
const MAX_TEXT = 10_000
const MAX_COMMENTS = 2_000

type RunIds = { insertion?: string; deletion?: string; format?: string; dropped: boolean }

/** Suggestion ids of one block: its runs', and its start's (a break marker or a join). */
type BlockIds = {
  runs: RunIds[]
  marker: { insertion: string; deletion?: string } | null
  join: string | null
}

function timeOf(date: string | null, now: number): number {
  const parsed = date === null ? Number.NaN : Date.parse(date)
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : now
}

/** At most `max` characters, never half of a surrogate pair. */
function bounded(text: string, max = MAX_TEXT): string {
  if (text.length <= max) return text
  const code = text.charCodeAt(max - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max)
}

/**
 * Text as an answer may hold it: no line breaks inside a text node (Word's come as hard breaks)
 * and no control characters; and no zero-width space, which at the start of a textblock with an
 * insertion mark would read as a break marker (the engine writes the same stand-in for it).
 */
function cleanText(text: string): string {
  return text
    .replaceAll(BLOCK_BREAK, BLOCK_BREAK_STAND_IN)
    .replace(/[\r\n\u2028\u2029]/g, ' ')
    .split('')
    .filter((char) => {
      const code = char.charCodeAt(0)
      return code === 0x09 || (code >= 0x20 && code !== 0x7f)
    })
    .join('')
}

const hasContent = (run: WordRun) => run.hardBreak || run.text !== ''

/**
 * Gives every revision its suggestion id, walking the document as Word reads it: each block's
 * runs, then its paragraph mark (the last block's mark ends the document and is no break).
 */
function assignIds<Ref>(
  blocks: readonly WordBlock[],
  refOf: (author: string) => Ref,
  newId: () => string,
  now: number,
): { ids: BlockIds[]; groups: Map<string, { author: Ref; createdAt: number }> } {
  const groups = new Map<string, { author: Ref; createdAt: number }>()
  // The group each author has open: the next revision of theirs joins it, until a token without
  // one of theirs comes between.
  const open = new Map<Ref, string>()
  const openFormat = new Map<Ref, string>()
  const idFor = (table: Map<Ref, string>, author: Ref, date: string | null): string => {
    const time = timeOf(date, now)
    const existing = table.get(author)
    if (existing !== undefined) {
      const group = groups.get(existing)
      if (group && time < group.createdAt) group.createdAt = time
      return existing
    }
    const id = newId()
    table.set(author, id)
    groups.set(id, { author, createdAt: time })
    return id
  }
  const closeExcept = (table: Map<Ref, string>, present: readonly Ref[]) => {
    for (const author of [...table.keys()]) if (!present.includes(author)) table.delete(author)
  }
  const ids: BlockIds[] = blocks.map((block) => ({
    runs: block.runs.map(() => ({ dropped: false })),
    marker: null,
    join: null,
  }))
  blocks.forEach((block, index) => {
    const blockIds = ids[index] as BlockIds
    block.runs.forEach((run, runIndex) => {
      const runIds = blockIds.runs[runIndex] as RunIds
      if (!hasContent(run)) return
      const inserter = run.insertion ? refOf(run.insertion.author) : undefined
      const deleter = run.deletion ? refOf(run.deletion.author) : undefined
      if (inserter !== undefined && inserter === deleter) {
        // Inserted and deleted again by one author: it never was, and it separates nothing.
        runIds.dropped = true
        return
      }
      const present = [inserter, deleter].filter((ref): ref is Ref => ref !== undefined)
      closeExcept(open, present)
      if (run.insertion && inserter !== undefined) {
        runIds.insertion = idFor(open, inserter, run.insertion.date)
      }
      if (run.deletion && deleter !== undefined) {
        runIds.deletion = idFor(open, deleter, run.deletion.date)
      }
      const change = run.formatChange
      const changed =
        change !== undefined &&
        present.length === 0 &&
        (change.bold !== run.bold || change.italic !== run.italic)
      if (change && changed) {
        const author = refOf(change.author)
        closeExcept(openFormat, [author])
        runIds.format = idFor(openFormat, author, change.date)
      } else {
        closeExcept(openFormat, [])
      }
    })
    const next = ids[index + 1]
    if (!next) return
    const { insertion, deletion } = block.mark
    const inserter = insertion ? refOf(insertion.author) : undefined
    const deleter = deletion ? refOf(deletion.author) : undefined
    if (inserter !== undefined && inserter === deleter) return
    const present = [inserter, deleter].filter((ref): ref is Ref => ref !== undefined)
    closeExcept(open, present)
    if (insertion && inserter !== undefined) {
      next.marker = { insertion: idFor(open, inserter, insertion.date) }
      if (deletion && deleter !== undefined) {
        next.marker.deletion = idFor(open, deleter, deletion.date)
      }
      return
    }
    if (deletion && deleter !== undefined) {
      const id = idFor(open, deleter, deletion.date)
      const words = block.runs.filter(
        (run, runIndex) => hasContent(run) && !blockIds.runs[runIndex]?.dropped,
      )
      const allDeleted = words.length > 0 && words.every((run) => run.deletion !== undefined)
      if (!allDeleted) next.join = id
    }
  })
  return { ids, groups }
}

type ListItemBlock = Extract<WordBlock, { type: 'listItem' }>
type ListBuild = { block: ListItemBlock; attrs: Record<string, unknown>; items: ItemBuild[] }
type ItemBuild = { paragraph: PMNode; children: ListBuild[] }

/**
 * Consecutive list items as nested lists. An item may go one level deeper than the list it
 * follows (Word allows any jump; the answer's lists nest one at a time); a change of kind, or of
 * numbering instance for numbered lists, starts another list. A numbered list that Word continues
 * after an interruption starts at the number it had reached (`counted`, per numbering instance).
 */
function buildLists(
  schema: Schema,
  items: ReadonlyArray<{ block: ListItemBlock; paragraph: PMNode }>,
  counted: Map<string, number>,
): PMNode[] {
  const roots: ListBuild[] = []
  const stack: ListBuild[] = []
  for (const { block, paragraph } of items) {
    const level = Math.min(block.level, stack.length)
    stack.length = Math.min(stack.length, level + 1)
    let list = stack[level]
    const ordered = block.list.kind === ListKind.Ordered
    if (
      list &&
      (list.block.list.kind !== block.list.kind ||
        (ordered && list.block.list.numId !== block.list.numId))
    ) {
      stack.length = level
      list = undefined
    }
    if (!list) {
      const start = block.list.start + (level === 0 ? (counted.get(block.list.numId) ?? 0) : 0)
      list = {
        block,
        attrs: ordered ? { start, ...(block.list.format ? { type: block.list.format } : {}) } : {},
        items: [],
      }
      const parentItem = level > 0 ? stack[level - 1]?.items.at(-1) : undefined
      if (parentItem) parentItem.children.push(list)
      else roots.push(list)
      stack[level] = list
    }
    list.items.push({ paragraph, children: [] })
    if (level === 0 && ordered) {
      counted.set(block.list.numId, (counted.get(block.list.numId) ?? 0) + 1)
    }
  }
  const toNode = (list: ListBuild): PMNode => {
    const type =
      list.block.list.kind === ListKind.Ordered ? schema.nodes.orderedList : schema.nodes.bulletList
    const listItem = schema.nodes.listItem
    if (!type || !listItem) throw new Error('the answer schema has no lists')
    return type.create(
      list.attrs,
      list.items.map((item) =>
        listItem.create(null, [item.paragraph, ...item.children.map(toNode)]),
      ),
    )
  }
  return roots.map(toNode)
}

function markType(schema: Schema, name: string) {
  const type = schema.marks[name]
  if (!type) throw new Error(`the answer schema has no ${name} mark`)
  return type
}

/**
 * Converts a Word document into an answer. `authorFor` names the Kartu author of a Word author
 * (called once per distinct name); revisions and comments carry what it returned, and revisions
 * of authors it returns the same value for are one person's.
 */
export function wordToAnswer<Ref>(
  word: WordDocument,
  authorFor: (wordAuthor: string) => Ref,
  options: WordAnswerOptions = {},
): WordAnswer<Ref> {
  const schema = getAnswerSchema()
  const now = options.now ?? Date.now()
  const newId = options.newId ?? randomId
  const refs = new Map<string, Ref>()
  const refOf = (author: string): Ref => {
    let ref = refs.get(author)
    if (ref === undefined && !refs.has(author)) {
      ref = authorFor(author)
      refs.set(author, ref)
    }
    return ref as Ref
  }
  const { ids, groups } = assignIds(word.blocks, refOf, newId, now)

  // Threads: a reply (and a reply to a reply) belongs to the thread of the comment it answers.
  const comments = new Map(word.comments.map((comment) => [comment.id, comment]))
  const rootOf = (id: string): string => {
    let current = id
    const seen = new Set<string>()
    for (;;) {
      seen.add(current)
      const parent = comments.get(current)?.parentId
      if (parent === undefined || !comments.has(parent) || seen.has(parent)) return current
      current = parent
    }
  }
  const threadIds = new Map<string, string>()
  const threadOf = (commentId: string): string | null => {
    if (!comments.has(commentId)) return null
    const root = rootOf(commentId)
    let id = threadIds.get(root)
    if (id === undefined) {
      id = newId()
      threadIds.set(root, id)
    }
    return id
  }

  const insertion = markType(schema, MarkName.Insertion)
  const deletion = markType(schema, MarkName.Deletion)
  const formatChange = markType(schema, MarkName.FormatChange)
  const comment = markType(schema, MarkName.Comment)
  const bold = markType(schema, 'bold')
  const italic = markType(schema, 'italic')
  const hardBreak = schema.nodes.hardBreak
  const paragraphType = schema.nodes.paragraph
  const headingType = schema.nodes.heading
  if (!hardBreak || !paragraphType || !headingType)
    throw new Error('the answer schema is incomplete')

  const textblock = (block: WordBlock, blockIds: BlockIds): PMNode => {
    const inline: PMNode[] = []
    if (blockIds.marker) {
      const marks = [insertion.create({ id: blockIds.marker.insertion })]
      if (blockIds.marker.deletion) marks.push(deletion.create({ id: blockIds.marker.deletion }))
      inline.push(schema.text(BLOCK_BREAK, marks))
    }
    block.runs.forEach((run, index) => {
      const runIds = blockIds.runs[index]
      if (!runIds || runIds.dropped || !hasContent(run)) return
      const marks: Mark[] = []
      if (runIds.insertion) marks.push(insertion.create({ id: runIds.insertion }))
      if (runIds.deletion) marks.push(deletion.create({ id: runIds.deletion }))
      const threads = new Set<string>()
      for (const commentId of run.commentIds) {
        const thread = threadOf(commentId)
        if (thread !== null) threads.add(thread)
      }
      for (const threadId of threads) marks.push(comment.create({ threadId }))
      if (run.hardBreak) {
        // A line break carries no marks in Yjs (y-prosemirror keeps marks on text only): one
        // inside a tracked change becomes a space, as the suggestion engine makes a suggested
        // line break (suggestReplace.ts); an unchanged one stays a break, outside the comment.
        const review = runIds.insertion !== undefined || runIds.deletion !== undefined
        inline.push(review ? schema.text(' ', marks) : hardBreak.create())
        return
      }
      const text = cleanText(run.text)
      if (text === '') return
      if (run.bold) marks.push(bold.create())
      if (run.italic) marks.push(italic.create())
      if (runIds.format && run.formatChange) {
        const before = [
          ...(run.formatChange.bold ? ['bold'] : []),
          ...(run.formatChange.italic ? ['italic'] : []),
        ]
        marks.push(formatChange.create({ id: runIds.format, before }))
      }
      inline.push(schema.text(text, marks))
    })
    const join = blockIds.join === null ? {} : { [JOIN_SUGGESTION]: blockIds.join }
    if (block.type === 'heading') {
      return headingType.create({ level: block.level <= 2 ? 2 : 3, ...join }, inline)
    }
    return paragraphType.create(join, inline)
  }

  const content: PMNode[] = []
  const counted = new Map<string, number>()
  let listRun: Array<{ block: ListItemBlock; paragraph: PMNode }> = []
  const flushLists = () => {
    if (listRun.length > 0) content.push(...buildLists(schema, listRun, counted))
    listRun = []
  }
  word.blocks.forEach((block, index) => {
    const node = textblock(block, ids[index] as BlockIds)
    if (block.type === 'listItem') {
      listRun.push({ block, paragraph: node })
      return
    }
    flushLists()
    content.push(node)
  })
  flushLists()
  const doc =
    content.length > 0
      ? schema.topNodeType.create(null, content)
      : (schema.topNodeType.createAndFill() as PMNode)
  // The schema's own check (content expressions, marks allowed, attribute validators): what
  // reaches a card must be what the server's shape guard would accept.
  doc.check()

  const parts = new Map<string, SuggestionSpan[]>()
  for (const span of collectSuggestions(doc)) {
    const list = parts.get(span.id) ?? []
    list.push(span)
    parts.set(span.id, list)
  }
  const suggestions: Array<ImportedSuggestion<Ref>> = []
  for (const [id, spans] of parts) {
    const group = groups.get(id)
    if (!group) continue
    suggestions.push({
      id,
      kind: suggestionKindOf(spans),
      createdAt: group.createdAt,
      author: group.author,
    })
  }

  return {
    doc,
    suggestions,
    threads: threadsOf(doc, word, threadIds, rootOf, refOf, newId, now),
    paragraphs: word.blocks.length,
  }
}

function threadsOf<Ref>(
  doc: PMNode,
  word: WordDocument,
  threadIds: Map<string, string>,
  rootOf: (id: string) => string,
  refOf: (author: string) => Ref,
  newId: () => string,
  now: number,
): Array<ImportedThread<Ref>> {
  const commentType = doc.type.schema.marks[MarkName.Comment]
  // The quote of each anchored thread, in document order: the text under its mark, a line per
  // textblock.
  const quotes = new Map<string, { text: string; block: number }>()
  let block = -1
  doc.descendants((node, pos) => {
    if (node.isTextblock) block = pos
    if (!node.isText) return true
    const text = (node.text ?? '').replaceAll(BLOCK_BREAK, '')
    for (const mark of node.marks) {
      if (mark.type !== commentType) continue
      const id = String(mark.attrs.threadId)
      const quote = quotes.get(id)
      if (!quote) quotes.set(id, { text, block })
      else {
        quote.text += (quote.block === block ? '' : '\n') + text
        quote.block = block
      }
    }
    return false
  })
  // Every comment Word has is kept: one on no text becomes a thread without anchor.
  for (const wordComment of word.comments) {
    const root = rootOf(wordComment.id)
    if (!threadIds.has(root)) threadIds.set(root, newId())
  }
  const byRoot = new Map<string, WordDocument['comments']>()
  for (const wordComment of word.comments) {
    const root = rootOf(wordComment.id)
    const list = byRoot.get(root) ?? []
    list.push(wordComment)
    byRoot.set(root, list)
  }
  const threads: Array<ImportedThread<Ref>> = []
  for (const [root, members] of byRoot) {
    const id = threadIds.get(root) as string
    const opening = members.find((member) => member.id === root) ?? members[0]
    if (!opening) continue
    const replies = members
      .filter((member) => member !== opening)
      .map((member, order) => ({ member, order, at: timeOf(member.date, now) }))
      // Oldest first; Word's order among replies of the same minute.
      .sort((a, b) => a.at - b.at || a.order - b.order)
      .map(({ member }) => member)
    const createdAt = timeOf(opening.date, now)
    threads.push({
      id,
      quote: bounded(quotes.get(id)?.text ?? ''),
      createdAt,
      resolved: opening.resolved,
      anchored: quotes.has(id),
      comments: [opening, ...replies].slice(0, MAX_COMMENTS).map((member) => ({
        id: newId(),
        body: bounded(member.text),
        // A reply dated before the comment it answers (clocks differ) is shown after it anyway.
        createdAt: Math.max(createdAt, timeOf(member.date, now)),
        author: refOf(member.author),
      })),
    })
  }
  const order = [...quotes.keys()]
  const rank = (thread: ImportedThread<Ref>) => {
    const at = order.indexOf(thread.id)
    return at < 0 ? order.length : at
  }
  return threads
    .map((thread, index) => ({ thread, index }))
    .sort((a, b) => rank(a.thread) - rank(b.thread) || a.index - b.index)
    .map(({ thread }) => thread)
}
