import type { Ministry } from '@kartu/protocol'
import { MarkName } from '@kartu/schema'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { type RefObject, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatTime } from '../app/formatTime.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import type { SuggestionView } from './review/suggestions.ts'

type Props = {
  editor: Editor
  frameRef: RefObject<HTMLDivElement | null>
  suggestions: readonly SuggestionView[]
  ministries: readonly Ministry[]
}

/** Which suggestion the tooltip is about (pointed at, or under the caret). */
type Placement = { id: string }

/** The suggestion at the caret, when the editor has the keyboard focus. */
function caretSuggestion(editor: Editor): { id: string; pos: number } | null {
  if (!editor.isFocused) return null
  const { $head } = editor.state.selection
  for (const mark of [...($head.nodeAfter?.marks ?? []), ...($head.nodeBefore?.marks ?? [])]) {
    const name = mark.type.name
    const id: unknown = mark.attrs.id
    const review =
      name === MarkName.Insertion || name === MarkName.Deletion || name === MarkName.FormatChange
    if (review && typeof id === 'string') {
      return { id, pos: $head.pos }
    }
  }
  return null
}

const idSelector = (element: EventTarget | null): HTMLElement | null =>
  element instanceof Element ? element.closest<HTMLElement>('[data-suggestion-id]') : null

/**
 * Who suggested what and when: shown on hover over a suggestion, and when the caret moves into
 * one with the keyboard (then also announced to screen readers). Drawn in the editor's sticky
 * bar, which stays in view above the text: over the text it covered the words around the
 * suggestion, which are what the reader is looking at.
 */
export function SuggestionTooltip({ editor, frameRef, suggestions, ministries }: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const [hover, setHover] = useState<Placement | null>(null)
  const caret = useEditorState({
    editor,
    selector: ({ editor: current }) => caretSuggestion(current),
  })

  useEffect(() => {
    const frame = frameRef.current
    if (!frame) return
    const onOver = (event: MouseEvent): void => {
      const element = idSelector(event.target)
      const id = element?.dataset.suggestionId
      if (!element || !id || !frame.contains(element)) return
      setHover({ id })
    }
    const onOut = (event: MouseEvent): void => {
      if (idSelector(event.relatedTarget) === null) setHover(null)
    }
    frame.addEventListener('mouseover', onOver)
    frame.addEventListener('mouseout', onOut)
    return () => {
      frame.removeEventListener('mouseover', onOver)
      frame.removeEventListener('mouseout', onOut)
    }
  }, [frameRef])

  const placement: Placement | null = hover ?? (caret ? { id: caret.id } : null)
  const shown = placement
    ? suggestions.find((suggestion) => suggestion.id === placement.id)
    : undefined
  const caretShown = caret
    ? suggestions.find((suggestion) => suggestion.id === caret.id)
    : undefined
  const describe = (suggestion: SuggestionView): string =>
    t('review.tooltip', {
      kind: t(`review.shape.${suggestion.shape}`),
      author: suggestion.author
        ? `${suggestion.author.name} · ${ministries.find((m) => m.id === suggestion.author?.ministryId)?.short ?? suggestion.author.ministryId}`
        : t('review.unknownAuthor'),
      time: suggestion.createdAt === null ? '' : formatTime(suggestion.createdAt, language),
    })

  return (
    <>
      {shown && placement ? (
        <div
          className="suggestion-tooltip"
          role="tooltip"
          data-testid="suggestion-tooltip"
          data-suggestion-id={shown.id}
        >
          <strong>{t(`review.shape.${shown.shape}`)}</strong>
          <AuthorLabel author={shown.author} ministries={ministries} />
          {shown.createdAt === null ? null : (
            <time dateTime={new Date(shown.createdAt).toISOString()}>
              {formatTime(shown.createdAt, language)}
            </time>
          )}
        </div>
      ) : null}
      <p className="visually-hidden" role="status">
        {caretShown ? describe(caretShown) : ''}
      </p>
    </>
  )
}
