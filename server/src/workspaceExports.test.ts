/**
 * Every file a workspace package.json exports exists: an export naming a missing file only shows
 * when someone imports it, long after the file moved.
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

describe('workspace package exports', () => {
  for (const dir of packages) {
    it(`${dir}/package.json exports only files that exist`, () => {
      const manifest: unknown = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
      const exports = (manifest as { exports?: unknown }).exports
      const missing = targets(exports).filter((target) => !existsSync(join(root, dir, target)))
      expect(missing).toEqual([])
    })
  }
})
