import type { Ministry, PresenceUser } from '@kartu/protocol'
import { ANSWER_FIELD, type Author } from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { useEditor } from '@tiptap/react'
import i18next from 'i18next'
import { useEffect, useRef } from 'react'
import type { SyncSession } from '../sync/syncSession.ts'
import { BlockLockGuard } from './blockLock.ts'
import { createCaretRenderer } from './caret.ts'
import { SinceVisitHighlight } from './history/sinceVisitHighlight.ts'
import { ReadOnlySelection } from './readOnlySelection.ts'
import { watchRecentCarets } from './recentCarets.ts'
import { RefusedText } from './refused/RefusedText.ts'
import { type PieceAction, widgetText } from './refused/refusedWidget.ts'
import {
  randomId,
  suggestingExtensions,
  type Unsuggestable,
  unsuggestableReason,
} from './review/engine.ts'
import { PendingCommentHighlight } from './review/pendingHighlight.ts'
import { createCardExtensions, SuggestionMetaBridge } from './review/reviewExtensions.ts'
import { metaEntries } from './review/suggestionMeta.ts'

type Options = {
  session: SyncSession
  user: PresenceUser
  me: Author
  ministries: readonly Ministry[]
  editable: boolean
  label: string
  /** The id of the element that describes the editor (a keyboard hint), if any. */
  describedBy?: string | undefined
  /** Show and publish carets (the card page); the projector view shows none. */
  carets?: boolean
  className?: string
  /** An edit made while suggesting did not go in as made (see Unsuggestable). */
  onUnsuggestable?: (why: Unsuggestable) => void
  /** A button of a refused piece was pressed (the card page; see refused/useRefusedText.ts). */
  onRefusedAction?: (pieceId: string, action: PieceAction) => void
}

/** Attributes of the contenteditable element itself. */
function editorAttributes(
  label: string,
  editable: boolean,
  describedBy: string | undefined,
  className: string,
): Record<string, string> {
  return {
    role: 'textbox',
    'aria-label': label,
    'aria-multiline': 'true',
    'aria-readonly': editable ? 'false' : 'true',
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    // Read-only, the answer still takes focus: to read it with the keyboard, and to select the
    // words a comment is about.
    ...(editable ? {} : { tabindex: '0' }),
    class: className,
  }
}

/** The answer editor bound to the card document's ANSWER_FIELD, with review support. */
export function useAnswerEditor({
  session,
  user,
  me,
  ministries,
  editable,
  label,
  describedBy,
  carets = true,
  className = 'answer-editor__content',
  onUnsuggestable,
  onRefusedAction,
}: Options): Editor {
  // The extensions are configured once per editor; the latest callbacks are read through refs.
  const unsuggestable = useRef(onUnsuggestable)
  unsuggestable.current = onUnsuggestable
  const refusedAction = useRef(onRefusedAction)
  refusedAction.current = onRefusedAction
  const editor = useEditor(
    {
      extensions: [
        ...createCardExtensions(),
        BlockLockGuard.configure({ label: () => i18next.t('toolbar.lockedBlock') }),
        Collaboration.configure({ document: session.doc, field: ANSWER_FIELD }),
        ...(carets
          ? [
              CollaborationCaret.configure({
                provider: session.provider,
                user,
                render: createCaretRenderer(ministries),
              }),
            ]
          : []),
        SuggestionMetaBridge.configure({ doc: session.doc, myUserId: me.userId }),
        ...suggestingExtensions({
          // A UUID (crypto.randomUUID where the page is a secure context).
          newId: randomId,
          isOwnSuggestion: (id) => metaEntries(session.doc, me.userId).isOwn(id),
          onUnsuggestable: (_tr, error) => unsuggestable.current?.(unsuggestableReason(error)),
          onSelectionKept: () => unsuggestable.current?.('selectionKept'),
        }),
        PendingCommentHighlight,
        SinceVisitHighlight,
        ReadOnlySelection,
        RefusedText.configure({
          onAction: (pieceId, action) => refusedAction.current?.(pieceId, action),
          text: widgetText,
        }),
      ],
      editable,
      shouldRerenderOnTransaction: false,
      editorProps: { attributes: editorAttributes(label, editable, describedBy, className) },
    },
    // A new session is a new document: build a new editor for it.
    [session, me.userId, carets],
  )

  useEffect(() => {
    editor.setEditable(editable)
    editor.setOptions({
      editorProps: { attributes: editorAttributes(label, editable, describedBy, className) },
    })
  }, [editor, editable, label, describedBy, className])

  useEffect(() => {
    if (!carets || editor.isDestroyed) return
    return watchRecentCarets(session.awareness, editor.view.dom)
  }, [editor, session, carets])

  useEffect(() => {
    // The identity shown with our caret follows the user (e.g. a renamed ministry).
    if (carets) editor.commands.updateUser(user)
  }, [editor, user, carets])

  return editor
}
