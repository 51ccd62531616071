/**
 * The DOM of one refused piece inside the answer: marked by a dashed outline and an icon, not by
 * colour alone, named for screen readers, with its three buttons. Built with textContent only
 * (the text is the person's own, but never markup).
 */
import i18next from 'i18next'
import type { RefusedPiece } from '../../sync/refusedStore.ts'

export const PieceAction = {
  /** Re-apply it on the fresh document as a suggestion. */
  Send: 'send',
  /** The text as typed, to the clipboard. */
  Copy: 'copy',
  Discard: 'discard',
} as const
export type PieceAction = (typeof PieceAction)[keyof typeof PieceAction]

/** The widget's words, in the page's language; the labels name the piece (shortened). */
export type WidgetText = {
  readonly language: string
  readonly label: (text: string) => string
  readonly send: string
  readonly sendLabel: (text: string) => string
  readonly copy: string
  readonly copyLabel: (text: string) => string
  readonly discard: string
  readonly discardLabel: (text: string) => string
}

/** The widgets' words in the page's language, read whenever they are drawn. */
export function widgetText(): WidgetText {
  const t = i18next.t.bind(i18next)
  return {
    language: i18next.language,
    label: (text) => t('refused.label', { text }),
    send: t('refused.send'),
    sendLabel: (text) => t('refused.sendLabel', { text }),
    copy: t('refused.copy'),
    copyLabel: (text) => t('refused.copyLabel', { text }),
    discard: t('refused.discard'),
    discardLabel: (text) => t('refused.discardLabel', { text }),
  }
}

const SVG = 'http://www.w3.org/2000/svg'

/** A triangle with an exclamation mark, in the text's colour: the mark does not rest on colour. */
function icon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', '0 0 16 16')
  svg.setAttribute('width', '16')
  svg.setAttribute('height', '16')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  svg.classList.add('refused-piece__icon')
  const path = document.createElementNS(SVG, 'path')
  path.setAttribute('d', 'M8 1.5 15 14.5H1Z')
  path.setAttribute('fill', 'none')
  path.setAttribute('stroke', 'currentColor')
  path.setAttribute('stroke-width', '1.6')
  path.setAttribute('stroke-linejoin', 'round')
  const mark = document.createElementNS(SVG, 'path')
  mark.setAttribute('d', 'M8 6v4.2M8 11.8v.9')
  mark.setAttribute('stroke', 'currentColor')
  mark.setAttribute('stroke-width', '1.8')
  mark.setAttribute('stroke-linecap', 'round')
  svg.append(path, mark)
  return svg
}

/** The piece as it is named to a screen reader: at most 60 characters of it. */
export function shortened(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= 60 ? flat : `${flat.slice(0, 57)}…`
}

export function refusedWidget(
  piece: RefusedPiece,
  canSuggest: boolean,
  words: WidgetText,
  onAction: (pieceId: string, action: PieceAction) => void,
): () => HTMLElement {
  return () => {
    const root = document.createElement('span')
    root.className = piece.block ? 'refused-piece refused-piece--block' : 'refused-piece'
    root.contentEditable = 'false'
    root.setAttribute('role', 'group')
    root.setAttribute('aria-label', words.label(shortened(piece.text)))
    root.dataset.testid = 'refused-piece'
    root.dataset.pieceId = piece.id
    root.dataset.code = piece.code

    // The mark (outline, icon, text) is the refused text; the buttons follow it.
    const mark = document.createElement('span')
    mark.className = 'refused-piece__mark'
    const text = document.createElement('span')
    text.className = 'refused-piece__text'
    text.dataset.testid = 'refused-text'
    text.textContent = piece.text
    mark.append(icon(), text)

    const actions = document.createElement('span')
    actions.className = 'refused-piece__actions'
    const button = (
      action: PieceAction,
      label: string,
      name: (text: string) => string,
      enabled = true,
    ) => {
      const element = document.createElement('button')
      element.type = 'button'
      element.className = `refused-piece__action refused-piece__action--${action}`
      element.dataset.testid = `refused-${action}`
      element.textContent = label
      element.setAttribute('aria-label', name(shortened(piece.text)))
      if (!enabled) element.disabled = true
      // Keep the editor's selection: the click acts, it does not move the caret first.
      element.addEventListener('mousedown', (event) => event.preventDefault())
      element.addEventListener('click', () => onAction(piece.id, action))
      return element
    }
    actions.append(
      button(PieceAction.Send, words.send, words.sendLabel, canSuggest),
      button(PieceAction.Copy, words.copy, words.copyLabel),
      button(PieceAction.Discard, words.discard, words.discardLabel),
    )
    root.append(mark, actions)
    return root
  }
}
