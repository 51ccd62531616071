/**
 * A deck file's ministry and cluster ids must be ids the API's answers accept (idSchema), or
 * every answer naming them would fail its schema.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { deckFileSchema } from './deckImport.ts'

const demo: { ministries: { id: string }[]; clusters: { id: string }[] } = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../demo/cmw-demo-deck.json'), 'utf8'),
)

describe('deckFileSchema', () => {
  it('accepts the demo deck', () => {
    expect(deckFileSchema.safeParse(demo).success).toBe(true)
  })

  it('refuses a ministry or cluster id that the answers would refuse', () => {
    for (const bad of ['KEMEN PPPA', '-K1', 'x'.repeat(65)]) {
      const ministries = demo.ministries.map((m, i) => (i === 0 ? { ...m, id: bad } : m))
      expect(deckFileSchema.safeParse({ ...demo, ministries }).success, bad).toBe(false)
      const clusters = demo.clusters.map((c, i) => (i === 0 ? { ...c, id: bad } : c))
      expect(deckFileSchema.safeParse({ ...demo, clusters }).success, bad).toBe(false)
    }
  })
})
