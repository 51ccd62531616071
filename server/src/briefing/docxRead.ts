/**
 * Reading a Word file (.docx) into a neutral structure: blocks (paragraphs, headings, list items)
 * of runs with their formatting, their tracked changes (who inserted or deleted them, when) and
 * the comments over them; the tracked changes of paragraph marks; and the comments with their
 * reply threads. The package itself (zip, XML, limits) is opened by docxZip.ts; docxToAnswer.ts
 * turns what is read here into an answer; nothing here knows Kartu's schema.
 *
 * Why not mammoth: it drops deletions (it shows a document as if every change were accepted), and
 * a Word draft's deletions are exactly what a rakor needs to see.
 *
 * What is kept of Word's revisions (w:ins, w:del, w:moveTo, w:moveFrom, on runs and on paragraph
 * marks; w:rPrChange as the formatting a run had before) and what is not (paragraph property
 * changes, numbering changes, table row and cell revisions: the text shows as it is now) is
 * documented on the types below. Tables and content controls are read as the paragraphs they
 * hold; hidden text, field instructions, drawings and notes are left out.
 */
import type { Element as XmlElement } from '@xmldom/xmldom'
import {
  checkDepth,
  DOCX_LIMITS,
  DocxErrorCode,
  DocxImportError,
  type DocxLimits,
  elements,
  intAttr,
  isOn,
  openDocx,
  W14,
  W15,
  wAttr,
  wChild,
  wChildren,
  wName,
} from './docxZip.ts'

export {
  DOCX_LIMITS,
  DocxErrorCode,
  DocxImportError,
  type DocxLimits,
} from './docxZip.ts'

/** Who made a tracked change, and when (Word's w:author and w:date, as written). */
export type WordRevision = { author: string; date: string | null }

/**
 * A stretch of text with one formatting, one set of revisions and one set of comments; or a
 * line break (`hardBreak`, with empty text). Tabs are kept as '\t'.
 */
export type WordRun = {
  text: string
  bold: boolean
  italic: boolean
  hardBreak: boolean
  /** Inserted as a tracked change (w:ins, or w:moveTo: a move is read as delete + insert). */
  insertion?: WordRevision
  /** Deleted as a tracked change (w:del, or w:moveFrom). */
  deletion?: WordRevision
  /** Its formatting changed as a tracked change (w:rPrChange): what bold and italic were before. */
  formatChange?: WordRevision & { bold: boolean; italic: boolean }
  /** The comments whose range covers it (w:commentRangeStart/End), by Word's comment id. */
  commentIds: string[]
}

/**
 * Tracked changes of a paragraph's mark (the ¶ at its end): inserted means the break after this
 * paragraph was inserted; deleted means this paragraph and the next one are to become one.
 */
export type ParagraphMark = { insertion?: WordRevision; deletion?: WordRevision }

export const ListKind = { Bullet: 'bullet', Ordered: 'ordered' } as const
export type ListKind = (typeof ListKind)[keyof typeof ListKind]

/** A numbered list's numbering style, as HTML's <ol type> has it; null for 1, 2, 3. */
export type ListFormat = 'a' | 'A' | 'i' | 'I' | null

export type WordList = {
  kind: ListKind
  /** Word's numbering instance: items of one list share it. */
  numId: string
  /** The first number of this level. */
  start: number
  format: ListFormat
}

/**
 * A paragraph of the body (table cells and content controls are read as the paragraphs they
 * hold). A heading's `level` is Word's (1 for Heading 1); a list item's `level` counts from 0.
 */
export type WordBlock =
  | { type: 'paragraph'; runs: WordRun[]; mark: ParagraphMark }
  | { type: 'heading'; level: number; runs: WordRun[]; mark: ParagraphMark }
  | { type: 'listItem'; list: WordList; level: number; runs: WordRun[]; mark: ParagraphMark }

export type WordComment = {
  id: string
  author: string
  date: string | null
  /** Its paragraphs' text, one line each. */
  text: string
  /** The comment it replies to (commentsExtended.xml), if any. */
  parentId?: string
  /** Marked done in Word. */
  resolved: boolean
}

export type WordDocument = { blocks: WordBlock[]; comments: WordComment[] }

function revisionOf(element: XmlElement): WordRevision {
  return { author: (wAttr(element, 'author') ?? '').trim(), date: wAttr(element, 'date') }
}

