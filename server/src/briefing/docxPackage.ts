/**
 * The one touch to a review book's package that docx cannot make: comment dates without the
 * fraction of a second that docx writes (w:date="…T02:10:00.000Z"), as Word writes them and as
 * the tracked changes have them. Done on the parsed part (xmldom), never on its text, so that
 * everything stays escaped and well formed.
 *
 * Left as docx writes them: the ids of the bookmarks docx puts on headings for the table of
 * contents. They are not unique against the ids of tracked changes and comments, as they are not
 * in Word's own files (its _GoBack bookmark and first comment are both 0): an id must be unique
 * among annotations of its kind.
 */
import { DOMParser, XMLSerializer, type Document as XmlDocument } from '@xmldom/xmldom'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'

export const WORD_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

function parse(bytes: Uint8Array): XmlDocument {
  return new DOMParser().parseFromString(strFromU8(bytes), 'application/xml')
}

/** The part's text, checked well formed, with the declaration docx wrote. */
function serialize(doc: XmlDocument): Uint8Array {
  // xmldom keeps the declaration as a processing instruction, which a well-formedness check
  // refuses (its target is reserved): it is taken out and written back as text.
  const first = doc.firstChild
  if (first && first.nodeType === first.PROCESSING_INSTRUCTION_NODE && first.nodeName === 'xml') {
    doc.removeChild(first)
  }
  const xml = new XMLSerializer().serializeToString(doc, { requireWellFormed: true })
  return strToU8(DECLARATION + xml)
}

function wholeSecondDates(doc: XmlDocument): void {
  for (const comment of Array.from(doc.getElementsByTagNameNS(WORD_NS, 'comment'))) {
    const date = comment.getAttributeNS(WORD_NS, 'date')
    if (date) comment.setAttributeNS(WORD_NS, 'w:date', date.replace(/\.\d+Z$/, 'Z'))
  }
}

/** The package with its comment dates in whole seconds; as it was when it has no comments. */
export function finishPackage(bytes: Uint8Array): Uint8Array {
  const files: Record<string, Uint8Array> = unzipSync(bytes)
  const comments = files['word/comments.xml']
  if (!comments) return bytes
  const doc = parse(comments)
  wholeSecondDates(doc)
  files['word/comments.xml'] = serialize(doc)
  return zipSync(files, { level: 6 })
}
