import type { SearchHit } from '@kartu/protocol'
import { Search, X } from 'lucide-react'
import { useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ICON } from '../app/icons.ts'
import { useDebouncedValue } from '../app/useDebouncedValue.ts'
import { snippetSegments } from './searchSnippet.ts'
import { useDeckSearch } from './useWorkList.ts'

/** Typing asks the server once it pauses this long. */
const DEBOUNCE_MS = 250

/** Fewer characters than this ask nothing (the server would match half the deck). */
const MIN_LENGTH = 2

type Props = {
  deckId: string
  /** The words the page's address held when it loaded. */
  initialWords: string
  /** The words once typing paused: the page keeps them in its address. */
  onWordsSettled: (words: string) => void
}

/** Search over the deck's questions and answers; each hit links to its card. */
export function DeckSearch({ deckId, initialWords, onWordsSettled }: Props) {
  const { t } = useTranslation()
  const inputId = useId()
  const hintId = useId()
  const input = useRef<HTMLInputElement>(null)
  const [words, setWords] = useState(initialWords)
  const settled = useDebouncedValue(words, DEBOUNCE_MS).trim()
  const search = useDeckSearch(deckId, settled)
  const active = settled.length >= MIN_LENGTH

  const report = useRef(onWordsSettled)
  report.current = onWordsSettled
  useEffect(() => {
    report.current(settled)
  }, [settled])

  const hits = active && search.data && !search.isPlaceholderData ? search.data.hits : null
  let summary = ''
  if (active) {
    if (search.error && !search.data) {
      summary = t('workList.search.failed', { message: search.error.message })
    } else if (hits === null) {
      summary = t('workList.search.searching')
    } else if (hits.length === 0) {
      summary = t('workList.search.none', { query: settled })
    } else {
      summary = t('workList.search.results', { count: hits.length, query: settled })
    }
  }

  const clear = () => {
    setWords('')
    input.current?.focus()
  }

  return (
    <search className="deck-search" data-testid="deck-search">
      <label htmlFor={inputId} className="deck-search__label">
        {t('workList.search.label')}
      </label>
      <div className="deck-search__field">
        <Search {...ICON} className="deck-search__icon" />
        <input
          ref={input}
          id={inputId}
          type="search"
          className="deck-search__input"
          value={words}
          onChange={(event) => setWords(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && words !== '') {
              // The browser's own Escape clears a search field in some engines only.
              event.preventDefault()
              setWords('')
            }
          }}
          aria-describedby={hintId}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          data-testid="deck-search-input"
        />
        {words === '' ? null : (
          <button
            type="button"
            className="button button--quiet deck-search__clear"
            onClick={clear}
            aria-label={t('workList.search.clear')}
            title={t('workList.search.clear')}
          >
            <X {...ICON} />
          </button>
        )}
      </div>
      <p id={hintId} className="form__hint">
        {t('workList.search.hint')}
      </p>
      <p
        className={
          search.error && active ? 'deck-search__summary form__error' : 'deck-search__summary'
        }
        role="status"
        data-testid="deck-search-summary"
      >
        {summary}
      </p>
      {hits && hits.length > 0 ? (
        <ol className="search-hits" aria-label={t('workList.search.title')}>
          {hits.map((hit) => (
            <SearchHitItem key={`${hit.cardId}:${hit.field}`} hit={hit} />
          ))}
        </ol>
      ) : null}
    </search>
  )
}

function SearchHitItem({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation()
  return (
    <li className="search-hit" data-testid="search-hit" data-card-id={hit.cardId}>
      <Link className="search-hit__link" to={`/cards/${encodeURIComponent(hit.cardId)}`}>
        <span className="search-hit__ref">{hit.ref}</span>
        <span className="search-hit__field">{t(`workList.search.field.${hit.field}`)}</span>
        <span className="search-hit__snippet" lang={hit.field === 'question' ? 'en' : undefined}>
          {snippetSegments(hit.snippet).map((segment, index) =>
            segment.mark ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: the runs of one snippet never move
              <mark key={index}>{segment.text}</mark>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: the runs of one snippet never move
              <span key={index}>{segment.text}</span>
            ),
          )}
        </span>
      </Link>
    </li>
  )
}