// ---------------------------------------------------------------------------------------------
// Styles and numbering

type NumberingRef = { numId: string; level: number }

type Style = {
  type: string
  name: string
  basedOn: string | null
  outlineLevel: number | null
  numbering: NumberingRef | null
  bold: boolean | null
  italic: boolean | null
}

function numberingRefOf(pPr: XmlElement | null): NumberingRef | null {
  const numPr = wChild(pPr, 'numPr')
  if (!numPr) return null
  const numId = wAttr(wChild(numPr, 'numId'), 'val')
  if (numId === null) return null
  return { numId, level: intAttr(wChild(numPr, 'ilvl')) ?? 0 }
}

class Styles {
  private readonly byId = new Map<string, Style>()
  private defaultParagraph: string | null = null

  constructor(root: XmlElement | null) {
    if (!root) return
    for (const style of wChildren(root, 'style')) {
      const id = wAttr(style, 'styleId')
      if (id === null) continue
      const type = wAttr(style, 'type') ?? 'paragraph'
      const pPr = wChild(style, 'pPr')
      const rPr = wChild(style, 'rPr')
      this.byId.set(id, {
        type,
        name: wAttr(wChild(style, 'name'), 'val') ?? id,
        basedOn: wAttr(wChild(style, 'basedOn'), 'val'),
        outlineLevel: intAttr(wChild(pPr, 'outlineLvl')),
        numbering: numberingRefOf(pPr),
        bold: isOn(wChild(rPr, 'b')),
        italic: isOn(wChild(rPr, 'i')),
      })
      const isDefault = ['1', 'true', 'on'].includes(wAttr(style, 'default') ?? '')
      if (type === 'paragraph' && isDefault) this.defaultParagraph = id
    }
  }

  /** The style and those it is based on, nearest first (cycles cut). */
  private chain(id: string | null): Style[] {
    const chain: Style[] = []
    const seen = new Set<string>()
    let current = id
    while (current !== null && !seen.has(current) && chain.length < 32) {
      seen.add(current)
      const style = this.byId.get(current)
      if (!style) break
      chain.push(style)
      current = style.basedOn
    }
    return chain
  }

  paragraphStyle(id: string | null): string | null {
    return id ?? this.defaultParagraph
  }

  /** Word's heading level (1-9) of a paragraph style, or null when it is not a heading. */
  headingLevel(id: string | null): number | null {
    for (const style of this.chain(id)) {
      const named = /^heading\s*([1-9])$/i.exec(style.name.trim())
      if (named) return Number(named[1])
      if (style.outlineLevel !== null) {
        return style.outlineLevel >= 0 && style.outlineLevel <= 8 ? style.outlineLevel + 1 : null
      }
    }
    return null
  }

  numbering(id: string | null): NumberingRef | null {
    for (const style of this.chain(id)) if (style.numbering) return style.numbering
    return null
  }

  /** Bold and italic a character style gives. */
  runFormat(id: string | null): { bold: boolean | null; italic: boolean | null } {
    let bold: boolean | null = null
    let italic: boolean | null = null
    for (const style of this.chain(id)) {
      bold ??= style.bold
      italic ??= style.italic
    }
    return { bold, italic }
  }

  /** The numbering a style links to (w:numStyleLink), for abstract numberings that defer to it. */
  linkedNumbering(id: string): NumberingRef | null {
    return this.byId.get(id)?.numbering ?? null
  }
}

type NumberingLevel = { format: string; start: number }

class Numbering {
  private readonly abstracts = new Map<
    string,
    { levels: Map<number, NumberingLevel>; styleLink: string | null }
  >()
  private readonly instances = new Map<
    string,
    { abstractId: string; overrides: Map<number, Partial<NumberingLevel>> }
  >()

