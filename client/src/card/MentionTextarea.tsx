import type { Ministry } from '@kartu/protocol'
import { UserRound } from 'lucide-react'
import { type KeyboardEvent, type RefObject, useId, useLayoutEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ICON } from '../app/icons.ts'
import { ministryName } from '../app/localized.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { useLanguage } from '../i18n/useLanguage.ts'
import {
  completeMention,
  completePersonMention,
  type MentionQuery,
  matchMinistries,
  mentionQueryAt,
} from './review/mentions.ts'
import { isWholeName, type MentionPerson, matchPeople } from './review/personMentions.ts'

type Props = {
  value: string
  onChange: (value: string) => void
  /** Ctrl+Enter (or Cmd+Enter). */
  onSubmit: () => void
  onCancel?: () => void
  ministries: readonly Ministry[]
  /** The deck's members, offered after the ministries (none while they load). */
  members: readonly MentionPerson[]
  label: string
  testId: string
  inputRef?: RefObject<HTMLTextAreaElement | null>
  rows?: number
  describedBy?: string
}

const MAX_OPTIONS = 8

/** What the list offers: a ministry, or a member of the deck (mentioned by full name). */
type MentionOption =
  | { kind: 'ministry'; key: string; ministry: Ministry }
  | { kind: 'person'; key: string; person: MentionPerson }

/**
 * Ministries first (a mention of a ministry reaches all its people and marks the card on its
 * dashboard), then people, up to MAX_OPTIONS in all.
 */
function mentionOptions(
  mention: MentionQuery | null,
  ministries: readonly Ministry[],
  people: readonly MentionPerson[],
): MentionOption[] {
  if (!mention) return []
  const options: MentionOption[] = matchMinistries(mention.query, ministries)
    .slice(0, MAX_OPTIONS)
    .map((ministry) => ({ kind: 'ministry', key: `ministry:${ministry.id}`, ministry }))
  for (const person of matchPeople(mention.query, people).slice(0, MAX_OPTIONS - options.length)) {
    options.push({ kind: 'person', key: `person:${person.userId}`, person })
  }
  return options
}

/** A name typed out in full, as the server reads it: nothing is left to pick. */
function isTypedOut(option: MentionOption, query: string): boolean {
  if (option.kind === 'person') return isWholeName(query, option.person)
  const { ministry } = option
  return [ministry.short, ministry.id, ...ministry.aliases].some(
    (name) => name.toLowerCase() === query.toLowerCase(),
  )
}

/**
 * A comment field where typing "@" offers the deck's ministries (by short name, id or alias) and
 * its members (by any word of their name) as a listbox: the WAI-ARIA combobox pattern, arrows to
 * move, Enter or Tab to pick, Esc to close.
 */
export function MentionTextarea({
  value,
  onChange,
  onSubmit,
  onCancel,
  ministries,
  members,
  label,
  testId,
  inputRef,
  rows = 3,
  describedBy,
}: Props) {
  const { t } = useTranslation()
  const language = useLanguage()
  const id = useId()
  const ownRef = useRef<HTMLTextAreaElement>(null)
  const ref = inputRef ?? ownRef
  const listId = `${id}-mentions`
  const [caret, setCaret] = useState(0)
  const [active, setActive] = useState(0)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [focused, setFocused] = useState(false)
  // Where a picked name ended (its space typed for the person): a space typed right there is
  // that space, not a second one.
  const completedAt = useRef<number | null>(null)
  // Where the caret goes once the field shows the text with the picked name. Placed in a layout
  // effect, right after React writes the new value and before the browser reads another key: a
  // caret placed on the next animation frame came too late for a fast typist (the letter typed
  // first landed at the end, and the caret then jumped back before it).
  const pendingCaret = useRef<{ text: string; caret: number } | null>(null)
  useLayoutEffect(() => {
    const pending = pendingCaret.current
    if (!pending || value !== pending.text) return
    pendingCaret.current = null
    ref.current?.setSelectionRange(pending.caret, pending.caret)
  })
  const mention = mentionQueryAt(value, caret)
  const options = mentionOptions(mention, ministries, members)
  // A name typed out in full has nothing left to pick: the list would only stand over the
  // field's buttons (it opens below the field).
  const typedOut = mention !== null && options.some((option) => isTypedOut(option, mention.query))
  const open =
    focused && mention !== null && options.length > 0 && !typedOut && dismissedAt !== mention.start
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0))

  const choose = (option: MentionOption): void => {
    if (!mention) return
    const next =
      option.kind === 'ministry'
        ? completeMention(value, mention, caret, option.ministry)
        : completePersonMention(value, mention, caret, {
            id: option.person.userId,
            name: option.person.name,
          })
    onChange(next.text)
    setCaret(next.caret)
    completedAt.current = next.caret
    setActive(0)
    // This mention is complete: offer no more names for it.
    setDismissedAt(mention.start)
    pendingCaret.current = { text: next.text, caret: next.caret }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    const completed = completedAt.current
    completedAt.current = null
    if (
      event.key === ' ' &&
      completed !== null &&
      event.currentTarget.selectionStart === completed &&
      event.currentTarget.selectionEnd === completed &&
      value[completed - 1] === ' '
    ) {
      event.preventDefault()
      return
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      onSubmit()
      return
    }
    if (!open) {
      if (event.key === 'Escape' && onCancel) {
        event.preventDefault()
        onCancel()
      }
      return
    }
    const option = options[activeIndex]
    if (event.key === 'ArrowDown') setActive((activeIndex + 1) % options.length)
    else if (event.key === 'ArrowUp') setActive((activeIndex - 1 + options.length) % options.length)
    else if ((event.key === 'Enter' || event.key === 'Tab') && option) {
      choose(option)
    } else if (event.key === 'Escape') setDismissedAt(mention?.start ?? null)
    else return
    event.preventDefault()
  }

  const track = (element: HTMLTextAreaElement): void => setCaret(element.selectionStart)

  return (
    <div className="mention-input">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        ref={ref}
        data-testid={testId}
        rows={rows}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${activeIndex}` : undefined}
        aria-describedby={describedBy}
        placeholder={label}
        onChange={(event) => {
          onChange(event.target.value)
          track(event.target)
        }}
        onSelect={(event) => track(event.currentTarget)}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onClick={(event) => track(event.currentTarget)}
        onKeyDown={onKeyDown}
      />
      <div
        id={listId}
        role="listbox"
        className="mention-input__options"
        aria-label={t('comments.mentionOptions')}
        hidden={!open}
      >
        {open
          ? options.map((option, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the textarea handles the keys (combobox)
              <div
                key={option.key}
                tabIndex={-1}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === activeIndex}
                className={`mention-input__option mention-input__option--${option.kind}`}
                data-testid="mention-option"
                data-ministry-id={option.kind === 'ministry' ? option.ministry.id : undefined}
                data-person-id={option.kind === 'person' ? option.person.userId : undefined}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(option)}
              >
                {option.kind === 'ministry' ? (
                  <>
                    <MinistryBadge ministryId={option.ministry.id} ministries={ministries} />
                    <span>{ministryName(option.ministry, language)}</span>
                  </>
                ) : (
                  // A person: the icon tells them apart from the ministries above at a glance.
                  <>
                    <UserRound {...ICON} />
                    <span>{option.person.name}</span>
                    <MinistryBadge ministryId={option.person.ministryId} ministries={ministries} />
                  </>
                )}
              </div>
            ))
          : null}
      </div>
    </div>
  )
}
