import { type Editor, useEditorState } from '@tiptap/react'
import { type KeyboardEvent, type RefObject, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isLockedBlock, lockTarget, toggleBlockLock } from './blockLock.ts'

type Tool = {
  key: 'paragraph' | 'heading2' | 'heading3' | 'bold' | 'italic' | 'bulletList' | 'orderedList'
  shortcut: string
  active: (editor: Editor) => boolean
  run: (editor: Editor) => void
}

const tools: readonly Tool[] = [
  {
    key: 'paragraph',
    shortcut: 'Ctrl+Alt+0',
    active: (editor) => editor.isActive('paragraph'),
    run: (editor) => editor.chain().focus().setParagraph().run(),
  },
  {
    key: 'heading2',
    shortcut: 'Ctrl+Alt+2',
    active: (editor) => editor.isActive('heading', { level: 2 }),
    run: (editor) => editor.chain().focus().toggleHeading({ level: 2 }).run(),
  },
  {
    key: 'heading3',
    shortcut: 'Ctrl+Alt+3',
    active: (editor) => editor.isActive('heading', { level: 3 }),
    run: (editor) => editor.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  {
    key: 'bold',
    shortcut: 'Ctrl+B',
    active: (editor) => editor.isActive('bold'),
    run: (editor) => editor.chain().focus().toggleBold().run(),
  },
  {
    key: 'italic',
    shortcut: 'Ctrl+I',
    active: (editor) => editor.isActive('italic'),
    run: (editor) => editor.chain().focus().toggleItalic().run(),
  },
  {
    key: 'bulletList',
    shortcut: 'Ctrl+Shift+8',
    active: (editor) => editor.isActive('bulletList'),
    run: (editor) => editor.chain().focus().toggleBulletList().run(),
  },
  {
    key: 'orderedList',
    shortcut: 'Ctrl+Shift+7',
    active: (editor) => editor.isActive('orderedList'),
    run: (editor) => editor.chain().focus().toggleOrderedList().run(),
  },
]

/**
 * What each button shows. Letters and digits are a visible label that a speech-input user reads
 * out ("click H2"), so they begin the button's name as well (WCAG 2.5.3, Label in Name); ¶ and
 * • are pictures of the format, not words, and the name is the label alone.
 */
const toolGlyph: Record<Tool['key'], { glyph: string; spoken: boolean }> = {
  paragraph: { glyph: '¶', spoken: false },
  heading2: { glyph: 'H2', spoken: true },
  heading3: { glyph: 'H3', spoken: true },
  bold: { glyph: 'B', spoken: true },
  italic: { glyph: 'I', spoken: true },
  bulletList: { glyph: '•', spoken: false },
  orderedList: { glyph: '1.', spoken: true },
}

type Props = {
  editor: Editor
  /** The element that Esc in the editor moves focus to (the toolbar's current button). */
  focusTargetRef: RefObject<HTMLDivElement | null>
  /** The chair locks and unlocks paragraphs as agreed text. */
  canLockBlocks?: boolean
}

/**
 * The formatting toolbar: one tab stop, arrow keys move between buttons (the WAI-ARIA toolbar
 * pattern), and every button says what it does and whether it is on.
 */
export function Toolbar({ editor, focusTargetRef, canLockBlocks = false }: Props) {
  const { t } = useTranslation()
  const [focusIndex, setFocusIndex] = useState(0)
  const buttons = useRef<(HTMLButtonElement | null)[]>([])
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      active: tools.map((tool) => tool.active(current)),
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
      lockTarget: lockTarget(current.state) !== null,
      blockLocked: (() => {
        const target = lockTarget(current.state)
        return target !== null && isLockedBlock(target.node)
      })(),
    }),
  })

  const count = tools.length + 2 + (canLockBlocks ? 1 : 0)
  const move = (index: number): void => {
    const next = (index + count) % count
    setFocusIndex(next)
    buttons.current[next]?.focus()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'ArrowRight') move(focusIndex + 1)
    else if (event.key === 'ArrowLeft') move(focusIndex - 1)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(count - 1)
    else if (event.key === 'Escape') editor.commands.focus()
    else return
    event.preventDefault()
  }
  const buttonProps = (index: number) => ({
    ref: (element: HTMLButtonElement | null) => {
      buttons.current[index] = element
    },
    tabIndex: index === focusIndex ? 0 : -1,
    onFocus: () => setFocusIndex(index),
    // Keep the editor's selection: a click must not move focus out of the text first.
    onMouseDown: (event: { preventDefault: () => void }) => event.preventDefault(),
  })

  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label={t('toolbar.label')}
      aria-controls="answer-editor"
      onKeyDown={onKeyDown}
      ref={focusTargetRef}
    >
      {tools.map((tool, index) => {
        const label = t(`toolbar.${tool.key}`)
        const { glyph, spoken } = toolGlyph[tool.key]
        return (
          <button
            key={tool.key}
            type="button"
            className={`toolbar__button toolbar__button--${tool.key}`}
            aria-label={spoken ? `${glyph} ${label}` : label}
            aria-pressed={state.active[index] ?? false}
            aria-keyshortcuts={tool.shortcut.replace('Ctrl', 'Control')}
            title={`${label} (${tool.shortcut})`}
            onClick={() => tool.run(editor)}
            {...buttonProps(index)}
          >
            <span aria-hidden="true">{glyph}</span>
          </button>
        )
      })}
      <span className="toolbar__separator" aria-hidden="true" />
      {(['undo', 'redo'] as const).map((action, offset) => {
        const index = tools.length + offset
        const enabled = action === 'undo' ? state.canUndo : state.canRedo
        const label = t(`toolbar.${action}`)
        const shortcut = action === 'undo' ? 'Ctrl+Z' : 'Ctrl+Y'
        return (
          <button
            key={action}
            type="button"
            className={`toolbar__button toolbar__button--${action}`}
            aria-label={label}
            // aria-disabled, not disabled: the button stays reachable with the arrow keys.
            aria-disabled={!enabled}
            aria-keyshortcuts={shortcut.replace('Ctrl', 'Control')}
            title={`${label} (${shortcut})`}
            onClick={() => {
              if (!enabled) return
              if (action === 'undo') editor.chain().focus().undo().run()
              else editor.chain().focus().redo().run()
            }}
            {...buttonProps(index)}
          >
            <span aria-hidden="true">{action === 'undo' ? '↶' : '↷'}</span>
          </button>
        )
      })}
      {canLockBlocks ? (
        <>
          <span className="toolbar__separator" aria-hidden="true" />
          <button
            type="button"
            className="toolbar__button toolbar__button--lock"
            data-testid="lock-paragraph"
            aria-label={t('toolbar.lockParagraph')}
            aria-pressed={state.blockLocked}
            aria-disabled={!state.lockTarget}
            title={t('toolbar.lockParagraph')}
            onClick={() => {
              const tr = toggleBlockLock(editor.state)
              if (!tr) return
              editor.view.dispatch(tr)
              editor.commands.focus()
            }}
            {...buttonProps(tools.length + 2)}
          >
            <span aria-hidden="true">{state.blockLocked ? '🔒' : '🔓'}</span>
          </button>
        </>
      ) : null}
    </div>
  )
}
