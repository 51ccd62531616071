/**
 * What a person saw that the server does not have, placed in the server's document.
 *
 * After a refusal the local Y.Doc holds content the server never took, and every later update
 * depends on it; Yjs cannot take integrated items back out, so the page switches to a fresh
 * document loaded from the server. This module finds, in the old ("seen") document, the text the
 * fresh one lacks, and where it belongs in the fresh one; and it carries positions (the caret)
 * across. Pure Yjs, no DOM and no ProseMirror, so that it is tested on its own
 * (carryOver.test.ts).
 *
 * The difference is taken on Yjs items rather than on the two texts: the fresh document is merged
 * with what the seen one has beyond it, and walked in Yjs' own order, which every replica shares.
 * A character the person saw whose item the fresh document does not have is theirs and unsaved
 * (the server relays only what it stored, so nothing of anyone else can be missing); text the
 * fresh document lacks because someone else deleted it meanwhile is not, and is not carried.
 * Positions are counted as ProseMirror counts them over y-prosemirror's mapping: one per
 * character, one per leaf node, two per other element (its opening and closing).
 *
 * The caret decides which way a piece leans. A piece the person typed before the caret is drawn
 * before it, anchored right after what precedes it; a piece after the caret is drawn after it,
 * anchored right before what follows it; a piece the caret stood inside is cut in two there
 * (or slid, see slide()). So what is typed next goes exactly where it went before, even where
 * y-prosemirror's text diff made a typed space a different item from the one the person sees.
 */
import * as Y from 'yjs'

export type CarriedPiece = {
  /** The text as typed (one text node's run; formatting is not kept). */
  readonly text: string
  /** Where it was, in the fresh document. */
  readonly anchor: Y.RelativePosition
  /**
   * -1: drawn before the caret at its place (anchored on what precedes it); 1: after it (anchored
   * on what follows it): what is typed at that place goes after, or before, the piece.
   */
  readonly side: -1 | 1
  /**
   * Its place is between blocks, not inside a text: its paragraph is not in the fresh document
   * either (a new paragraph, refused with its text).
   */
  readonly block: boolean
}

export type CarryOver = {
  readonly pieces: CarriedPiece[]
  /** Each of the given positions of the seen document, in the fresh one. */
  readonly points: Y.RelativePosition[]
}

export type CarryOverOptions = {
  /** The root XmlFragment (the card's answer). */
  field: string
  /** ProseMirror node names that are leaves (size 1, no content): a hard break. */
  isLeaf: (nodeName: string) => boolean
  /** ProseMirror node names that hold text (paragraph, heading): a place inside one is inline. */
  isTextblock: (nodeName: string) => boolean
  /** ProseMirror positions in the seen document to carry over (the selection's ends). */
  points?: readonly number[]
  /** The caret's position in the seen document (see the header); none: every piece leans left. */
  caret?: number
}

type Presence = {
  readonly exists: (client: number, clock: number) => boolean
  readonly visible: (client: number, clock: number) => boolean
}

function presenceIn(doc: Y.Doc): Presence {
  const clocks = Y.decodeStateVector(Y.encodeStateVector(doc))
  const deleted = Y.createDeleteSetFromStructStore(doc.store)
  const exists = (client: number, clock: number): boolean => clock < (clocks.get(client) ?? 0)
  return {
    exists,
    visible: (client, clock) =>
      exists(client, clock) && !Y.isDeleted(deleted, Y.createID(client, clock)),
  }
}

/** A type being walked, as the relative positions of the fresh document see it. */
type Frame = {
  readonly type: Y.XmlFragment | Y.XmlText
  /** The type is in the fresh document and not deleted there: a place can be anchored in it. */
  readonly visibleFresh: boolean
  /** A textblock element, or a text: a place in it is inline. */
  readonly inline: boolean
  /** The last unit of this type walked so far that the fresh document has. */
  lastFresh: Y.ID | null
  /** Pieces after the caret, waiting for the next unit of this type that the fresh one has. */
  readonly waiting: Array<(next: Y.ID | null) => void>
  /** The last characters of this text that the fresh document has, newest last (a few). */
  readonly recent: Recent[]
}

/** A character the fresh document has; `clean`: the person sees it, and will after the switch. */
type Recent = { readonly id: Y.ID; readonly char: string; readonly clean: boolean }

/** How many characters before a piece are remembered for sliding it (see endRun). */
const RECENT = 16

type Run = {
  text: string
  start: number
  frame: Frame
  block: boolean
  /** The frame's `recent` when the run began: what precedes it. */
  before: readonly Recent[]
}