  constructor(
    root: XmlElement | null,
    private readonly styles: Styles,
  ) {
    if (!root) return
    for (const abstract of wChildren(root, 'abstractNum')) {
      const id = wAttr(abstract, 'abstractNumId')
      if (id === null) continue
      const levels = new Map<number, NumberingLevel>()
      for (const level of wChildren(abstract, 'lvl')) {
        const index = intAttr(level, 'ilvl')
        if (index === null) continue
        levels.set(index, {
          format: wAttr(wChild(level, 'numFmt'), 'val') ?? 'decimal',
          start: intAttr(wChild(level, 'start')) ?? 1,
        })
      }
      const styleLink =
        wAttr(wChild(abstract, 'numStyleLink'), 'val') ??
        wAttr(wChild(abstract, 'styleLink'), 'val')
      this.abstracts.set(id, { levels, styleLink: levels.size === 0 ? styleLink : null })
    }
    for (const num of wChildren(root, 'num')) {
      const id = wAttr(num, 'numId')
      const abstractId = wAttr(wChild(num, 'abstractNumId'), 'val')
      if (id === null || abstractId === null) continue
      const overrides = new Map<number, Partial<NumberingLevel>>()
      for (const override of wChildren(num, 'lvlOverride')) {
        const index = intAttr(override, 'ilvl')
        if (index === null) continue
        const level = wChild(override, 'lvl')
        const start = intAttr(wChild(override, 'startOverride')) ?? intAttr(wChild(level, 'start'))
        const format = wAttr(wChild(level, 'numFmt'), 'val')
        overrides.set(index, {
          ...(start === null ? {} : { start }),
          ...(format === null ? {} : { format }),
        })
      }
      this.instances.set(id, { abstractId, overrides })
    }
  }

  /** The format and start of a level of a numbering instance; null when it is not defined. */
  level(numId: string, level: number, depth = 0): NumberingLevel | null {
    const instance = this.instances.get(numId)
    if (!instance) return null
    const abstract = this.abstracts.get(instance.abstractId)
    let base = abstract?.levels.get(level) ?? null
    if (!base && abstract?.styleLink && depth < 4) {
      const linked = this.styles.linkedNumbering(abstract.styleLink)
      if (linked) base = this.level(linked.numId, level, depth + 1)
    }
    const override = instance.overrides.get(level)
    if (!base && !override) return null
    return {
      format: override?.format ?? base?.format ?? 'decimal',
      start: override?.start ?? base?.start ?? 1,
    }
  }
}

const LIST_FORMATS: Record<string, ListFormat> = {
  lowerLetter: 'a',
  upperLetter: 'A',
  lowerRoman: 'i',
  upperRoman: 'I',
}

// ---------------------------------------------------------------------------------------------
// The body

type Revisions = { insertion?: WordRevision; deletion?: WordRevision }

type Format = {
  bold: boolean
  italic: boolean
  hidden: boolean
  formatChange?: WordRevision & { bold: boolean; italic: boolean }
}

function sameRevision(a: WordRevision | undefined, b: WordRevision | undefined): boolean {
  return (
    a === b || (a !== undefined && b !== undefined && a.author === b.author && a.date === b.date)
  )
}

function sameFormatChange(a: WordRun['formatChange'], b: WordRun['formatChange']): boolean {
  return (
    a === b ||
    (a !== undefined &&
      b !== undefined &&
      sameRevision(a, b) &&
      a.bold === b.bold &&
      a.italic === b.italic)
  )
}

function sameRunProperties(a: WordRun, b: WordRun): boolean {
  return (
    a.bold === b.bold &&
    a.italic === b.italic &&
    sameRevision(a.insertion, b.insertion) &&
    sameRevision(a.deletion, b.deletion) &&
    sameFormatChange(a.formatChange, b.formatChange) &&
    a.commentIds.length === b.commentIds.length &&
    a.commentIds.every((id, index) => b.commentIds[index] === id)
  )
}

/** `run` cut at [from, to), the middle piece also carrying the comments `ids`. */
function splitRun(run: WordRun, from: number, to: number, ...ids: string[]): WordRun[] {
  const piece = (text: string, extra: readonly string[]): WordRun => ({
    ...run,
    text,
    commentIds: [...run.commentIds, ...extra.filter((id) => !run.commentIds.includes(id))],
  })
  return [
    piece(run.text.slice(0, from), []),
    piece(run.text.slice(from, to), ids),
    piece(run.text.slice(to), []),
  ].filter((part) => part.text !== '')
}

class BodyReader {
  readonly blocks: WordBlock[] = []
  /** Comments whose range is open at this point of the document, in the order they opened. */
  private readonly open: string[] = []
  /** Comments some run carries. */
  private readonly covered = new Set<string>()
  /**
   * Fields open at this point (a field spans runs, and its result may span paragraphs): while
   * the innermost is in its code part, text is the field's instruction, not what it shows.
   */
  private readonly fields: Array<'code' | 'result'> = []
  /** Comments without a range whose reference has no word before it yet, in this paragraph. */
  private pointComments: string[] = []

