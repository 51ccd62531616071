import { describe, expect, it } from 'vitest'
import { eventually } from './eventually.ts'

describe('eventually', () => {
  it('returns once a check holds, sync or async', async () => {
    let calls = 0
    await eventually(() => ++calls >= 3, 'the third call', { intervalMs: 1 })
    expect(calls).toBe(3)
    let asyncCalls = 0
    await eventually(async () => ++asyncCalls >= 2, 'the second call', { intervalMs: 1 })
    expect(asyncCalls).toBe(2)
  })

  it('fails naming what it waited for', async () => {
    await expect(
      eventually(() => false, 'a row that never comes', { timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow('timed out waiting for a row that never comes')
  })
})
