/**
 * Every file a workspace package.json exports exists: an export naming a missing file only shows
 * when someone imports it, long after the file moved. The compiled targets (dist/) exist only
 * after `pnpm build`, so they are checked against what the build writes: the source's path with
 * src/ turned into dist/ (server/test/compiledServer.test.ts runs the build's output itself).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const packages = ['client', 'server', 'bench', 'packages/protocol', 'packages/schema']

/** The file targets of an `exports` field (strings, nested conditions included). */
function targets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports]
  if (exports === null || typeof exports !== 'object') return []
  return Object.values(exports).flatMap(targets)
}

/** The exported entries that carry conditions: `{ "kartu-source": ..., "default": ... }`. */
function conditionalEntries(exports: unknown): Record<string, unknown>[] {
  if (exports === null || typeof exports !== 'object') return []
  const entries = Object.values(exports).filter(
    (value): value is Record<string, unknown> => value !== null && typeof value === 'object',
  )
  return entries
}

const manifest = (dir: string): { exports?: unknown } =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))

const compiled = (target: string): boolean => target.startsWith('./dist/')

describe('workspace package exports', () => {
  for (const dir of packages) {
    it(`${dir}/package.json exports only files that exist`, () => {
      const missing = targets(manifest(dir).exports)
        .filter((target) => !compiled(target))
        .filter((target) => !existsSync(join(root, dir, target)))
      expect(missing).toEqual([])
    })

    it(`${dir}/package.json: each export's compiled files are what the build makes of its source`, () => {
      for (const entry of conditionalEntries(manifest(dir).exports)) {
        const source = entry['kartu-source']
        expect(typeof source === 'string' && /^\.\/src\/.+\.ts$/.test(source)).toBe(true)
        const stem = String(source)
          .replace(/^\.\/src\//, './dist/')
          .replace(/\.ts$/, '')
        // Node in production takes "default"; tsc (building a dependent package) takes "types".
        expect(entry).toEqual({
          'kartu-source': source,
          types: `${stem}.d.ts`,
          default: `${stem}.js`,
        })
        // Keys in this order: the first condition that matches wins.
        expect(Object.keys(entry)).toEqual(['kartu-source', 'types', 'default'])
      }
    })
  }

  it('tests import the workspace packages from their TypeScript sources', () => {
    expect(import.meta.resolve('@kartu/protocol')).toMatch(/\/packages\/protocol\/src\/index\.ts$/)
    expect(import.meta.resolve('@kartu/schema')).toMatch(/\/packages\/schema\/src\/index\.ts$/)
  })
})
