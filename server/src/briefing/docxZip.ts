/**
 * The .docx package, read safely: the zip (with fflate), its XML parts (with xmldom), and the
 * relationships between them. A Word file is untrusted input, so:
 * - the zip's own sizes can lie: each part is inflated as a stream, counted while it grows, and
 *   stopped at the first byte over its declared size or the budget (a 10 MB zip can hold
 *   gigabytes of zeros);
 * - only the parts asked for are ever inflated, and only XML is read;
 * - a DOCTYPE is refused (Word never writes one; it is the way in for entity tricks), and the
 *   readers' recursion is bounded (MAX_DEPTH).
 * docxRead.ts reads what the parts say.
 */
import { DOMParser, type Element as XmlElement, type Node as XmlNode } from '@xmldom/xmldom'
import { Inflate } from 'fflate'
import { HttpError } from '../api/errors.ts'

/** Why a Word file cannot be imported. */
export const DocxErrorCode = {
  /** Not a zip archive (or a damaged one). */
  NotZip: 'not_a_zip',
  /** A zip, but not a Word document (no main document part), or one Kartu cannot open. */
  NotDocx: 'not_docx',
  /** A part of the document is not well-formed XML. */
  InvalidXml: 'invalid_xml',
  /** The document has no text. */
  Empty: 'empty_document',
  /** Over a size limit (DOCX_LIMITS, or what one card can hold). */
  TooLarge: 'too_large',
  /** A deck import found no heading to make a question of. */
  NoQuestions: 'no_questions',
} as const
export type DocxErrorCode = (typeof DocxErrorCode)[keyof typeof DocxErrorCode]

/**
 * A Word file that cannot be imported. An HttpError, so that a route that lets it through
 * answers 413 (too large) or 422 with the code and message, and nothing else needs mapping.
 */
export class DocxImportError extends HttpError {
  constructor(
    override readonly code: DocxErrorCode,
    message: string,
  ) {
    super(code === DocxErrorCode.TooLarge ? 413 : 422, code, message)
    this.name = 'DocxImportError'
  }
}

export type DocxLimits = {
  /** The file as uploaded. */
  maxCompressedBytes: number
  /** Every part of the zip together, as declared and as actually inflated. */
  maxUncompressedBytes: number
  /**
   * The XML parts that are read (the document, styles, numbering, comments), as inflated. They
   * are parsed into a DOM on the event loop at some 2 MB a second (xmldom), taking many times
   * their size in memory; a whole deck's questions in Word are 2-3 MB of it.
   */
  maxXmlBytes: number
}

export const DOCX_LIMITS: DocxLimits = {
  maxCompressedBytes: 10 * 1024 * 1024,
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxXmlBytes: 8 * 1024 * 1024,
}

/** WordprocessingML's namespace, transitional and strict. */
const W_NAMESPACES: ReadonlySet<string> = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main',
])
export const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml'
export const W15 = 'http://schemas.microsoft.com/office/word/2012/wordml'
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships'

const ELEMENT_NODE = 1

/** Compressed bytes fed to the inflater at a time: bounds what one step can produce. */
const INFLATE_SLICE = 8 * 1024

// ---------------------------------------------------------------------------------------------
// The zip

type ZipEntry = {
  name: string
  method: number
  flags: number
  compressedSize: number
  size: number
  localOffset: number
}

const notZip = (detail: string) =>
  new DocxImportError(DocxErrorCode.NotZip, `The file is not a Word document (${detail}).`)

/** The entries of the zip's central directory, by lower-cased name. */
function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  try {
    let end = -1
    // The end record sits in the last 22 bytes, or before a comment of at most 65535 bytes.
    for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
      if (view.getUint32(at, true) === 0x06054b50) {
        end = at
        break
      }
    }
    if (end < 0) throw notZip('no zip directory')
    const count = view.getUint16(end + 10, true)
    const directorySize = view.getUint32(end + 12, true)
    const directoryOffset = view.getUint32(end + 16, true)
    if (count === 0xffff || directoryOffset === 0xffffffff) {
      throw new DocxImportError(DocxErrorCode.NotDocx, 'The file is a ZIP64 archive, not a .docx.')
    }
    if (directoryOffset + directorySize > end) throw notZip('damaged zip directory')
    const names = new TextDecoder('utf-8')
    const entries = new Map<string, ZipEntry>()
    let at = directoryOffset
    for (let index = 0; index < count; index++) {
      if (view.getUint32(at, true) !== 0x02014b50) throw notZip('damaged zip directory')
      const nameLength = view.getUint16(at + 28, true)
      const entry: ZipEntry = {
        name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
        flags: view.getUint16(at + 8, true),
        method: view.getUint16(at + 10, true),
        compressedSize: view.getUint32(at + 20, true),
        size: view.getUint32(at + 24, true),
        localOffset: view.getUint32(at + 42, true),
      }
      entries.set(entry.name.replace(/^\/+/, '').toLowerCase(), entry)
      at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
    }
    return entries
  } catch (error) {
    if (error instanceof DocxImportError) throw error
    // A DataView read past the end: offsets that point outside the file.
    throw notZip('damaged zip')
  }
}

