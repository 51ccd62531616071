import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ControlledStore, gate } from '../testing/ControlledStore.ts'
import { edit, recordingLogger, TEXT, textOf } from '../testing/collabFixtures.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { type PersistEntry, PersistQueue } from './PersistQueue.ts'

const NAME = 'card:queue-test'

describe('PersistQueue', () => {
  let temp: TempStorage
  let store: ControlledStore
  let commits: Array<{ acks: Array<number | null>; wrote: boolean }>
  let queue: PersistQueue<number>
  const doc = new Y.Doc()

  beforeEach(async () => {
    temp = await openTempStorage()
    store = new ControlledStore(temp.storage.documents)
    commits = []
    queue = new PersistQueue<number>(
      NAME,
      doc,
      { lastSeq: 0, bytes: 0, updates: 0 },
      { store, logger: recordingLogger(), compactAfterUpdates: 1000 },
      (entries: ReadonlyArray<PersistEntry<number>>, _sv, wrote) => {
        commits.push({ acks: entries.map((entry) => entry.ack), wrote })
        for (const entry of entries) entry.afterCommit?.()
      },
    )
  })

  afterEach(async () => {
    queue.close()
    await temp.cleanup()
  })

  const entry = (text: string, ack: number): PersistEntry<number> => ({
    update: edit(new Y.Doc(), text),
    ack,
    relay: [],
  })

  it('stores nothing until flushed, then what arrived during a commit in the next one, in order', async () => {
    queue.push(entry('a', 1))
    expect(store.calls.append).toBe(0)
    store.appendGate = gate()
    queue.flush()
    queue.push(entry('b', 2))
    queue.push(entry('c', 3))
    // A commit runs: flushing again hands nothing more to the store.
    queue.flush()
    expect(store.calls.append).toBe(1)
    expect(queue.isDrained).toBe(false)
    store.appendGate.open()
    await queue.drain()
    expect(commits).toEqual([
      { acks: [1], wrote: true },
      { acks: [2, 3], wrote: true },
    ])
    expect(queue.isDrained).toBe(true)
    expect(queue.storedBytes).toBeGreaterThan(0)
  })

  it('keeps a failed batch at the head and retries it; nothing is acknowledged until it is stored', async () => {
    store.appendError = new Error('disk full')
    queue.push(entry('first ', 1))
    queue.flush()
    queue.push(entry('second', 2))
    const drained = queue.drain()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(commits).toEqual([])
    store.appendError = null
    await drained
    expect(commits.flatMap((commit) => commit.acks)).toEqual([1, 2])
    const stored = await temp.storage.documents.loadDocument(NAME)
    expect(stored.updates).toHaveLength(2)
    expect(textOf(stored)).toContain('first')
    expect(textOf(stored)).toContain('second')
  })

  it('runs an entry without an update after everything before it is stored', async () => {
    const order: string[] = []
    store.appendGate = gate()
    queue.push(entry('a', 1))
    queue.flush()
    queue.push({ update: null, ack: null, relay: [], afterCommit: () => order.push('reply') })
    queue.flush()
    expect(order).toEqual([])
    store.appendGate.open()
    await queue.drain()
    expect(order).toEqual(['reply'])
    expect(commits.map((commit) => commit.wrote)).toEqual([true, false])
    expect(doc.getText(TEXT).toString()).toBe('')
  })
})
