import { getAnswerSchema, MarkName } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import { collectMarkRanges, threadAnchors } from './markRanges.ts'
import { panelEntries } from './panelEntries.ts'
import { reviewCss } from './reviewStyles.ts'
import type { SuggestionGroup, SuggestionView } from './suggestions.ts'
import type { ThreadView } from './threads.ts'

const schema = getAnswerSchema()

function mark(name: MarkName, attrs: Record<string, string>) {
  const type = schema.marks[name]
  if (!type) throw new Error(`no mark ${name}`)
  return type.create(attrs)
}

describe('collectMarkRanges', () => {
  it('joins the pieces of one mark split by other marks, in document order', () => {
    const bold = schema.marks.bold
    if (!bold) throw new Error('no bold')
    const comment = mark(MarkName.Comment, { threadId: 't1' })
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [
        schema.text('Ab', [comment]),
        schema.text('cd', [bold.create(), comment]),
        schema.text(' x '),
        schema.text('yz', [mark(MarkName.Insertion, { id: 's1' })]),
      ]),
      schema.node('paragraph', null, [schema.text('again', [comment])]),
    ])
    expect(collectMarkRanges(doc, [MarkName.Comment])).toEqual([
      { id: 't1', markName: 'comment', from: 1, to: 5, text: 'Abcd' },
      { id: 't1', markName: 'comment', from: 12, to: 17, text: 'again' },
    ])
    expect(threadAnchors(doc).get('t1')?.from).toBe(1)
    expect(collectMarkRanges(doc, [MarkName.Insertion]).map((range) => range.id)).toEqual(['s1'])
  })
})

const suggestion = (id: string, from: number): SuggestionView => ({
  id,
  shape: 'insert',
  kind: 'insert',
  inserted: 'x',
  deleted: '',
  from,
  to: from + 1,
  spans: [],
  createdAt: 1,
  author: { userId: 'u', name: 'U', ministryId: 'KP2MI' },
  mine: false,
  hasMeta: true,
  text: '',
  format: null,
})

const thread = (id: string, from: number | null, resolved = false): ThreadView =>
  ({
    id,
    quote: 'q',
    createdAt: 1,
    resolved,
    resolvedBy: null,
    mentions: [],
    comments: [],
    author: null,
    mine: false,
    anchor: from === null ? null : { id, markName: 'comment', from, to: from + 1, text: 'q' },
    suggestionId: null,
    map: null,
  }) as unknown as ThreadView

describe('panelEntries', () => {
  const groups: SuggestionGroup[] = [
    { key: 's1', suggestions: [suggestion('s1', 10)] },
    { key: 's2', suggestions: [suggestion('s2', 30), suggestion('s3', 28)] },
  ]
  const threads = [thread('t1', 20), thread('t2', 5, true), thread('orphan', null)]
  const all = { suggestions: true, openThreads: true, resolvedThreads: true }

  it('merges suggestions and threads in document order, orphans last', () => {
    expect(panelEntries(groups, threads, all).map((entry) => entry.key)).toEqual([
      't:t2',
      's:s1',
      't:t1',
      's:s2',
      't:orphan',
    ])
  })

  it('leaves a pending suggestion’s thread to the suggestion, and lists it once decided', () => {
    const onPending = { ...thread('on-s1', null), suggestionId: 's1' }
    const onDecided = { ...thread('on-gone', null, true), suggestionId: 'gone' }
    expect(
      panelEntries(groups, [...threads, onPending, onDecided], all).map((entry) => entry.key),
    ).toEqual(['t:t2', 's:s1', 't:t1', 's:s2', 't:orphan', 't:on-gone'])
  })

  it('filters by kind', () => {
    expect(
      panelEntries(groups, threads, { ...all, suggestions: false, resolvedThreads: false }).map(
        (entry) => entry.key,
      ),
    ).toEqual(['t:t1', 't:orphan'])
  })
})

describe('reviewCss', () => {
  it("colours each suggestion by its author's ministry and writes only safe ids", () => {
    const ministries = [
      { id: 'KP2MI', short: 'KP2MI', nameId: '', nameEn: '', aliases: [], color: '#B34700' },
    ]
    const css = reviewCss(
      '.scope',
      [suggestion('ok-1', 1), suggestion('bad"]{}*{x', 2)],
      [thread('t-1', 3, true)],
      ministries,
      { suggestionId: 'ok-1', threadId: 'x"' },
    )
    // Marks, joined blocks and retyped blocks of the suggestion alike.
    expect(css).toContain(
      '.scope :is([data-suggestion-id="ok-1"],[data-join-suggestion="ok-1"],[data-format-suggestion="ok-1"]){--suggestion-color:#B34700}',
    )
    expect(css).toContain('[data-thread-id="t-1"]{--comment-bg:transparent')
    expect(css).toContain('outline:3px solid')
    expect(css).not.toContain('bad')
    expect(css).not.toContain('x"')
  })
})
