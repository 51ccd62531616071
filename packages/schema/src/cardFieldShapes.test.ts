import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { threadProblem } from './cardFieldShapes.ts'
import { THREADS_FIELD, ThreadField } from './cardLayout.ts'

/** A thread as the client writes it, in a document (shared types read only once integrated). */
function thread(fields: Record<string, unknown>): Y.Map<unknown> {
  const doc = new Y.Doc()
  const map = new Y.Map<unknown>()
  doc.getMap(THREADS_FIELD).set('t1', map)
  map.set(ThreadField.Quote, 'angka 2024')
  map.set(ThreadField.CreatedAt, 1)
  map.set(ThreadField.Resolved, false)
  const comments = new Y.Array<Y.Map<unknown>>()
  map.set(ThreadField.Comments, comments)
  const first = new Y.Map<unknown>()
  comments.push([first])
  first.set('id', 'c1')
  first.set('body', 'Mengapa angka ini?')
  for (const [key, value] of Object.entries(fields)) map.set(key, value)
  return map
}

describe('the shape of a thread', () => {
  it('takes a thread anchored by a comment mark, without suggestionId', () => {
    expect(threadProblem('t1', thread({}))).toBeNull()
  })

  it('takes a thread on a suggestion: suggestionId is an id like the others', () => {
    expect(
      threadProblem('t1', thread({ [ThreadField.SuggestionId]: '0f6c4d1e-5b7a-4c1e-9d7f' })),
    ).toBeNull()
  })

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['markup', '<img src=x>'],
    ['an id over 64 characters', 'a'.repeat(65)],
    ['a shared type', new Y.Map()],
  ])('refuses a suggestionId that is %s', (_what, value) => {
    expect(threadProblem('t1', thread({ [ThreadField.SuggestionId]: value }))).toMatch(
      /^suggestionId: /,
    )
  })

  it('still refuses fields a thread does not have', () => {
    expect(threadProblem('t1', thread({ suggestion: 's1' }))).toBe(
      'unknown field "suggestion" in a thread',
    )
  })
})
