/**
 * The card page's side of "no keystroke is ever thrown away". When the server refused an update,
 * the session was replaced by a fresh one (sessionSlot.ts) and the editor is rebuilt on it. This
 * hook carries the person over:
 *
 * - what they saw and the server lacks becomes refused pieces, shown where they were
 *   (carryOver.ts, RefusedText.ts) and kept on this device until dealt with (refusedStore.ts);
 * - their place: the selection is mapped by text position, focus given back, and the page
 *   scrolled so that the caret stays at the height of the window where it was;
 * - each piece's ways on: send again as a suggestion, copy, discard.
 */
import type { SuggestOptions } from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import { carryAnswerOver, refusedPieces } from '../../sync/answerCarryOver.ts'
import { addRefused, readRefused, writeRefused } from '../../sync/refusedStore.ts'
import type { SyncSession } from '../../sync/syncSession.ts'
import { copyText } from './copyText.ts'
import { refusedPiecePosition, refusedPiecesOf, refusedTextMeta } from './RefusedText.ts'
import { PieceAction } from './refusedWidget.ts'
import { suggestPiece } from './suggestPiece.ts'

/** Where the person was in an editor that is going away, keyed by the document it showed. */
type Place = {
  readonly anchor: number
  readonly head: number
  readonly focused: boolean
  /** The caret's distance from the top of the window, in CSS pixels. */
  readonly caretTop: number | null
}

const places = new WeakMap<Y.Doc, Place>()

type SyncState = { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: unknown } | null }

function syncStateOf(editor: Editor): SyncState | null {
  if (editor.isDestroyed) return null
  return (ySyncPluginKey.getState(editor.state) as SyncState | undefined) ?? null
}

type Options = {
  editor: Editor
  session: SyncSession
  userId: string
  /** The person may send a piece again as a suggestion (may suggest, and the card is open). */
  canSuggest: boolean
  suggestOptions: SuggestOptions
}

export type RefusedTextView = {
  /** Pieces shown now. */
  readonly count: number
  /**
   * Pieces carried over by the last refusal (stable: the alert about it does not change as the
   * person deals with them), or null when this page carried none.
   */
  readonly carried: number | null
  /** The last action's outcome, for a polite announcement; null when there is none to say. */
  readonly message: string | null
  /** What a piece's button does (the editor's RefusedText extension calls it). */
  readonly act: (pieceId: string, action: PieceAction) => void
}

