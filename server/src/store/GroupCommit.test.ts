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
