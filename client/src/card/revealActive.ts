import type { Editor } from '@tiptap/core'
import type { ActiveItem } from './reviewActions.ts'

function selectorFor(item: ActiveItem): string {
  const id = CSS.escape(item.id)
  return item.kind === 'suggestion'
    ? `:is([data-suggestion-id="${id}"],[data-join-suggestion="${id}"],[data-format-suggestion="${id}"])`
    : `.comment-anchor[data-thread-id="${id}"]`
}

/**
 * Scrolls the active item's span into view, once per choice: returns the key of what has been
 * revealed, so that later renders (typing elsewhere) do not scroll back to it. An item whose span
 * is not rendered yet (a followed suggestion still on its way) is tried again on the next render.
 */
export function revealActive(
  editor: Editor,
  active: ActiveItem | null,
  revealed: string | null,
  _trigger?: unknown,
): string | null {
  if (!active) return null
  const key = `${active.kind}:${active.id}:${active.reveal ?? 0}`
  if (key === revealed || editor.isDestroyed) return revealed
  let element: Element | null = null
  try {
    element = editor.view.dom.querySelector(selectorFor(active))
  } catch {
    return revealed
  }
  if (!element) return revealed
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches
  element.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' })
  return key
}