export function useRefusedText({
  editor,
  session,
  userId,
  canSuggest,
  suggestOptions,
}: Options): RefusedTextView {
  const { t, i18n } = useTranslation()
  const [count, setCount] = useState(0)
  const [carried, setCarried] = useState<number | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const documentName = session.documentName

  // Where the person is, read the moment their editor goes (ORDER: Tiptap emits 'destroy' while
  // the view and its DOM are still there). Keyed by the editor's own document: the page may
  // already hold the next session when this runs.
  useEffect(() => {
    const capture = (): void => {
      const sync = syncStateOf(editor)
      if (!sync) return
      const { anchor, head } = editor.state.selection
      let caretTop: number | null = null
      try {
        caretTop = editor.view.coordsAtPos(head).top
      } catch {
        caretTop = null
      }
      places.set(sync.doc, { anchor, head, focused: editor.view.hasFocus(), caretTop })
    }
    editor.on('destroy', capture)
    return () => {
      editor.off('destroy', capture)
    }
  }, [editor])

  // Before paint, on the editor of a new session: carry over, show the pieces, give the place
  // back. The editor of the previous session can still be here with the new session for one
  // render (Tiptap rebuilds it in an effect): skipped, this runs again with the new editor.
  useLayoutEffect(() => {
    const sync = syncStateOf(editor)
    if (!sync || sync.doc !== session.doc) return
    const seen = session.previousDoc
    const place = seen ? places.get(seen) : undefined
    let points: readonly Y.RelativePosition[] = []
    if (seen) {
      const snapshot = session.getSnapshot()
      if (!snapshot.discarded) {
        const result = place
          ? carryAnswerOver(seen, session.doc, [place.anchor, place.head], place.head)
          : carryAnswerOver(seen, session.doc)
        const code = snapshot.reloadedAfter?.code ?? ''
        addRefused(userId, documentName, refusedPieces(result, code))
        setCarried(result.pieces.length)
        points = result.points
      }
      session.releasePrevious()
    }
    editor.view.dispatch(
      refusedTextMeta(editor.state.tr, { set: readRefused(userId, documentName) }).setMeta(
        'addToHistory',
        false,
      ),
    )
    if (place && points.length === 2) restorePlace(editor, sync, points, place)
  }, [editor, session, userId, documentName])

  useEffect(() => {
    if (editor.isDestroyed) return
    editor.view.dispatch(refusedTextMeta(editor.state.tr, { canSuggest }))
  }, [editor, canSuggest])

  useEffect(() => {
    if (editor.isDestroyed || i18n.language === '') return
    editor.view.dispatch(refusedTextMeta(editor.state.tr, { redraw: true }))
  }, [editor, i18n.language])

  // Kept on this device whenever they change; counted for the status bar.
  useEffect(() => {
    let last = refusedPiecesOf(editor.state)
    setCount(last.length)
    const onTransaction = (): void => {
      const pieces = refusedPiecesOf(editor.state)
      if (pieces === last) return
      last = pieces
      setCount(pieces.length)
      writeRefused(userId, documentName, pieces)
    }
    editor.on('transaction', onTransaction)
    return () => {
      editor.off('transaction', onTransaction)
    }
  }, [editor, userId, documentName])

  useEffect(() => {
    if (message === null) return
    const timer = setTimeout(() => setMessage(null), 6000)
    return () => clearTimeout(timer)
  }, [message])

  const latest = useRef({ canSuggest, suggestOptions, t })
  latest.current = { canSuggest, suggestOptions, t }

  const act = useCallback(
    (pieceId: string, action: PieceAction): void => {
      const { t: translate, canSuggest: mayPropose, suggestOptions: propose } = latest.current
      const piece = refusedPiecesOf(editor.state).find((candidate) => candidate.id === pieceId)
      const pos = refusedPiecePosition(editor.state, pieceId)
      if (!piece || pos === null) return
      if (action === PieceAction.Copy) {
        void copyText(piece.text).then((copied) =>
          setMessage(translate(copied ? 'refused.copied' : 'refused.copyFailed')),
        )
        return
      }
      if (action === PieceAction.Discard) {
        editor.view.dispatch(refusedTextMeta(editor.state.tr, { remove: [pieceId] }))
        editor.commands.focus(pos, { scrollIntoView: false })
        setMessage(translate('refused.discarded'))
        return
      }
      if (!mayPropose) return
      const tr = suggestPiece(editor.state, pos, piece.text, propose)
      if (tr === null) {
        setMessage(translate('refused.sendFailed'))
        return
      }
      const caret = tr.mapping.map(pos, 1)
      tr.setSelection(TextSelection.near(tr.doc.resolve(caret)))
      editor.view.dispatch(refusedTextMeta(tr, { remove: [pieceId] }))
      // A guard (a locked paragraph) may have stopped it: then the piece is still here.
      const sent = !refusedPiecesOf(editor.state).some((candidate) => candidate.id === pieceId)
      if (sent) editor.commands.focus(undefined, { scrollIntoView: false })
      setMessage(translate(sent ? 'refused.sent' : 'refused.sendFailed'))
    },
    [editor],
  )

  return { count, carried, message, act }
}

/**
 * The selection mapped by text position, focus back if it was in the editor, and the caret at the
 * height of the window where it was: the page does not jump under the person's hands.
 */
function restorePlace(
  editor: Editor,
  sync: SyncState,
  points: readonly Y.RelativePosition[],
  place: Place,
): void {
  const mapping = sync.binding?.mapping as Parameters<typeof relativePositionToAbsolutePosition>[3]
  const size = editor.state.doc.content.size
  const position = (relative: Y.RelativePosition | undefined): number => {
    if (!relative || !mapping) return size
    const pos = relativePositionToAbsolutePosition(sync.doc, sync.type, relative, mapping)
    return pos === null ? size : Math.max(0, Math.min(size, pos))
  }
  const { doc } = editor.state
  const selection = TextSelection.between(
    doc.resolve(position(points[0])),
    doc.resolve(position(points[1])),
  )
  editor.view.dispatch(editor.state.tr.setSelection(selection).setMeta('addToHistory', false))
  if (place.focused) editor.view.focus()
  if (place.caretTop !== null) {
    const now = editor.view.coordsAtPos(editor.state.selection.head).top
    window.scrollBy(0, now - place.caretTop)
  }
}
