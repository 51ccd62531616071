/**
 * Text the server refused, shown where it was typed: a widget per piece, outside the document (it
 * is not in the server's document, and must not be sent as typing), with its three ways on.
 *
 * Places are Yjs relative positions (refusedStore.ts), resolved to ProseMirror positions through
 * y-prosemirror's mapping, as collaborators' carets are: y-prosemirror replaces the whole
 * ProseMirror document on every remote change, through which no position maps. Local changes,
 * whose steps are exact, move the widgets by mapping, before y-prosemirror has written them to
 * Yjs. A widget is drawn before or after the caret at its place, as its piece leans (carryOver.ts):
 * what is typed there goes after, or before, it, as the piece's anchor says too.
 */
import { Extension } from '@tiptap/core'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import type { RefusedPiece } from '../../sync/refusedStore.ts'
import { type PieceAction, refusedWidget, type WidgetText } from './refusedWidget.ts'

export type RefusedTextState = {
  readonly pieces: readonly RefusedPiece[]
  /** "Send again as a suggestion" is offered (the person may suggest here, now). */
  readonly canSuggest: boolean
  readonly decorations: DecorationSet
}

type Meta = {
  /** Replaces the pieces (the page opened, or carried new ones over). */
  set?: readonly RefusedPiece[]
  /** Pieces dealt with: sent again, or discarded. */
  remove?: readonly string[]
  canSuggest?: boolean
  /** Draw the widgets again (the language changed). */
  redraw?: true
}

export const refusedTextKey = new PluginKey<RefusedTextState>('kartuRefusedText')

export type RefusedTextOptions = {
  /** A button of a piece was pressed. */
  onAction: (pieceId: string, action: PieceAction) => void
  /** The widgets' words, in the page's language. */
  text: () => WidgetText
}

/** Sets the plugin's pieces or options in a transaction of its own (no change to the text). */
export function refusedTextMeta(tr: Transaction, meta: Meta): Transaction {
  return tr.setMeta(refusedTextKey, meta)
}

export function refusedPiecesOf(state: EditorState): readonly RefusedPiece[] {
  return refusedTextKey.getState(state)?.pieces ?? []
}

/** Where a piece is now in the editor's document, or null if it is no longer shown. */
export function refusedPiecePosition(state: EditorState, pieceId: string): number | null {
  const found = refusedTextKey
    .getState(state)
    ?.decorations.find(undefined, undefined, (spec) => spec.pieceId === pieceId)
  return found?.[0]?.from ?? null
}

function isRemote(tr: Transaction): boolean {
  const meta: unknown = tr.getMeta(ySyncPluginKey)
  return typeof meta === 'object' && meta !== null && 'isChangeOrigin' in meta
    ? (meta as { isChangeOrigin?: unknown }).isChangeOrigin === true
    : false
}

/** y-prosemirror's mapping of Yjs types to ProseMirror nodes (not exported by name). */
type YMapping = Parameters<typeof relativePositionToAbsolutePosition>[3]

/** Where y-prosemirror's mapping puts an anchor in `state`'s document, or null. */
function resolve(state: EditorState, piece: RefusedPiece): number | null {
  const sync = ySyncPluginKey.getState(state) as
    | { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: YMapping } | null }
    | undefined
  if (!sync?.binding) return null
  try {
    return relativePositionToAbsolutePosition(
      sync.doc,
      sync.type,
      piece.anchor,
      sync.binding.mapping,
    )
  } catch {
    return null
  }
}

/**
 * The widgets at their places: from `places` (a local change mapped them), else from each anchor
 * (at the end when it cannot be found, a document restored from a backup: shown, not lost).
 */
function draw(
  state: EditorState,
  pieces: readonly RefusedPiece[],
  canSuggest: boolean,
  options: RefusedTextOptions,
  places?: ReadonlyMap<string, number>,
): DecorationSet {
  if (pieces.length === 0) return DecorationSet.empty
  const size = state.doc.content.size
  const text = options.text()
  const decorations = pieces.map((piece, index) => {
    const pos = places?.get(piece.id) ?? resolve(state, piece)
    const at = pos === null || pos < 0 || pos > size ? size : pos
    return Decoration.widget(at, refusedWidget(piece, canSuggest, text, options.onAction), {
      // Before or after the caret, as the piece was (carryOver.ts); pieces at one place keep
      // their order.
      side: piece.side < 0 ? -1000 + index : 1 + index,
      key: `${piece.id}:${canSuggest}:${text.language}`,
      pieceId: piece.id,
      // Its buttons are its own: ProseMirror leaves their events and focus alone.
      stopEvent: () => true,
      ignoreSelection: true,
    })
  })
  return DecorationSet.create(state.doc, decorations)
}

export const RefusedText = Extension.create<RefusedTextOptions>({
  name: 'kartuRefusedText',

  addOptions() {
    return {
      onAction: () => {},
      text: () => ({
        language: '',
        label: () => '',
        send: '',
        sendLabel: () => '',
        copy: '',
        copyLabel: () => '',
        discard: '',
        discardLabel: () => '',
      }),
    }
  },

  addProseMirrorPlugins() {
    const options = this.options
    return [
      new Plugin<RefusedTextState>({
        key: refusedTextKey,
        state: {
          init: () => ({ pieces: [], canSuggest: false, decorations: DecorationSet.empty }),
          apply(tr, value, _before, state) {
            const meta = tr.getMeta(refusedTextKey) as Meta | undefined
            let pieces = value.pieces
            if (meta?.set) pieces = meta.set
            if (meta?.remove) {
              const removed = new Set(meta.remove)
              pieces = pieces.filter((piece) => !removed.has(piece.id))
            }
            const canSuggest = meta?.canSuggest ?? value.canSuggest
            if (isRemote(tr) || !tr.docChanged) {
              // A remote change replaced the whole document, and y-prosemirror's mapping with it:
              // from the anchors. So are new pieces and options, outside changes of the text.
              const unchanged =
                !isRemote(tr) && meta === undefined && canSuggest === value.canSuggest
              if (unchanged) return value
              return { pieces, canSuggest, decorations: draw(state, pieces, canSuggest, options) }
            }
            // A local change: its steps move each widget exactly (Yjs has not seen it yet), to
            // the side it leans to. A widget whose place was deleted stays, where that maps to.
            const places = new Map<string, number>()
            for (const found of value.decorations.find()) {
              const side = Number(found.spec.side) < 0 ? -1 : 1
              places.set(String(found.spec.pieceId), tr.mapping.map(found.from, side))
            }
            return {
              pieces,
              canSuggest,
              decorations: draw(state, pieces, canSuggest, options, places),
            }
          },
        },
        props: {
          decorations: (state) => refusedTextKey.getState(state)?.decorations,
        },
      }),
    ]
  },
})
