import type {
  ComparedLine,
  ComparedSegment,
  Ministry,
  PersonRef,
  VersionComparison,
} from '@kartu/protocol'
import { type CSSProperties, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLanguage } from '../i18n/useLanguage.ts'
import { AuthorLabel } from './AuthorLabel.tsx'
import { describeChange } from './history/describeChange.ts'
import { ministryColor } from './review/reviewStyles.ts'

/** Wide enough for two columns of answer text side by side. */
const SIDE_BY_SIDE_QUERY = '(min-width: 1100px)'

function useWideScreen(): boolean {
  const [wide, setWide] = useState(() => window.matchMedia(SIDE_BY_SIDE_QUERY).matches)
  useEffect(() => {
    const query = window.matchMedia(SIDE_BY_SIDE_QUERY)
    const changed = () => setWide(query.matches)
    query.addEventListener('change', changed)
    return () => query.removeEventListener('change', changed)
  }, [])
  return wide
}

/**
 * Two versions of the answer compared word by word (server: history/versionCompare.ts): words
 * inserted are underlined, words deleted struck through, formatting changes dotted; each in the
 * colour of the ministry that made it, and named in words too (tooltip and screen reader), so
 * that colour is never the only cue. Inline, or side by side on wide screens.
 */
export function VersionCompare({
  comparison,
  title,
  ministries,
  headingRef,
}: {
  comparison: VersionComparison
  title: string
  ministries: readonly Ministry[]
  /** For a link that leads to this comparison: the heading is focusable and handed over. */
  headingRef?: (node: HTMLHeadingElement | null) => void
}) {
  const { t } = useTranslation()
  const wide = useWideScreen()
  const [sideBySideChosen, setSideBySide] = useState<boolean | null>(null)
  const sideBySide = wide && (sideBySideChosen ?? true)
  const people = changesByPerson(comparison)
  const [shown, setShown] = useState<ReadonlySet<number>>(new Set())
  const runs = linesInRuns(comparison.lines, shown)
  const show = (start: number) => setShown((before) => new Set([...before, start]))
  return (
    <article className="version-compare" aria-label={title} data-testid="version-compare">
      <h3
        className="version-text__title"
        ref={headingRef}
        tabIndex={headingRef ? -1 : undefined}
        data-testid="compare-title"
      >
        {title}
      </h3>
      {comparison.changes.length === 0 ? (
        <p className="versions__empty" data-testid="compare-empty">
          {t('versions.noChanges')}
        </p>
      ) : (
        <ul className="version-compare__people" data-testid="compare-people">
          {people.map(({ person, count }) => (
            <li key={person?.userId ?? ''}>
              {person ? (
                <AuthorLabel author={person} ministries={ministries} />
              ) : (
                t('versions.someone')
              )}
              {': '}
              {t('versions.summaryChanges', { count })}
            </li>
          ))}
        </ul>
      )}
      {wide ? (
        <label className="version-compare__switch">
          <input
            type="checkbox"
            checked={sideBySide}
            onChange={(event) => setSideBySide(event.target.checked)}
            data-testid="compare-side-by-side"
          />{' '}
          {t('versions.sideBySide')}
        </label>
      ) : null}
      {sideBySide ? (
        <div className="version-compare__columns" data-testid="compare-columns">
          <p className="version-compare__column-title">{t('versions.before')}</p>
          <p className="version-compare__column-title">{t('versions.after')}</p>
          {runs.map((run) =>
            run.hidden ? (
              <UnchangedRun
                key={run.start}
                count={run.lines.length}
                onShow={() => show(run.start)}
              />
            ) : (
              run.lines.map(({ line, number }) => (
                <LinePair key={number} line={line} ministries={ministries} />
              ))
            ),
          )}
        </div>
      ) : (
        <div className="version-compare__inline" data-testid="compare-inline">
          {runs.map((run) =>
            run.hidden ? (
              <UnchangedRun
                key={run.start}
                count={run.lines.length}
                onShow={() => show(run.start)}
              />
            ) : (
              run.lines.map(({ line, number }) => (
                <Line key={number} line={line} ministries={ministries} show="both" />
              ))
            ),
          )}
        </div>
      )}
    </article>
  )
}

/** Unchanged paragraphs shown around each change: enough to see where it is. */
const CONTEXT_LINES = 1

/** Lines numbered in the comparison: a fixed list, whose order is their identity. */
type NumberedLine = { line: ComparedLine; number: number }

type Run = { start: number; lines: NumberedLine[]; hidden: boolean }

function isChanged(line: ComparedLine): boolean {
  return line.state !== 'same' || line.segments.some((segment) => segment.kind !== 'same')
}

