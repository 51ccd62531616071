import { describe, expect, it } from 'vitest'
import { waitParts } from './waitTime.ts'

describe('waitParts', () => {
  it('says seconds under two minutes, never zero', () => {
    expect(waitParts(0)).toEqual({ unit: 'seconds', count: 1 })
    expect(waitParts(0.2)).toEqual({ unit: 'seconds', count: 1 })
    expect(waitParts(45)).toEqual({ unit: 'seconds', count: 45 })
    expect(waitParts(119)).toEqual({ unit: 'seconds', count: 119 })
  })

  it('says whole minutes from two minutes on, rounded up', () => {
    expect(waitParts(120)).toEqual({ unit: 'minutes', count: 2 })
    expect(waitParts(121)).toEqual({ unit: 'minutes', count: 3 })
    expect(waitParts(900)).toEqual({ unit: 'minutes', count: 15 })
  })
})