/** Reads parts of the zip, counting every inflated byte against one budget. */
class ZipReader {
  private remaining: number

  constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
    private readonly limits: DocxLimits,
  ) {
    // Only XML parts are ever read: both budgets count every byte inflated.
    this.remaining = Math.min(limits.maxUncompressedBytes, limits.maxXmlBytes)
  }

  /** The part's bytes, or null when the zip has no such part. */
  read(name: string): Uint8Array | null {
    const entry = this.entries.get(name.toLowerCase())
    if (!entry) return null
    if ((entry.flags & 1) !== 0) {
      throw new DocxImportError(
        DocxErrorCode.NotDocx,
        'The document is password-protected: save it without a password and try again.',
      )
    }
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength)
    let start: number
    try {
      if (view.getUint32(entry.localOffset, true) !== 0x04034b50) throw notZip('damaged zip entry')
      start =
        entry.localOffset +
        30 +
        view.getUint16(entry.localOffset + 26, true) +
        view.getUint16(entry.localOffset + 28, true)
    } catch (error) {
      if (error instanceof DocxImportError) throw error
      throw notZip('damaged zip entry')
    }
    if (start + entry.compressedSize > this.bytes.length) throw notZip('truncated zip')
    const data = this.bytes.subarray(start, start + entry.compressedSize)
    if (entry.method === 0) {
      if (entry.size !== data.length) throw notZip('damaged zip entry')
      this.take(data.length)
      return data
    }
    if (entry.method !== 8) {
      throw new DocxImportError(
        DocxErrorCode.NotDocx,
        `The document uses a compression Kartu cannot read (method ${entry.method}).`,
      )
    }
    return this.inflate(data, entry)
  }

  /**
   * Inflates one part as a stream, stopping as soon as it grows past what the zip declared for
   * it or past the budget: the declared sizes were checked, but a hostile zip can declare 1 KB
   * and hold a gigabyte.
   */
  private inflate(data: Uint8Array, entry: ZipEntry): Uint8Array {
    const chunks: Uint8Array[] = []
    let total = 0
    const inflater = new Inflate((chunk) => {
      total += chunk.length
      if (total > this.remaining) throw tooLarge(this.limits)
      if (total > entry.size) throw notZip('a part is larger than the zip says')
      chunks.push(chunk)
    })
    try {
      if (data.length === 0) inflater.push(new Uint8Array(0), true)
      for (let at = 0; at < data.length; at += INFLATE_SLICE) {
        inflater.push(data.subarray(at, at + INFLATE_SLICE), at + INFLATE_SLICE >= data.length)
      }
    } catch (error) {
      if (error instanceof DocxImportError) throw error
      throw notZip('damaged compressed data')
    }
    if (total !== entry.size) throw notZip('a part is shorter than the zip says')
    this.take(total)
    const out = new Uint8Array(total)
    let offset = 0
    for (const chunk of chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }

  private take(bytes: number): void {
    if (bytes > this.remaining) throw tooLarge(this.limits)
    this.remaining -= bytes
  }
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`

function tooLarge(limits: DocxLimits): DocxImportError {
  const limit = Math.min(limits.maxUncompressedBytes, limits.maxXmlBytes)
  return new DocxImportError(
    DocxErrorCode.TooLarge,
    `The document is too large once unpacked (over ${megabytes(limit)} of text and formatting): import it in parts.`,
  )
}

// ---------------------------------------------------------------------------------------------
// XML helpers

function decodeXml(bytes: Uint8Array, part: string): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes)
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes)
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new DocxImportError(DocxErrorCode.InvalidXml, `${part} is not valid text.`)
  }
}

function parseXml(bytes: Uint8Array, part: string): XmlElement {
  const text = decodeXml(bytes, part)
  if (/<!DOCTYPE/i.test(text)) {
    throw new DocxImportError(DocxErrorCode.InvalidXml, `${part} declares a DOCTYPE.`)
  }
  const parser = new DOMParser({
    onError: (level, message) => {
      // Warnings (an unknown entity in a text node, say) are not worth refusing a file over.
      if (level !== 'warning') throw new Error(message)
    },
  })
  try {
    const root = parser.parseFromString(text, 'text/xml').documentElement
    if (!root) throw new Error('no root element')
    return root
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 200) : ''
    throw new DocxImportError(DocxErrorCode.InvalidXml, `${part} is not well-formed XML: ${reason}`)
  }
}

/**
 * How deep tables, content controls and revisions may nest. Word's own documents stay within a
 * few levels; the readers below recurse, and a crafted file nesting thousands deep would
 * otherwise overflow the stack.
 */
const MAX_DEPTH = 64

export function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new DocxImportError(
      DocxErrorCode.NotDocx,
      `The document nests tables, fields or revisions more than ${MAX_DEPTH} deep.`,
    )
  }
}

export function elements(parent: XmlNode): XmlElement[] {
  const out: XmlElement[] = []
  const nodes = parent.childNodes
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes.item(index)
    if (node?.nodeType === ELEMENT_NODE) out.push(node as XmlElement)
  }
  return out
}

/** The local name of a WordprocessingML element; null for other namespaces. */
export function wName(element: XmlElement): string | null {
  return W_NAMESPACES.has(element.namespaceURI ?? '') ? element.localName : null
}

export function wChild(parent: XmlElement | null, name: string): XmlElement | null {
  if (!parent) return null
  return elements(parent).find((element) => wName(element) === name) ?? null
}

export function wChildren(parent: XmlElement, name: string): XmlElement[] {
  return elements(parent).filter((element) => wName(element) === name)
}

export function wAttr(element: XmlElement | null, name: string): string | null {
  if (!element) return null
  for (const namespace of W_NAMESPACES) {
    const value = element.getAttributeNS(namespace, name)
    if (value !== null) return value
  }
  return null
}

/** A toggle property (w:b, w:i, w:vanish): on unless its value says off. */
export function isOn(element: XmlElement | null): boolean | null {
  if (!element) return null
  const value = wAttr(element, 'val')
  return value === null || !['false', '0', 'off', 'none'].includes(value.toLowerCase())
}

export function intAttr(element: XmlElement | null, name = 'val'): number | null {
  const value = wAttr(element, name)
  if (value === null || !/^-?\d+$/.test(value.trim())) return null
  return Number.parseInt(value, 10)
}

// ---------------------------------------------------------------------------------------------
// Package relationships

/** Part names by relationship type (the type's last segment), resolved against `source`. */
function relationships(zip: ZipReader, source: string): Map<string, string> {
  const slash = source.lastIndexOf('/')
  const folder = slash < 0 ? '' : source.slice(0, slash)
  const file = source.slice(slash + 1)
  const relsName = `${folder ? `${folder}/` : ''}_rels/${file}.rels`
  const bytes = zip.read(relsName)
  const found = new Map<string, string>()
  if (!bytes) return found
  const root = parseXml(bytes, relsName)
  for (const relation of elements(root)) {
    if (relation.localName !== 'Relationship' || relation.namespaceURI !== RELATIONSHIPS) continue
    if (relation.getAttribute('TargetMode') === 'External') continue
    const type = relation.getAttribute('Type') ?? ''
    const target = relation.getAttribute('Target') ?? ''
    const kind = type.slice(type.lastIndexOf('/') + 1)
    if (kind && target && !found.has(kind)) found.set(kind, resolvePart(folder, target))
  }
  return found
}

function resolvePart(folder: string, target: string): string {
  const parts = target.startsWith('/') ? [] : folder.split('/').filter(Boolean)
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') parts.pop()
    else parts.push(segment)
  }
  return parts.join('/')
}

/** An opened .docx: its main document part, and its other parts by relationship. */
export type DocxPackage = {
  /** The root element of the main document part (word/document.xml). */
  document: XmlElement
  /** The root element of the part the main part relates to as `kind`, or null. */
  part(kind: 'styles' | 'numbering' | 'comments' | 'commentsExtended'): XmlElement | null
}

const FALLBACK_PARTS = {
  styles: 'styles.xml',
  numbering: 'numbering.xml',
  comments: 'comments.xml',
  commentsExtended: 'commentsExtended.xml',
} as const

/**
 * Opens a .docx file. Throws DocxImportError when it is over `limits`, not a zip, not a Word
 * document, or its main part is not well-formed.
 */
export function openDocx(bytes: Uint8Array, limits: DocxLimits = DOCX_LIMITS): DocxPackage {
  if (bytes.length > limits.maxCompressedBytes) {
    throw new DocxImportError(
      DocxErrorCode.TooLarge,
      `The file is ${megabytes(bytes.length)}; Kartu imports Word files of at most ${megabytes(limits.maxCompressedBytes)}.`,
    )
  }
  // An OLE compound file: a Word 97-2003 .doc, or a password-protected .docx (also OLE).
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new DocxImportError(
      DocxErrorCode.NotDocx,
      'The file is an old Word document (.doc) or a password-protected one: save it as .docx without a password.',
    )
  }
  const entries = zipEntries(bytes)
  let declared = 0
  for (const entry of entries.values()) declared += entry.size
  if (declared > limits.maxUncompressedBytes) {
    throw new DocxImportError(
      DocxErrorCode.TooLarge,
      `The document unpacks to ${megabytes(declared)}; Kartu imports at most ${megabytes(limits.maxUncompressedBytes)}.`,
    )
  }
  const zip = new ZipReader(bytes, entries, limits)
  const main = relationships(zip, '').get('officeDocument') ?? 'word/document.xml'
  const documentBytes = zip.read(main)
  if (!documentBytes) {
    throw new DocxImportError(
      DocxErrorCode.NotDocx,
      'The file is a zip archive but not a Word document (it has no word/document.xml).',
    )
  }
  const document = parseXml(documentBytes, main)
  const parts = relationships(zip, main)
  const folder = main.includes('/') ? main.slice(0, main.lastIndexOf('/')) : ''
  return {
    document,
    part(kind) {
      const fallback = FALLBACK_PARTS[kind]
      const name = parts.get(kind) ?? (folder ? `${folder}/${fallback}` : fallback)
      const part = zip.read(name)
      return part ? parseXml(part, name) : null
    },
  }
}
