import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildsAreCurrent } from './kartuProcess.ts'

describe('whether tests may start the compiled build', () => {
  const folders: string[] = []
  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true })
  })

  /** src/a.ts, src/deep/b.ts, src/a.test.ts, src/testing/h.ts and dist/cli.js, in that order in time. */
  function project() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-build-'))
    folders.push(root)
    const at = (file: string, secondsAgo: number) => {
      const full = path.join(root, file)
      fs.mkdirSync(path.dirname(full), { recursive: true })
      fs.writeFileSync(full, '')
      const time = new Date(Date.now() - secondsAgo * 1000)
      fs.utimesSync(full, time, time)
      return full
    }
    at('src/a.ts', 50)
    at('src/deep/b.ts', 40)
    const output = at('dist/cli.js', 30)
    return { root, at, build: { output, sources: [path.join(root, 'src')] } }
  }

  it('is current when the output is newer than every source, nested ones too', () => {
    const { build } = project()
    expect(buildsAreCurrent([build])).toBe(true)
  })

  it('is not once a source, however deep, was changed after the build', () => {
    const { at, build } = project()
    at('src/deep/b.ts', 10)
    expect(buildsAreCurrent([build])).toBe(false)
  })

  it('ignores what the build leaves out: tests and test helpers', () => {
    const { at, build } = project()
    at('src/a.test.ts', 5)
    at('src/testing/helper.ts', 5)
    expect(buildsAreCurrent([build])).toBe(true)
  })

  it('is not when an output is missing, or when any one of several builds is old', () => {
    const { root, build } = project()
    expect(buildsAreCurrent([{ ...build, output: path.join(root, 'dist', 'gone.js') }])).toBe(false)
    const other = project()
    other.at('src/a.ts', 1)
    expect(buildsAreCurrent([build, other.build])).toBe(false)
  })
})
