import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  markSaved,
  markUnsaved,
  readPendingCount,
  readUnsavedDocuments,
  writePendingCount,
} from './unsavedDocuments.ts'

/** localStorage as the browser has it, enough for these functions. */
class MemoryStorage {
  readonly items = new Map<string, string>()
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value)
  }
  removeItem(key: string): void {
    this.items.delete(key)
  }
}

describe('unsaved documents and their counts', () => {
  let storage: MemoryStorage
  beforeEach(() => {
    storage = new MemoryStorage()
    vi.stubGlobal('window', { localStorage: storage })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('keeps the count of each document per user until it is saved', () => {
    markUnsaved('u1', 'card:CC-01')
    writePendingCount('u1', 'card:CC-01', 7)
    writePendingCount('u1', 'card:CC-02', 2)
    expect(readPendingCount('u1', 'card:CC-01')).toBe(7)
    expect(readPendingCount('u1', 'card:CC-02')).toBe(2)
    expect(readPendingCount('u2', 'card:CC-01')).toBe(0)

    markSaved('u1', 'card:CC-01')
    expect(readUnsavedDocuments('u1')).toEqual([])
    expect(readPendingCount('u1', 'card:CC-01')).toBe(0)
    writePendingCount('u1', 'card:CC-02', 0)
    expect(storage.items.size).toBe(0)
  })

  it('counts an unsaved document without a count as one change', () => {
    markUnsaved('u1', 'card:CC-03')
    expect(readPendingCount('u1', 'card:CC-03')).toBe(1)
  })

  it('ignores a damaged entry', () => {
    storage.setItem('kartu:pending:u1', '{"card:CC-01": "many", "card:CC-02": -1, "card:CC-03": 4}')
    expect(readPendingCount('u1', 'card:CC-01')).toBe(0)
    expect(readPendingCount('u1', 'card:CC-02')).toBe(0)
    expect(readPendingCount('u1', 'card:CC-03')).toBe(4)
    storage.setItem('kartu:pending:u1', 'not json')
    expect(readPendingCount('u1', 'card:CC-03')).toBe(0)
  })
})
