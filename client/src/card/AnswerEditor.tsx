import type { Ministry } from '@kartu/protocol'
import type { Editor } from '@tiptap/core'
import { EditorContent } from '@tiptap/react'
import { type KeyboardEvent, type ReactNode, useRef } from 'react'
import type { SuggestionView } from './review/suggestions.ts'
import { SuggestionTooltip } from './SuggestionTooltip.tsx'
import { Toolbar } from './Toolbar.tsx'

type Props = {
  editor: Editor
  editable: boolean
  ministries: readonly Ministry[]
  suggestions: readonly SuggestionView[]
  hint: string
  hintId: string
  /** The review bar (mode switch, comment button) above the formatting toolbar. */
  reviewBar?: ReactNode
  /**
   * Save status and sync alerts: kept in view with the toolbar while the answer scrolls, so that
   * they are where the person is typing.
   */
  statusBar?: ReactNode
  /** The chair locks and unlocks paragraphs. */
  canLockBlocks?: boolean
}

/** The answer, bound to the card document and shared live with everyone on it. */
export function AnswerEditor({
  editor,
  editable,
  ministries,
  suggestions,
  hint,
  hintId,
  reviewBar,
  statusBar,
  canLockBlocks = false,
}: Props) {
  const toolbarRef = useRef<HTMLDivElement>(null)
  const frameRef = useRef<HTMLDivElement>(null)

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
      {reviewBar}
      <div className="answer-editor__sticky" data-testid="editor-bar">
        {statusBar}
        {editable ? (
          <Toolbar editor={editor} focusTargetRef={toolbarRef} canLockBlocks={canLockBlocks} />
        ) : null}
        {/* In the bar, not over the text: it would cover the words around the suggestion. */}
        <SuggestionTooltip
          editor={editor}
          frameRef={frameRef}
          suggestions={suggestions}
          ministries={ministries}
        />
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: only lets Esc leave the editor */}
      <div
        className="answer-editor__frame"
        id="answer-editor"
        data-testid="answer-editor"
        data-editable={editable}
        onKeyDown={onKeyDown}
        ref={frameRef}
      >
        <EditorContent editor={editor} />
      </div>
      <p className="answer-editor__hint" id={hintId}>
        {hint}
      </p>
    </div>
  )
}
