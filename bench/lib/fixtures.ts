/**
 * The documents every server starts from, byte for byte the same for Kartu and the peers:
 * - a card: Kartu's card layout, an `answer` fragment with one Tiptap paragraph;
 * - the trace card: the same layout, its paragraph's text built by replaying the real editing
 *   trace (automerge-paper: 259,778 keystrokes), one Yjs transaction per keystroke.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { ANSWER_FIELD, writeAnswer } from '@kartu/schema'
import * as Y from 'yjs'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Where the trace is: KARTU_BENCH_TRACE, or the shared fixtures beside the repository. */
export function tracePath(): string {
  return path.resolve(
    repoRoot,
    process.env.KARTU_BENCH_TRACE ??
      path.join('..', 'shared', 'fixtures', 'editing-traces', 'automerge-paper.json.gz'),
  )
}

/** A path as shown to people: relative to the repository, never this machine's absolute path. */
export function shownPath(file: string): string {
  return path.relative(repoRoot, file) || '.'
}

export const CARD_TEXT =
  'Pemerintah Indonesia terus memperkuat pelindungan pekerja migran sejak sebelum bekerja, selama bekerja, hingga setelah bekerja.'

/** A card as imported: one paragraph of text, written by a fixed client. */
export function cardState(): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = 1
  writeAnswer(doc, [{ type: 'paragraph', text: CARD_TEXT }])
  const state = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return state
}

type Trace = {
  startContent: string
  endContent: string
  txns: Array<{ patches: Array<[number, number, string]> }>
}

export type TraceCard = { state: Uint8Array; keystrokes: number; characters: number }

type Patch = [position: number, deleted: number, inserted: string]

/**
 * The trace read, and a card document whose answer is one paragraph holding its start: what
 * every replay of it begins from.
 */
function traceStart(file: string): { trace: Trace; patches: Patch[]; doc: Y.Doc; text: Y.XmlText } {
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Trace
  const doc = new Y.Doc()
  // A clientID as large as a browser's (Yjs draws 32-bit ones): ids are varints, so a small
  // one would make the document smaller than a real card's.
  doc.clientID = 2_654_435_761
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  doc.transact(() => {
    doc.getXmlFragment(ANSWER_FIELD).push([paragraph])
    paragraph.push([text])
    if (trace.startContent.length > 0) text.insert(0, trace.startContent)
  })
  return { trace, patches: trace.txns.flatMap((txn) => txn.patches), doc, text }
}

/** One keystroke of the trace, as one Yjs transaction. */
function applyPatch(doc: Y.Doc, text: Y.XmlText, [position, deleted, inserted]: Patch): void {
  doc.transact(() => {
    if (deleted > 0) text.delete(position, deleted)
    if (inserted.length > 0) text.insert(position, inserted)
  })
}

/** The trace card: every keystroke of the trace applied to the paragraph's text. */
export function traceCardState(file = tracePath()): TraceCard {
  const { trace, patches, doc, text } = traceStart(file)
  for (const patch of patches) applyPatch(doc, text, patch)
  if (text.toString() !== trace.endContent) throw new Error('the trace did not replay to its end')
  const state = Y.encodeStateAsUpdate(doc)
  const characters = text.length
  doc.destroy()
  return { state, keystrokes: patches.length, characters }
}

/**
 * Replays the editing trace into a card's answer as traceCardState does, telling the caller of
 * each keystroke's Yjs update and of the document at the start, halfway and at the end (history
 * scenario: versions and the edits between them).
 */
export async function replayTrace(hooks: {
  onStart(doc: Y.Doc): Promise<void>
  onUpdate(update: Uint8Array, doc: Y.Doc): void
  onHalf(doc: Y.Doc): Promise<void>
  onEnd(doc: Y.Doc): Promise<void>
}): Promise<void> {
  const { patches, doc, text } = traceStart(tracePath())
  await hooks.onStart(doc)
  doc.on('update', (update: Uint8Array) => hooks.onUpdate(update, doc))
  for (let i = 0; i < patches.length; i++) {
    applyPatch(doc, text, patches[i] as Patch)
    if (i === Math.floor(patches.length / 2)) await hooks.onHalf(doc)
  }
  await hooks.onEnd(doc)
  doc.destroy()
}

/** File names in the state folder handed to the peer servers. */
export const STATE_FILES = { card: 'card.bin', trace: 'trace.bin' } as const

/** Document names starting with this hold the trace card (peers pick the state by name). */
export const TRACE_PREFIX = 'card:trace-'