  constructor(
    private readonly styles: Styles,
    private readonly numbering: Numbering,
  ) {}

  readContainer(container: XmlElement, depth = 0): void {
    checkDepth(depth)
    for (const element of elements(container)) {
      switch (wName(element)) {
        case 'p':
          this.readParagraph(element)
          break
        case 'tbl':
          for (const row of wChildren(element, 'tr')) {
            for (const cell of wChildren(row, 'tc')) this.readContainer(cell, depth + 1)
          }
          break
        case 'sdt': {
          const content = wChild(element, 'sdtContent')
          if (content) this.readContainer(content, depth + 1)
          break
        }
        case 'customXml':
          this.readContainer(element, depth + 1)
          break
        case 'commentRangeStart':
        case 'commentRangeEnd':
          this.commentRange(element)
          break
        default:
          // Section properties, bookmarks, tracked row and range markers: no text of their own.
          break
      }
    }
  }

  private commentRange(element: XmlElement): void {
    const id = wAttr(element, 'id')
    if (id === null) return
    const index = this.open.indexOf(id)
    if (wName(element) === 'commentRangeStart') {
      if (index < 0) this.open.push(id)
    } else if (index >= 0) {
      this.open.splice(index, 1)
    }
  }

  private readParagraph(paragraph: XmlElement): void {
    const pPr = wChild(paragraph, 'pPr')
    const runs: WordRun[] = []
    this.pointComments = []
    this.readInline(paragraph, {}, runs)
    // A field's instruction never runs past its paragraph (its result may): one left open is
    // malformed, and would otherwise hide the rest of the document as instruction.
    while (this.fields.at(-1) === 'code') this.fields.pop()
    const markProps = wChild(pPr, 'rPr')
    const mark: ParagraphMark = {}
    for (const element of markProps ? elements(markProps) : []) {
      const name = wName(element)
      if (name === 'ins' || name === 'moveTo') mark.insertion = revisionOf(element)
      if (name === 'del' || name === 'moveFrom') mark.deletion = revisionOf(element)
    }
    const styleId = this.styles.paragraphStyle(wAttr(wChild(pPr, 'pStyle'), 'val'))
    const outline = intAttr(wChild(pPr, 'outlineLvl'))
    const level =
      outline !== null ? (outline <= 8 ? outline + 1 : null) : this.styles.headingLevel(styleId)
    if (level !== null) {
      // A heading wins over its numbering (LibreOffice numbers its headings with an outline).
      this.blocks.push({ type: 'heading', level, runs, mark })
      return
    }
    const list = this.listOf(numberingRefOf(pPr) ?? this.styles.numbering(styleId))
    if (list) {
      this.blocks.push({ type: 'listItem', list: list.list, level: list.level, runs, mark })
      return
    }
    this.blocks.push({ type: 'paragraph', runs, mark })
  }

  private listOf(ref: NumberingRef | null): { list: WordList; level: number } | null {
    // numId 0 takes away the numbering a style gives.
    if (!ref || ref.numId === '0') return null
    const level = Math.min(Math.max(ref.level, 0), 8)
    const definition = this.numbering.level(ref.numId, level)
    const format = definition?.format ?? 'bullet'
    // A level that shows no number is a plain (indented) paragraph.
    if (format === 'none') return null
    const kind = format === 'bullet' ? ListKind.Bullet : ListKind.Ordered
    return {
      level,
      list: {
        kind,
        numId: ref.numId,
        start: Math.max(0, definition?.start ?? 1),
        format: kind === ListKind.Ordered ? (LIST_FORMATS[format] ?? null) : null,
      },
    }
  }

  /**
   * A comment without a range (LibreOffice writes point comments so; Word when nothing was
   * selected) is anchored on the word just before its reference, or else on the first word after
   * it in the paragraph: a thread needs text to sit on.
   */
  private pointComment(id: string, runs: WordRun[]): void {
    if (this.covered.has(id)) return
    for (let index = runs.length - 1; index >= 0; index--) {
      const run = runs[index] as WordRun
      if (run.hardBreak || run.text.trim() === '') continue
      const word = /(\S+)(\s*)$/.exec(run.text)
      if (!word) continue
      runs.splice(index, 1, ...splitRun(run, word.index, word.index + (word[1]?.length ?? 0), id))
      this.covered.add(id)
      return
    }
    this.pointComments.push(id)
  }

