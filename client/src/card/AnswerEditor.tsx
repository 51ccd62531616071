import type { Ministry, PresenceUser } from '@kartu/protocol'
import { ANSWER_FIELD, createAnswerExtensions } from '@kartu/schema'
import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import { type KeyboardEvent, useEffect, useRef } from 'react'
import type { SyncSession } from '../sync/syncSession.ts'
import { createCaretRenderer } from './caret.ts'
import { Toolbar } from './Toolbar.tsx'

type Props = {
  session: SyncSession
  user: PresenceUser
  ministries: readonly Ministry[]
  editable: boolean
  label: string
  hint: string
}

const hintId = 'answer-editor-hint'

/** Attributes of the contenteditable element itself. */
function editorAttributes(label: string, editable: boolean): Record<string, string> {
  return {
    role: 'textbox',
    'aria-label': label,
    'aria-multiline': 'true',
    'aria-readonly': editable ? 'false' : 'true',
    ...(editable ? { 'aria-describedby': hintId } : {}),
    class: 'answer-editor__content',
  }
}

/** The answer, bound to the card document's ANSWER_FIELD and shared live with everyone on it. */
export function AnswerEditor({ session, user, ministries, editable, label, hint }: Props) {
  const toolbarRef = useRef<HTMLDivElement>(null)
  const editor = useEditor(
    {
      extensions: [
        ...createAnswerExtensions(),
        Collaboration.configure({ document: session.doc, field: ANSWER_FIELD }),
        CollaborationCaret.configure({
          provider: session.provider,
          user,
          render: createCaretRenderer(ministries),
        }),
      ],
      editable,
      shouldRerenderOnTransaction: false,
      editorProps: { attributes: editorAttributes(label, editable) },
    },
    // A new session is a new document: build a new editor for it.
    [session],
  )

  useEffect(() => {
    editor.setEditable(editable)
    editor.setOptions({ editorProps: { attributes: editorAttributes(label, editable) } })
  }, [editor, editable, label])

  useEffect(() => {
    // The identity shown with our caret follows the user (e.g. a renamed ministry).
    editor.commands.updateUser(user)
  }, [editor, user])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // Tab indents list items inside the editor; Esc is the way out to the toolbar.
    if (event.key !== 'Escape' || !editable) return
    const target = toolbarRef.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')
    if (target) {
      event.preventDefault()
      target.focus()
    }
  }

  return (
    <div className="answer-editor">
      {editable ? <Toolbar editor={editor} focusTargetRef={toolbarRef} /> : null}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: only lets Esc leave the editor */}
      <div
        className="answer-editor__frame"
        id="answer-editor"
        data-testid="answer-editor"
        data-editable={editable}
        onKeyDown={onKeyDown}
      >
        <EditorContent editor={editor} />
      </div>
      {editable ? (
        <p className="answer-editor__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  )
}
