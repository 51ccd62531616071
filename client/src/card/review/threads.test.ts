import { AUTHORS_FIELD, type Author, ThreadField, threadProblem } from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { MarkRange } from './markRanges.ts'
import {
  addMentions,
  addReply,
  clipQuote,
  createThread,
  deleteComment,
  editComment,
  readThreads,
  replyToSuggestion,
  resolveSuggestionThreads,
  setResolved,
  threadsBySuggestion,
  threadsMap,
} from './threads.ts'

const ana: Author = { userId: 'u-ana', name: 'Ana', ministryId: 'KEMLU' }
const budi: Author = { userId: 'u-budi', name: 'Budi', ministryId: 'KP2MI' }
const chair: Author = { userId: 'u-chair', name: 'Ratna', ministryId: 'KEMENKO_POLKAM' }

function connect(docs: Y.Doc[]): void {
  for (const from of docs) {
    from.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return
      for (const to of docs) if (to !== from) Y.applyUpdate(to, update, 'remote')
    })
  }
}

function anchor(id: string, from: number): MarkRange {
  return { id, markName: 'comment', from, to: from + 3, text: 'abc' }
}

describe('threads', () => {
  it('reads threads with authors from clientIDs, replies, mentions and resolution', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const c = new Y.Doc()
    connect([a, b, c])
    // The server's record of who owns each clientID.
    a.getMap(AUTHORS_FIELD).set(String(a.clientID), ana)
    a.getMap(AUTHORS_FIELD).set(String(b.clientID), budi)
    a.getMap(AUTHORS_FIELD).set(String(c.clientID), chair)

    createThread(a, 't1', 'angka 45%', {
      commentId: 'c1',
      body: 'Sumber? @KP2MI',
      mentions: ['KP2MI'],
      now: 100,
    })
    const inB = threadsMap(b).get('t1') as Y.Map<unknown>
    addReply(inB, {
      commentId: 'c2',
      body: 'Data 2024, cc @Kemlu',
      mentions: ['KEMLU', 'KP2MI'],
      now: 200,
    })
    setResolved(threadsMap(c).get('t1') as Y.Map<unknown>, true)

    const [thread] = readThreads(a, new Map([['t1', anchor('t1', 5)]]), ana)
    expect(thread?.quote).toBe('angka 45%')
    expect(thread?.author).toEqual(ana)
    expect(thread?.mine).toBe(true)
    expect(thread?.mentions).toEqual(['KP2MI', 'KEMLU'])
    expect(thread?.resolved).toBe(true)
    expect(thread?.resolvedBy).toEqual(chair)
    expect(
      thread?.comments.map((comment) => [comment.id, comment.author?.name, comment.mine]),
    ).toEqual([
      ['c1', 'Ana', true],
      ['c2', 'Budi', false],
    ])
  })

  it('edits and deletes a comment in place, keeping its entry', () => {
    const doc = new Y.Doc()
    const me = { ...ana }
    const thread = createThread(doc, 't', 'q', {
      commentId: 'c',
      body: 'draf',
      mentions: [],
      now: 1,
    })
    const [view] = readThreads(doc, new Map(), me)
    const comment = view?.comments[0]
    if (!comment) throw new Error('no comment')
    editComment(thread, comment.map, 'final @KP2MI', ['KP2MI'], 5)
    let [after] = readThreads(doc, new Map(), me)
    expect(after?.comments[0]).toMatchObject({ body: 'final @KP2MI', editedAt: 5, deleted: false })
    expect(after?.mentions).toEqual(['KP2MI'])
    deleteComment(comment.map, 9)
    ;[after] = readThreads(doc, new Map(), me)
    expect(after?.comments).toHaveLength(1)
    expect(after?.comments[0]).toMatchObject({ deleted: true, editedAt: 9 })
  })

  it('orders anchored threads by position and puts orphaned ones last, oldest first', () => {
    const doc = new Y.Doc()
    const first = { mentions: [], body: 'x' }
    createThread(doc, 'late', 'q', { ...first, commentId: '1', now: 30 })
    createThread(doc, 'orphan-new', 'gone too', { ...first, commentId: '2', now: 20 })
    createThread(doc, 'early', 'q', { ...first, commentId: '3', now: 40 })
    createThread(doc, 'orphan-old', 'gone', { ...first, commentId: '4', now: 10 })
    const anchors = new Map([
      ['late', anchor('late', 50)],
      ['early', anchor('early', 2)],
    ])
    const threads = readThreads(doc, anchors, ana)
    expect(threads.map((thread) => [thread.id, thread.anchor === null])).toEqual([
      ['early', false],
      ['late', false],
      ['orphan-old', true],
      ['orphan-new', true],
    ])
  })

  it('adds only new mentions, and reads a plain array written by another client', () => {
    const doc = new Y.Doc()
    const thread = createThread(doc, 't', 'q', {
      commentId: 'c',
      body: 'b',
      mentions: ['KEMLU', 'KEMLU'],
      now: 1,
    })
    addMentions(thread, ['KEMLU', 'KP2MI'])
    expect((thread.get(ThreadField.Mentions) as Y.Array<string>).toArray()).toEqual([
      'KEMLU',
      'KP2MI',
    ])
    thread.set(ThreadField.Mentions, ['KEMNAKER', 3])
    expect(readThreads(doc, new Map(), ana)[0]?.mentions).toEqual(['KEMNAKER'])
  })

  it('skips threads and comments of the wrong shape', () => {
    const doc = new Y.Doc()
    threadsMap(doc).set('bad', 'not a map')
    const thread = createThread(doc, 't', 'q', { commentId: 'c', body: 'b', mentions: [], now: 1 })
    ;(thread.get(ThreadField.Comments) as Y.Array<unknown>).push([new Y.Map()])
    const threads = readThreads(doc, new Map(), ana)
    expect(threads.map((view) => view.id)).toEqual(['t'])
    expect(threads[0]?.comments).toHaveLength(1)
  })
})

