import { describe, expect, it } from 'vitest'
import { GroupCommit } from './GroupCommit.ts'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('GroupCommit', () => {
  it('commits the items added in one turn as one batch, each with its own result, in order', async () => {
    const batches: string[][] = []
    const group = new GroupCommit<string, string>((items) => {
      batches.push([...items])
      return items.map((item) => item.toUpperCase())
    })
    const results = Promise.all([group.add('a'), group.add('b'), group.add('c')])
    expect(batches).toEqual([])
    expect(await results).toEqual(['A', 'B', 'C'])
    expect(batches).toEqual([['a', 'b', 'c']])
    expect(await group.add('d')).toBe('D')
    expect(batches).toEqual([['a', 'b', 'c'], ['d']])
  })

  it('acknowledges nothing before the commit has returned', async () => {
    let committed = false
    let finish: (results: number[]) => void = () => {}
    const group = new GroupCommit<number, number>(
      () =>
        new Promise((resolve) => {
          finish = (results) => {
            committed = true
            resolve(results)
          }
        }),
    )
    let acknowledged = false
    const added = group.add(1).then((result) => {
      acknowledged = true
      expect(committed).toBe(true)
      return result
    })
    await nextTurn()
    await nextTurn()
    expect(acknowledged).toBe(false)
    finish([7])
    expect(await added).toBe(7)
  })

  it('rejects every waiter of a failed batch, and the next batch still commits', async () => {
    let fail = true
    const group = new GroupCommit<string>((items) => {
      if (fail) throw new Error('disk full')
      return items.map(() => undefined)
    })
    const failed = [group.add('a'), group.add('b')].map((p) => p.then(() => 'ok', String))
    expect(await Promise.all(failed)).toEqual(['Error: disk full', 'Error: disk full'])
    fail = false
    await expect(group.add('c')).resolves.toBeUndefined()
  })

  it('rejects every waiter of a batch whose asynchronous commit rejects', async () => {
    let calls = 0
    const group = new GroupCommit<string, number>(async (items) => {
      calls++
      if (calls === 1) throw new Error('locked')
      return items.map((item) => item.length)
    })
    const first = Promise.allSettled([group.add('x'), group.add('yy')])
    expect((await first).map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(await Promise.all([group.add('zzz'), group.add('w')])).toEqual([3, 1])
  })

  it('flush commits what is queued at once, and the scheduled flush then has nothing to do', async () => {
    const batches: number[][] = []
    const group = new GroupCommit<number, number>((items) => {
      batches.push([...items])
      return items
    })
    const a = group.add(1)
    const b = group.add(2)
    group.flush()
    expect(batches).toEqual([[1, 2]])
    expect(await Promise.all([a, b])).toEqual([1, 2])
    await nextTurn()
    expect(batches).toEqual([[1, 2]])
  })

  it('items added while a batch commits go to the next batch', async () => {
    const batches: string[][] = []
    let during: Promise<string> | null = null
    const group: GroupCommit<string, string> = new GroupCommit((items) => {
      batches.push([...items])
      if (!during) during = group.add('later')
      return items
    })
    expect(await group.add('first')).toBe('first')
    expect(await during).toBe('later')
    expect(batches).toEqual([['first'], ['later']])
  })
})

/** An asynchronous commit the test finishes by hand: records each batch, one pending finish. */
function manualCommits<T>() {
  const batches: T[][] = []
  const finishes: Array<{ ok: () => void; fail: (error: Error) => void }> = []
  let inFlight = 0
  let mostInFlight = 0
  const commit = (items: readonly T[]) =>
    new Promise<readonly T[]>((resolve, reject) => {
      batches.push([...items])
      inFlight++
      mostInFlight = Math.max(mostInFlight, inFlight)
      finishes.push({
        ok: () => {
          inFlight--
          resolve(items)
        },
        fail: (error) => {
          inFlight--
          reject(error)
        },
      })
    })
  return { batches, finishes, commit, mostInFlight: () => mostInFlight }
}

/** Waits until `check` holds, a turn at a time (the flushes run on setImmediate). */
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !check(); turn++) await nextTurn()
  expect(check()).toBe(true)
}