const sameId = (a: Y.ID | null, b: Y.ID | null): boolean =>
  a === null || b === null ? a === b : a.client === b.client && a.clock === b.clock

/** A relative position in `frame`'s type: after `item` (assoc -1), or before it (assoc 0). */
function positionIn(field: string, frame: Frame, item: Y.ID | null, assoc: -1 | 0) {
  const typeItem = frame.type._item
  return typeItem === null
    ? new Y.RelativePosition(null, field, item, assoc)
    : new Y.RelativePosition(typeItem.id, null, item, assoc)
}

export function carryOver(seen: Y.Doc, fresh: Y.Doc, options: CarryOverOptions): CarryOver {
  // The seen document first: everything the person saw keeps its own content and structure in
  // the merge (the fresh one may have garbage-collected what someone deleted meanwhile). The
  // fresh one adds what the person had not seen yet. Whose deletions apply is read from each
  // document itself, never from the merge.
  const merged = new Y.Doc({ gc: false })
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(seen))
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(fresh, Y.encodeStateVector(seen)))
  const inSeen = presenceIn(seen)
  const inFresh = presenceIn(fresh)
  const field = options.field
  const caret = options.caret ?? Number.POSITIVE_INFINITY

  const points = options.points ?? []
  const placed: Array<Y.RelativePosition | null> = points.map(() => null)
  const pieces: CarriedPiece[] = []
  const stack: Frame[] = []
  let seenPos = 0
  let run: Run | null = null
  /** The piece a run cut at the caret left before it, for sliding. */
  let cut: { piece: number; run: Run } | null = null
  /** The last piece that leans left: where it is anchored, for joining (see slide). */
  let lastLeft: { piece: number; frame: Frame; after: Y.ID | null } | null = null
  /** The points at the caret (both ends of an empty selection), by their index in `points`. */
  const caretPoints: number[] = []
  /** Moves the caret's points (sliding and joining move the caret with the piece). */
  const moveCaret = (to: Y.RelativePosition): void => {
    for (const index of caretPoints) placed[index] = to
  }

  /** The innermost type the fresh document shows. */
  const anchorFrame = (): Frame | null => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i] as Frame
      if (frame.visibleFresh) return frame
    }
    return null
  }
  const endRun = (): void => {
    const ended = run
    run = null
    if (ended === null || ended.text.length === 0) return
    const { text, frame, block } = ended
    if (ended.start < caret) {
      lastLeft = { piece: pieces.length, frame, after: frame.lastFresh }
      pieces.push({ text, anchor: positionIn(field, frame, frame.lastFresh, -1), side: -1, block })
      return
    }
    if (slide(ended) || join(ended)) return
    // After the caret: anchored before the next unit the fresh document has here, once walked.
    const index = pieces.length
    pieces.push({ text, anchor: positionIn(field, frame, null, 0), side: 1, block })
    frame.waiting.push((next) => {
      pieces[index] = { text, anchor: positionIn(field, frame, next, 0), side: 1, block }
    })
  }
  /**
   * A run cut by the caret whose second part repeats, character for character, the text just
   * before its first part: y-prosemirror's diff gave the typed characters other items than the
   * person meant (" word" typed before " next" is written as "word " after the space). The same
   * text reads "[ word]| next" as well as " [word]|[ ]next": the piece slides left over those
   * characters, the caret with it, and the second part goes. True when it slid.
   */
  const slide = (after: Run): boolean => {
    const before = cut
    cut = null
    if (before === null || before.run.frame !== after.frame || after.start !== caret) return false
    const { frame } = after
    const count = after.text.length
    const shared = before.run.before.slice(-count)
    if (
      shared.length !== count ||
      !shared.every((unit) => unit.clean) ||
      shared.map((unit) => unit.char).join('') !== after.text
    ) {
      return false
    }
    const from = before.run.before[before.run.before.length - count - 1]?.id ?? null
    const first = pieces[before.piece] as CarriedPiece
    pieces[before.piece] = {
      ...first,
      text: `${after.text}${first.text}`,
      anchor: positionIn(field, frame, from, -1),
    }
    moveCaret(positionIn(field, frame, from, -1))
    return true
  }
  /**
   * The same, for a run that begins at the caret right after characters it repeats, which follow
   * a piece leaning left: "[I] [ ]next" with the caret before the second space reads the same as
   * "[I ]| next". The run joins that piece, and the caret moves to its end.
   */
  const join = (after: Run): boolean => {
    const left = lastLeft
    if (left === null || left.frame !== after.frame || after.start !== caret) return false
    const count = after.text.length
    const shared = after.before.slice(-count)
    const from = after.before[after.before.length - count - 1]?.id ?? null
    if (
      shared.length !== count ||
      !shared.every((unit) => unit.clean) ||
      shared.map((unit) => unit.char).join('') !== after.text ||
      !sameId(from, left.after)
    ) {
      return false
    }
    const first = pieces[left.piece] as CarriedPiece
    pieces[left.piece] = { ...first, text: `${first.text}${after.text}` }
    moveCaret(first.anchor)
    return true
  }
  /** A unit of `frame` that the fresh document has: remembered, and anchors what waits for it. */
  const reachFresh = (frame: Frame, id: Y.ID): void => {
    for (const resolve of frame.waiting.splice(0)) resolve(id)
  }
  // A point is placed the first time the walk stands at it: before what the fresh document has
  // there and the seen one does not (text someone else added, or a deletion that was refused).
  // A run of refused text is cut at each point, so that a piece never spans the caret.
  const placePoints = (): void => {
    for (const [index, point] of points.entries()) {
      if (placed[index] !== null || point !== seenPos) continue
      const open = run
      endRun()
      if (open !== null && open.text.length > 0 && point === caret) {
        cut = { piece: pieces.length - 1, run: open }
      }
      if (point === caret) caretPoints.push(index)
      const frame = anchorFrame()
      placed[index] =
        frame === null
          ? new Y.RelativePosition(null, field, null, -1)
          : positionIn(field, frame, frame.lastFresh, -1)
    }
  }
  const addToRun = (char: string): void => {
    if (run === null) {
      const frame = anchorFrame() ?? (stack[0] as Frame)
      run = { text: '', start: seenPos, frame, block: !frame.inline, before: [...frame.recent] }
    }
    run.text += char
  }

  const walk = (frame: Frame): void => {
    stack.push(frame)
    placePoints()
    for (let item = frame.type._start; item !== null; item = item.right) {
      const { client, clock } = item.id
      const content = item.content
      if (content instanceof Y.ContentFormat) continue
      if (content instanceof Y.ContentType) {
        const child = content.type
        const seenHere = inSeen.visible(client, clock)
        const freshHas = inFresh.exists(client, clock)
        const freshHere = inFresh.visible(client, clock)
        // A run is one text node's.
        endRun()
        if (freshHas) reachFresh(frame, item.id)
        const inner = { lastFresh: null, waiting: [], recent: [] }
        if (child instanceof Y.XmlText) {
          walk({ type: child, visibleFresh: freshHere, inline: true, ...inner })
        } else if (child instanceof Y.XmlElement) {
          if (seenHere) seenPos++
          // A leaf (a hard break) has no inside: a place right after it is placed below.
          if (!options.isLeaf(child.nodeName)) {
            walk({
              type: child,
              visibleFresh: freshHere,
              inline: options.isTextblock(child.nodeName),
              ...inner,
            })
            if (seenHere) seenPos++
          }
        }
        // A place right after this child is anchored on it.
        if (freshHas) frame.lastFresh = item.id
        placePoints()
        continue
      }
      // Characters (and what is left of deleted ones), one unit each.
      const text = content instanceof Y.ContentString ? content.str : ''
      for (let offset = 0; offset < item.length; offset++) {
        const seenHere = inSeen.visible(client, clock + offset)
        const freshHas = inFresh.exists(client, clock + offset)
        if (seenHere && !freshHas) {
          // Unsaved: the person saw it, and the server never took it.
          addToRun(text[offset] ?? '')
        } else {
          if (inFresh.visible(client, clock + offset)) endRun()
          if (freshHas) {
            const id = Y.createID(client, clock + offset)
            reachFresh(frame, id)
            frame.lastFresh = id
            const clean = seenHere && inFresh.visible(client, clock + offset)
            frame.recent.push({ id, char: text[offset] ?? '', clean })
            if (frame.recent.length > RECENT) frame.recent.shift()
          }
        }
        if (seenHere) {
          seenPos++
          placePoints()
        }
      }
    }
    endRun()
    // Nothing the fresh document has follows: the end of this type.
    for (const resolve of frame.waiting.splice(0)) resolve(null)
    stack.pop()
  }

  walk({
    type: merged.getXmlFragment(field),
    visibleFresh: true,
    inline: false,
    lastFresh: null,
    waiting: [],
    recent: [],
  })
  merged.destroy()
  const end = new Y.RelativePosition(null, field, null, 0)
  return { pieces, points: placed.map((anchor) => anchor ?? end) }
}
