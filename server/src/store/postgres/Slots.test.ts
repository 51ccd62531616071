import { describe, expect, it } from 'vitest'
import { Slots } from './Slots.ts'

function deferred() {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('Slots', () => {
  it('runs at most its size at once, the rest in the order they came', async () => {
    const slots = new Slots(2)
    const gates = [deferred(), deferred(), deferred(), deferred()]
    const started: number[] = []
    const runs = gates.map((gate, index) =>
      slots.run(async () => {
        started.push(index)
        await gate.promise
        return index
      }),
    )
    await Promise.resolve()
    expect(started).toEqual([0, 1])
    expect(slots.load).toEqual({ running: 2, waiting: 2 })
    gates[1]?.resolve()
    await runs[1]
    await Promise.resolve()
    expect(started).toEqual([0, 1, 2])
    // A failure frees its slot as well, and reaches only its own caller.
    gates[0]?.reject(new Error('failed'))
    await expect(runs[0]).rejects.toThrow('failed')
    await Promise.resolve()
    expect(started).toEqual([0, 1, 2, 3])
    gates[2]?.resolve()
    gates[3]?.resolve()
    expect(await Promise.all(runs.slice(2))).toEqual([2, 3])
    expect(slots.load).toEqual({ running: 0, waiting: 0 })
  })

  it('refuses a size that would run nothing', () => {
    expect(() => new Slots(0)).toThrow('Slots: size 0')
  })
})