describe('GroupCommit, serial', () => {
  it('keeps one commit in flight: what arrives meanwhile waits, then goes as the next batch', async () => {
    const manual = manualCommits<string>()
    const group = new GroupCommit<string, string>(manual.commit, { serial: true })
    const settled: string[] = []
    const track = (p: Promise<string>) => p.then((value) => settled.push(value))
    const first = track(group.add('a'))
    await until(() => manual.batches.length === 1)
    const later = [track(group.add('b')), track(group.add('c'))]
    await nextTurn()
    await nextTurn()
    // 'b' and 'c' wait behind the commit in flight instead of starting a second one.
    expect(manual.batches).toEqual([['a']])
    group.flush()
    expect(manual.batches).toEqual([['a']])
    manual.finishes[0]?.ok()
    await first
    await until(() => manual.batches.length === 2)
    expect(manual.batches[1]).toEqual(['b', 'c'])
    expect(settled).toEqual(['a'])
    manual.finishes[1]?.ok()
    await Promise.all(later)
    expect(settled).toEqual(['a', 'b', 'c'])
    expect(manual.mostInFlight()).toBe(1)
  })

  it('rejects only the failed batch; the batch queued behind it still commits', async () => {
    const manual = manualCommits<string>()
    const group = new GroupCommit<string, string>(manual.commit, { serial: true })
    const failed = group.add('x').then(
      () => 'ok',
      (error: Error) => error.message,
    )
    await until(() => manual.batches.length === 1)
    const queued = group.add('y')
    manual.finishes[0]?.fail(new Error('connection lost'))
    expect(await failed).toBe('connection lost')
    await until(() => manual.batches.length === 2)
    expect(manual.batches[1]).toEqual(['y'])
    manual.finishes[1]?.ok()
    expect(await queued).toBe('y')
  })

  it('lets items added as the previous batch settles join the next batch', async () => {
    const manual = manualCommits<string>()
    const group = new GroupCommit<string, string>(manual.commit, { serial: true })
    // A caller that adds its next item as soon as its last one is acknowledged (PersistQueue).
    const first = group.add('a').then(() => group.add('c'))
    await until(() => manual.batches.length === 1)
    const queued = group.add('b')
    manual.finishes[0]?.ok()
    await until(() => manual.batches.length === 2)
    // 'c' was added in a microtask after 'a' settled: it rides with 'b', not a commit later.
    expect(manual.batches[1]).toEqual(['b', 'c'])
    manual.finishes[1]?.ok()
    expect(await Promise.all([first, queued])).toEqual(['c', 'b'])
    expect(manual.batches).toHaveLength(2)
  })

  it('is the same as the default for a synchronous commit', async () => {
    const batches: number[][] = []
    const group = new GroupCommit<number, number>(
      (items) => {
        batches.push([...items])
        return items
      },
      { serial: true },
    )
    const a = group.add(1)
    const b = group.add(2)
    group.flush()
    expect(batches).toEqual([[1, 2]])
    expect(await Promise.all([a, b, group.add(3)])).toEqual([1, 2, 3])
    expect(batches).toEqual([[1, 2], [3]])
  })
})

describe('GroupCommit, default', () => {
  it('starts a batch while an asynchronous commit is still in flight', async () => {
    const manual = manualCommits<string>()
    const group = new GroupCommit<string, string>(manual.commit)
    const a = group.add('a')
    await until(() => manual.batches.length === 1)
    const b = group.add('b')
    await until(() => manual.batches.length === 2)
    expect(manual.mostInFlight()).toBe(2)
    manual.finishes[1]?.ok()
    manual.finishes[0]?.ok()
    expect(await Promise.all([a, b])).toEqual(['a', 'b'])
  })
})

describe('GroupCommit.drain', () => {
  for (const serial of [false, true]) {
    it(`commits what is queued and waits for the commits in flight (serial: ${serial})`, async () => {
      const manual = manualCommits<string>()
      const group = new GroupCommit<string, string>(manual.commit, { serial })
      const acknowledged: string[] = []
      const inFlight = group.add('a').then((v) => acknowledged.push(v))
      await until(() => manual.batches.length === 1)
      const queued = group.add('b').then((v) => acknowledged.push(v))
      let drained = false
      const draining = group.drain().then(() => {
        drained = true
      })
      // The commit in flight and the batch after it must both settle before drain resolves.
      await until(() => manual.batches.length === (serial ? 1 : 2))
      expect(drained).toBe(false)
      manual.finishes[0]?.ok()
      await until(() => manual.batches.length === 2)
      expect(drained).toBe(false)
      manual.finishes[1]?.ok()
      await draining
      await Promise.all([inFlight, queued])
      expect(acknowledged).toEqual(['a', 'b'])
      expect(manual.batches).toEqual([['a'], ['b']])
    })
  }

  it('resolves when a batch failed (its waiters have the error), and at once when idle', async () => {
    const manual = manualCommits<string>()
    const group = new GroupCommit<string, string>(manual.commit, { serial: true })
    await group.drain()
    const failed = group.add('a').catch((error: Error) => error.message)
    const draining = group.drain()
    await until(() => manual.batches.length === 1)
    manual.finishes[0]?.fail(new Error('gone'))
    await draining
    expect(await failed).toBe('gone')
  })
})
