import { describe, expect, it } from 'vitest'
import { adjacentItem, type PlacedItem } from './navigation.ts'

const items: PlacedItem[] = [
  { kind: 'thread', id: 't1', from: 40 },
  { kind: 'suggestion', id: 's1', from: 10 },
  { kind: 'suggestion', id: 's2', from: 25 },
]

describe('moving through suggestions and comments in the order of the answer', () => {
  it('goes from the chosen item to the next and the previous, around the ends', () => {
    const from = (id: string) =>
      ({ kind: id.startsWith('s') ? 'suggestion' : 'thread', id }) as const
    expect(adjacentItem(items, from('s1'), 0, 1)?.id).toBe('s2')
    expect(adjacentItem(items, from('s2'), 0, 1)?.id).toBe('t1')
    expect(adjacentItem(items, from('t1'), 0, 1)?.id).toBe('s1')
    expect(adjacentItem(items, from('s1'), 0, -1)?.id).toBe('t1')
  })

  it('starts from the caret when nothing is chosen', () => {
    expect(adjacentItem(items, null, 12, 1)?.id).toBe('s2')
    expect(adjacentItem(items, null, 12, -1)?.id).toBe('s1')
    expect(adjacentItem(items, null, 50, 1)?.id).toBe('s1')
    expect(adjacentItem(items, null, 5, -1)?.id).toBe('t1')
  })

  it('has nothing to go to in an answer without suggestions or comments', () => {
    expect(adjacentItem([], null, 0, 1)).toBeNull()
  })
})