  private readInline(parent: XmlElement, revisions: Revisions, runs: WordRun[], depth = 0): void {
    checkDepth(depth)
    for (const element of elements(parent)) {
      switch (wName(element)) {
        case 'r':
          this.readRun(element, revisions, runs)
          break
        case 'ins':
        case 'moveTo':
          this.readInline(
            element,
            { ...revisions, insertion: revisionOf(element) },
            runs,
            depth + 1,
          )
          break
        case 'del':
        case 'moveFrom':
          this.readInline(element, { ...revisions, deletion: revisionOf(element) }, runs, depth + 1)
          break
        case 'hyperlink':
        case 'smartTag':
        case 'customXml':
        case 'fldSimple':
        case 'dir':
        case 'bdo':
          this.readInline(element, revisions, runs, depth + 1)
          break
        case 'sdt': {
          const content = wChild(element, 'sdtContent')
          if (content) this.readInline(content, revisions, runs, depth + 1)
          break
        }
        case 'commentRangeStart':
        case 'commentRangeEnd':
          this.commentRange(element)
          break
        default:
          // pPr, bookmarks, proofing marks, math, alternate content (drawings): no text.
          break
      }
    }
  }

  private formatOf(rPr: XmlElement | null): Format {
    const style = this.styles.runFormat(wAttr(wChild(rPr, 'rStyle'), 'val'))
    const format: Format = {
      bold: isOn(wChild(rPr, 'b')) ?? style.bold ?? false,
      italic: isOn(wChild(rPr, 'i')) ?? style.italic ?? false,
      hidden: isOn(wChild(rPr, 'vanish')) ?? false,
    }
    const change = wChild(rPr, 'rPrChange')
    if (change) {
      const before = wChild(change, 'rPr')
      const beforeStyle = this.styles.runFormat(wAttr(wChild(before, 'rStyle'), 'val'))
      format.formatChange = {
        ...revisionOf(change),
        bold: isOn(wChild(before, 'b')) ?? beforeStyle.bold ?? false,
        italic: isOn(wChild(before, 'i')) ?? beforeStyle.italic ?? false,
      }
    }
    return format
  }

