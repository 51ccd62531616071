import { describe, expect, it } from 'vitest'
import { busyFor, markLoopTurns } from '../testing/loopTurns.ts'
import { PacedWrites, SliceClock } from './backgroundWork.ts'

describe('background work', () => {
  it('writes everything in order, and a part that fails does not stop the parts after it', async () => {
    const paced = new PacedWrites(4)
    const written: number[][] = []
    const failed: number[][] = []
    const items = Array.from({ length: 30 }, (_, i) => i)
    await paced.write(
      items,
      async (part) => {
        if (part.includes(0)) throw new Error('disk full')
        written.push([...part])
      },
      (part) => failed.push([...part]),
    )
    // The first part (8 items, before the pace is known) failed; its pace is not learned.
    expect(failed).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]])
    expect(written.flat()).toEqual(items.slice(8))
  })

  it('sizes each part by the pace of the one before, so that a slow write gets small parts', async () => {
    const paced = new PacedWrites(4)
    const sizes: number[] = []
    await paced.write(
      Array.from({ length: 20 }, (_, i) => i),
      async (part) => {
        sizes.push(part.length)
        // 2 ms per item, holding the thread as better-sqlite3 does: after the first part, two
        // items fit in a 4 ms slice.
        busyFor(2 * part.length)
      },
      () => {},
    )
    expect(sizes[0]).toBe(8)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20)
    for (const size of sizes.slice(1)) expect(size).toBeLessThanOrEqual(2)
  })

  it('gives two writers turns: never two parts in one turn of the event loop', async () => {
    const events: string[] = []
    const stop = markLoopTurns(events)
    const writer = (name: string) =>
      new PacedWrites(4).write(
        Array.from({ length: 24 }, (_, i) => i),
        async (part) => {
          events.push(`${name} ${part.length}`)
        },
        () => {},
      )
    await Promise.all([writer('a'), writer('b')])
    stop()
    const parts = events.filter((event) => event !== 'tick')
    expect(parts.length).toBeGreaterThanOrEqual(4)
    events.forEach((event, index) => {
      if (event === 'tick' || index === 0) return
      expect(events[index - 1], `before ${event} at ${index}`).toBe('tick')
    })
  })

  /** The loop's turns (a mark per iteration) around four steps of 2 ms under `clock`. */
  async function stepsUnder(clock: SliceClock): Promise<string[]> {
    const events: string[] = []
    const stop = markLoopTurns(events)
    for (let step = 0; step < 4; step++) {
      await clock.next()
      events.push(`step ${step}`)
      busyFor(2)
    }
    stop()
    return events
  }

  it('SliceClock lets the loop run before the first step and whenever a slice is used up', async () => {
    // Each 2 ms step uses up a 1 ms slice: the loop runs before every step.
    expect(await stepsUnder(new SliceClock(1))).toEqual([
      'tick',
      'step 0',
      'tick',
      'step 1',
      'tick',
      'step 2',
      'tick',
      'step 3',
    ])
  })

  it('SliceClock does not let the loop go while the slice lasts', async () => {
    expect(await stepsUnder(new SliceClock(10_000))).toEqual([
      'tick',
      'step 0',
      'step 1',
      'step 2',
      'step 3',
    ])
  })
})