describe('replies on a suggestion', () => {
  const reply = (commentId: string, body: string, now: number) => ({
    commentId,
    body,
    mentions: [],
    now,
  })

  it('opens a thread naming the suggestion (no anchor), and adds later replies to it', () => {
    const doc = new Y.Doc()
    doc.getMap(AUTHORS_FIELD).set(String(doc.clientID), ana)
    const first = replyToSuggestion(
      doc,
      { id: 's1', quote: '45% → 52%' },
      reply('c1', 'Mengapa angka ini?', 1),
      't-new',
    )
    expect(first).toBe('t-new')
    const second = replyToSuggestion(
      doc,
      { id: 's1', quote: '45% → 52%' },
      reply('c2', 'Data KP2MI 2024.', 2),
      't-unused',
    )
    expect(second).toBe('t-new')
    const [thread] = readThreads(doc, new Map(), ana)
    expect(thread).toMatchObject({
      id: 't-new',
      suggestionId: 's1',
      quote: '45% → 52%',
      anchor: null,
      resolved: false,
    })
    expect(thread?.comments.map((comment) => comment.body)).toEqual([
      'Mengapa angka ini?',
      'Data KP2MI 2024.',
    ])
    expect(threadsMap(doc).has('t-unused')).toBe(false)
  })

  it('quotes a long suggestion only as far as the server takes a quote', () => {
    const doc = new Y.Doc()
    replyToSuggestion(doc, { id: 's1', quote: 'x'.repeat(25_000) }, reply('c1', 'Panjang', 1), 't1')
    const quote = (threadsMap(doc).get('t1') as Y.Map<unknown>).get(ThreadField.Quote) as string
    expect(quote).toHaveLength(10_000)
    expect(quote.endsWith('…')).toBe(true)
    expect(threadProblem('t1', threadsMap(doc).get('t1'))).toBeNull()
    expect(clipQuote('pendek')).toBe('pendek')
  })

  it('keeps both threads two people opened at once, and replies in the older one', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    replyToSuggestion(a, { id: 's1', quote: 'q' }, reply('ca', 'Dari A', 10), 't-a')
    replyToSuggestion(b, { id: 's1', quote: 'q' }, reply('cb', 'Dari B', 20), 't-b')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect([...threadsMap(a).keys()].sort()).toEqual(['t-a', 't-b'])
    expect(replyToSuggestion(b, { id: 's1', quote: 'q' }, reply('c3', 'Lagi', 30), 't-c')).toBe(
      't-a',
    )
    const bySuggestion = threadsBySuggestion(readThreads(b, new Map(), ana))
    expect(bySuggestion.get('s1')?.map((thread) => thread.id)).toEqual(['t-a', 't-b'])
  })

  it('resolves the open threads of the decided suggestions only', () => {
    const doc = new Y.Doc()
    replyToSuggestion(doc, { id: 's1', quote: 'q' }, reply('c1', 'Satu', 1), 't1')
    replyToSuggestion(doc, { id: 's2', quote: 'q' }, reply('c2', 'Dua', 2), 't2')
    createThread(doc, 't-anchored', 'q', reply('c3', 'Tiga', 3))
    resolveSuggestionThreads(doc, ['s1'])
    const resolved = Object.fromEntries(
      readThreads(doc, new Map(), ana).map((thread) => [thread.id, thread.resolved]),
    )
    expect(resolved).toEqual({ t1: true, t2: false, 't-anchored': false })
    // A decided suggestion's thread is closed: a later reply starts a new one.
    expect(replyToSuggestion(doc, { id: 's1', quote: 'q' }, reply('c4', 'Lagi', 4), 't3')).toBe(
      't3',
    )
  })
})