/**
 * The lines in runs: the changed ones with their context, and the unchanged stretches between
 * them folded (a long answer with one changed word shows that word, not three screens of text),
 * unless the reader unfolded them (`shown`, by the run's first line).
 */
function linesInRuns(lines: readonly ComparedLine[], shown: ReadonlySet<number>): Run[] {
  const near = lines.map(() => false)
  lines.forEach((line, index) => {
    if (!isChanged(line)) return
    for (let i = index - CONTEXT_LINES; i <= index + CONTEXT_LINES; i++) {
      if (i >= 0 && i < lines.length) near[i] = true
    }
  })
  const runs: Run[] = []
  lines.forEach((line, index) => {
    const hidden = !near[index]
    const last = runs[runs.length - 1]
    const numbered = { line, number: index }
    if (last && last.hidden === hidden) last.lines.push(numbered)
    else runs.push({ start: index, lines: [numbered], hidden })
  })
  // A fold of one line hides nothing worth a button; an unfolded run is shown.
  return runs.map((run) =>
    run.hidden && (run.lines.length === 1 || shown.has(run.start))
      ? { ...run, hidden: false }
      : run,
  )
}

/** A folded stretch of unchanged paragraphs, unfolded on request. */
function UnchangedRun({ count, onShow }: { count: number; onShow: () => void }) {
  const { t } = useTranslation()
  return (
    <button
      type="button"
      className="version-compare__fold"
      onClick={onShow}
      data-testid="compare-fold"
    >
      {t('versions.unchanged', { count })}
    </button>
  )
}

function changesByPerson(
  comparison: VersionComparison,
): Array<{ person: PersonRef | null; count: number }> {
  const byPerson = new Map<string, { person: PersonRef | null; count: number }>()
  for (const change of comparison.changes) {
    const key = change.author?.userId ?? ''
    const entry = byPerson.get(key)
    if (entry) entry.count++
    else byPerson.set(key, { person: change.author, count: 1 })
  }
  return [...byPerson.values()].sort((a, b) => b.count - a.count)
}

/** One line in both columns: the old text on the left, the new on the right. */
function LinePair({ line, ministries }: { line: ComparedLine; ministries: readonly Ministry[] }) {
  return (
    <>
      {line.state === 'insert' ? (
        <div className="diff-line diff-line--absent" aria-hidden="true" />
      ) : (
        <Line line={line} ministries={ministries} show="before" />
      )}
      {line.state === 'delete' ? (
        <div className="diff-line diff-line--absent" aria-hidden="true" />
      ) : (
        <Line line={line} ministries={ministries} show="after" />
      )}
    </>
  )
}

function Line({
  line,
  ministries,
  show,
}: {
  line: ComparedLine
  ministries: readonly Ministry[]
  show: 'both' | 'before' | 'after'
}) {
  const segments = line.segments.filter(
    (segment) =>
      !(show === 'before' && segment.kind === 'insert') &&
      !(show === 'after' && segment.kind === 'delete'),
  )
  const classes = [
    'diff-line',
    `diff-line--${line.block}`,
    line.state === 'same' ? '' : `diff-line--${line.state}`,
    line.list ? `diff-line--${line.list}` : '',
  ]
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      style={{ '--diff-depth': line.depth } as CSSProperties}
      data-testid="compare-line"
      data-state={line.state}
    >
      {line.list ? (
        <span className="diff-line__bullet" aria-hidden="true">
          {line.list === 'bullet' ? '•' : '–'}
        </span>
      ) : null}
      {segments.length === 0 ? '\u00a0' : null}
      {segments.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the runs of a fixed line
        <Segment key={index} segment={segment} ministries={ministries} />
      ))}
    </div>
  )
}

function Segment({
  segment,
  ministries,
}: {
  segment: ComparedSegment
  ministries: readonly Ministry[]
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const kind = segment.kind
  if (kind === 'same') return <>{segment.text}</>
  const description = describeChange({ ...segment, kind }, t, language, ministries)
  const style = {
    '--author-color': ministryColor(segment.author?.ministryId, ministries),
  } as CSSProperties
  const content = (
    <>
      <span className="visually-hidden">[{description}] </span>
      {segment.text}
    </>
  )
  const common = {
    title: description,
    style,
    'data-author': segment.author?.userId ?? '',
    'data-kind': segment.kind,
    'data-testid': 'compare-change',
  }
  if (segment.kind === 'insert')
    return (
      <ins className="diff-change diff-change--insert" {...common}>
        {content}
      </ins>
    )
  if (segment.kind === 'delete')
    return (
      <del className="diff-change diff-change--delete" {...common}>
        {content}
      </del>
    )
  return (
    <span className="diff-change diff-change--format" {...common}>
      {content}
    </span>
  )
}
