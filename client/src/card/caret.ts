/**
 * The DOM of a collaborator's caret: "Name · Ministry" in the ministry's colour. Built with
 * textContent only, since names come from other clients.
 */
import type { Ministry } from '@kartu/protocol'
import { neutralColor, safeColor, textColorOn } from '../app/colors.ts'

type CaretUser = Record<string, unknown>

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/**
 * CollaborationCaret passes the awareness `user` with `color` replaced by 'transparent' unless it
 * is #rrggbb; then the deck's colour for the user's ministry is used.
 */
export function createCaretRenderer(ministries: readonly Ministry[]) {
  return (user: CaretUser): HTMLElement => {
    const ministryId = text(user.ministryId)
    const fromDeck = ministries.find((ministry) => ministry.id === ministryId)?.color
    const claimed = text(user.color)
    const color =
      claimed && claimed !== 'transparent'
        ? safeColor(claimed)
        : fromDeck
          ? safeColor(fromDeck)
          : neutralColor
    const name = text(user.name) || '?'
    const ministry = text(user.ministry)

    const caret = document.createElement('span')
    caret.classList.add('collaboration-carets__caret')
    // Found by recentCarets.ts, which shows the label while this person moves or types.
    caret.dataset.userId = text(user.id)
    caret.style.borderColor = color
    const label = document.createElement('div')
    label.classList.add('collaboration-carets__label')
    label.style.backgroundColor = color
    label.style.color = textColorOn(color)
    label.textContent = ministry ? `${name} · ${ministry}` : name
    caret.append(label)
    return caret
  }
}
