/**
 * How tests start Kartu's CLI as a process of its own (a server, `kartu migrate`, ...): the
 * compiled build (`server/dist/cli.js`, as production runs it) when `pnpm build` made it from the
 * sources as they are now, else the sources under tsx. A process starts in about half the time
 * compiled (no TypeScript to transform), and the suite starts hundreds of them.
 *
 * "As they are now": every build output is newer than every source file it is made from (the
 * builds empty dist/ first, so each output's time is its build's). A source edited since, in the
 * server or a workspace package, sends every test back to the sources until the next build, so a
 * test never runs code older than what is on disk. KARTU_TEST_FROM_SOURCE=1 always takes the
 * sources.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SOURCE_NODE_FLAGS } from './sourceNode.ts'

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const repoRoot = path.resolve(serverRoot, '..')

/** A build output and the source folders it is made from. */
export type Build = { output: string; sources: string[] }

const BUILDS: readonly Build[] = [
  { output: path.join(serverRoot, 'dist', 'cli.js'), sources: [path.join(serverRoot, 'src')] },
  ...['protocol', 'schema'].map((name) => ({
    output: path.join(repoRoot, 'packages', name, 'dist', 'index.js'),
    sources: [path.join(repoRoot, 'packages', name, 'src')],
  })),
]

/** What the builds leave out: tests, and the helpers only tests use. */
const notBuilt = (file: string) =>
  file.endsWith('.test.ts') || file.includes(`${path.sep}testing${path.sep}`)

function newestSource(folder: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    if (notBuilt(file)) continue
    newest = Math.max(newest, fs.statSync(file).mtimeMs)
  }
  return newest
}

/** Whether every output exists and is newer than every file it is built from. */
export function buildsAreCurrent(builds: readonly Build[]): boolean {
  for (const build of builds) {
    if (!fs.existsSync(build.output)) return false
    const built = fs.statSync(build.output).mtimeMs
    if (build.sources.some((folder) => newestSource(folder) > built)) return false
  }
  return true
}

// Checked once per test file: the sources do not change under a running suite.
let compiled: boolean | null = null

/** Node's arguments that run the CLI, before the command's own (`serve`, `migrate`, ...). */
export function kartuProcessArgs(): string[] {
  compiled ??= process.env.KARTU_TEST_FROM_SOURCE !== '1' && buildsAreCurrent(BUILDS)
  return compiled
    ? [path.join(serverRoot, 'dist', 'cli.js')]
    : [...SOURCE_NODE_FLAGS, path.join(serverRoot, 'src', 'cli.ts')]
}