  private readRun(run: XmlElement, revisions: Revisions, runs: WordRun[]): void {
    const format = this.formatOf(wChild(run, 'rPr'))
    const add = (text: string, hardBreak: boolean) => {
      // Hidden text (w:vanish) is not part of what the document says.
      if (format.hidden || (text === '' && !hardBreak)) return
      const next: WordRun = {
        text,
        bold: format.bold,
        italic: format.italic,
        hardBreak,
        commentIds: [...this.open],
        ...(revisions.insertion ? { insertion: revisions.insertion } : {}),
        ...(revisions.deletion ? { deletion: revisions.deletion } : {}),
        ...(format.formatChange ? { formatChange: format.formatChange } : {}),
      }
      for (const id of next.commentIds) this.covered.add(id)
      const last = runs.at(-1)
      const waiting = this.pointComments.length > 0 && text.trim() !== ''
      if (last && !waiting && !last.hardBreak && !hardBreak && sameRunProperties(last, next)) {
        last.text += text
        return
      }
      runs.push(next)
      if (waiting) {
        // Comments whose reference came before any word of the paragraph: on this first word.
        const word = /\S+/.exec(text)
        const ids = this.pointComments.splice(0)
        if (!word) return
        const pieces = splitRun(next, word.index, word.index + word[0].length, ...ids)
        runs.splice(runs.length - 1, 1, ...pieces)
        for (const id of ids) this.covered.add(id)
      }
    }
    for (const element of elements(run)) {
      const name = wName(element)
      if (name === 'fldChar') {
        const type = wAttr(element, 'fldCharType')
        if (type === 'begin') this.fields.push('code')
        else if (type === 'separate' && this.fields.length > 0)
          this.fields[this.fields.length - 1] = 'result'
        else if (type === 'end') this.fields.pop()
        continue
      }
      if (this.fields.at(-1) === 'code') continue
      switch (name) {
        case 't':
        case 'delText':
          add(element.textContent ?? '', false)
          break
        case 'tab':
        case 'ptab':
          add('\t', false)
          break
        case 'br':
        case 'cr':
          add('', true)
          break
        case 'noBreakHyphen':
          add('\u2011', false)
          break
        case 'commentReference': {
          const id = wAttr(element, 'id')
          if (id !== null) this.pointComment(id, runs)
          break
        }
        default:
          // Field instructions, soft hyphens, symbols in symbol fonts, drawings, notes.
          break
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Comments

function commentText(comment: XmlElement): { text: string; lastParaId: string | null } {
  const lines: string[] = []
  let lastParaId: string | null = null
  const paragraphs: XmlElement[] = []
  const collect = (parent: XmlElement, depth: number) => {
    checkDepth(depth)
    for (const element of elements(parent)) {
      if (wName(element) === 'p') paragraphs.push(element)
      else if (wName(element) === 'tbl' || wName(element) === 'tr' || wName(element) === 'tc')
        collect(element, depth + 1)
      else if (wName(element) === 'sdt') {
        const content = wChild(element, 'sdtContent')
        if (content) collect(content, depth + 1)
      }
    }
  }
  collect(comment, 0)
  for (const paragraph of paragraphs) {
    lastParaId = paragraph.getAttributeNS(W14, 'paraId') ?? lastParaId
    let line = ''
    const walk = (parent: XmlElement, depth: number) => {
      checkDepth(depth)
      for (const element of elements(parent)) {
        const name = wName(element)
        if (name === 't') line += element.textContent ?? ''
        else if (name === 'tab') line += '\t'
        else if (name === 'br' || name === 'cr') line += '\n'
        else if (name === 'r' || name === 'ins' || name === 'hyperlink' || name === 'smartTag')
          walk(element, depth + 1)
      }
    }
    walk(paragraph, 0)
    lines.push(line)
  }
  return { text: lines.join('\n').trim(), lastParaId }
}

function readComments(root: XmlElement | null, extended: XmlElement | null): WordComment[] {
  if (!root) return []
  const byParaId = new Map<string, string>()
  const comments: WordComment[] = []
  for (const comment of wChildren(root, 'comment')) {
    const id = wAttr(comment, 'id')
    if (id === null) continue
    const { text, lastParaId } = commentText(comment)
    if (lastParaId) byParaId.set(lastParaId.toUpperCase(), id)
    comments.push({
      id,
      author: (wAttr(comment, 'author') ?? '').trim(),
      date: wAttr(comment, 'date'),
      text,
      resolved: false,
    })
  }
  if (extended) {
    const byId = new Map(comments.map((comment) => [comment.id, comment]))
    for (const entry of elements(extended)) {
      if (entry.localName !== 'commentEx' || entry.namespaceURI !== W15) continue
      const paraId = entry.getAttributeNS(W15, 'paraId')
      const comment = paraId ? byId.get(byParaId.get(paraId.toUpperCase()) ?? '') : undefined
      if (!comment) continue
      const parent = entry.getAttributeNS(W15, 'paraIdParent')
      const parentId = parent ? byParaId.get(parent.toUpperCase()) : undefined
      if (parentId !== undefined && parentId !== comment.id) comment.parentId = parentId
      const done = entry.getAttributeNS(W15, 'done')
      comment.resolved = done === '1' || done === 'true'
    }
  }
  return comments
}

// ---------------------------------------------------------------------------------------------

/**
 * Reads a .docx file. Throws DocxImportError when it is not a zip, not a Word document, not
 * well-formed, empty, or over `limits`.
 */
export function readDocx(bytes: Uint8Array, limits: DocxLimits = DOCX_LIMITS): WordDocument {
  const docx = openDocx(bytes, limits)
  const styles = new Styles(docx.part('styles'))
  const numbering = new Numbering(docx.part('numbering'), styles)
  const comments = readComments(docx.part('comments'), docx.part('commentsExtended'))
  const body = wChild(docx.document, 'body')
  const reader = new BodyReader(styles, numbering)
  if (body) reader.readContainer(body)
  const blocks = reader.blocks
  if (!blocks.some((block) => block.runs.some((run) => run.text.trim() !== ''))) {
    throw new DocxImportError(DocxErrorCode.Empty, 'The Word document has no text.')
  }
  return { blocks, comments }
}
