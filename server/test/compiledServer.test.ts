/**
 * Production runs the build, not the sources: `pnpm kartu` is plain `node server/dist/cli.js`,
 * and the workspace packages load from their dist/ (package.json exports without the
 * `kartu-source` condition). This suite runs that build as an operator would, with no tsx and no
 * loader: the CLI imports a deck, adds a person and a token, then the server starts on port 0
 * against the same temporary data folder and answers. It uses the output of `pnpm build` (which
 * `pnpm test` runs first) and fails, naming the command, when that output is missing or older
 * than its sources.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { decksResponseSchema } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DECK_FILE } from '../src/demo/demoAccounts.ts'
import { makeDataDir } from './helpers/seed.ts'

const run = promisify(execFile)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const compiledCli = path.join(repoRoot, 'server', 'dist', 'cli.js')

/** Each compiled package: its sources, and the folder `pnpm build` writes them to. */
const BUILDS = [
  { name: 'packages/protocol', skip: [] as string[] },
  { name: 'packages/schema', skip: [] as string[] },
  // server/src/testing holds test helpers, which the build leaves out (server/tsconfig.build.json).
  { name: 'server', skip: ['testing'] },
]

function sourceFiles(dir: string, skip: readonly string[], base = dir): string[] {
  const files: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const relative = path.relative(base, full)
    if (entry.isDirectory()) {
      if (!skip.includes(relative)) files.push(...sourceFiles(full, skip, base))
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(relative)
    }
  }
  return files
}

/** Sources whose compiled file is missing or older than they are. */
function unbuilt(): string[] {
  const problems: string[] = []
  for (const build of BUILDS) {
    const src = path.join(repoRoot, build.name, 'src')
    for (const file of sourceFiles(src, build.skip)) {
      const compiled = `${build.name}/dist/${file.replace(/\.ts$/, '.js')}`
      const output = path.join(repoRoot, compiled)
      if (!fs.existsSync(output)) problems.push(`${compiled}: missing`)
      else if (fs.statSync(output).mtimeMs < fs.statSync(path.join(src, file)).mtimeMs) {
        problems.push(`${compiled}: older than its source`)
      }
    }
  }
  if (!fs.existsSync(path.join(repoRoot, 'client', 'dist', 'index.html'))) {
    problems.push('client/dist/index.html: missing')
  }
  return problems
}

/** The environment of a production process: no NODE_OPTIONS that could bring a loader in. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_OPTIONS
  return env
}

/** `pnpm kartu ARGS` as the root package.json runs it: node and the compiled CLI, nothing else. */
async function kartu(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [compiledCli, ...args], {
    cwd: repoRoot,
    env: productionEnv({ KARTU_DATA_DIR: dataDir }),
  })
  return stdout
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? ''

describe('the compiled server, under plain node', () => {
  const dataDir = makeDataDir()
  let child: ChildProcess | null = null
  let exited: Promise<number | null> = Promise.resolve(null)
  let log = ''
  let baseUrl = ''
  let token = ''
  let deckId = ''

  beforeAll(async () => {
    const problems = unbuilt()
    if (problems.length > 0) {
      throw new Error(
        `The build is missing or out of date; run \`pnpm build\` (\`pnpm test\` does) first:\n  ${problems.join('\n  ')}`,
      )
    }
    deckId = lastLine(await kartu(dataDir, 'deck', 'import', DEMO_DECK_FILE))
    await kartu(
      dataDir,
      ...['user', 'add', '--email', 'built@kartu.test', '--name', 'Built'],
      ...['--ministry', 'KP2MI', '--password', 'a long enough password'],
    )
    await kartu(
      ...[dataDir, 'member', 'add', '--deck', deckId],
      ...['--email', 'built@kartu.test', '--role', 'editor'],
    )
    token = lastLine(await kartu(dataDir, 'token', 'issue', '--email', 'built@kartu.test'))

    child = spawn(process.execPath, [compiledCli, 'serve'], {
      cwd: repoRoot,
      env: productionEnv({
        PORT: '0',
        HOST: '127.0.0.1',
        KARTU_DATA_DIR: dataDir,
        KARTU_LOG_LEVEL: 'info',
        KARTU_PUBLIC_ORIGIN: 'http://kartu.test',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const started = child
    exited = new Promise((resolve) => started.on('exit', (code) => resolve(code)))
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString()
        const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log)
        if (match) resolve(Number(match[1]))
      }
      started.stdout?.on('data', onData)
      started.stderr?.on('data', onData)
      started.on('exit', (code) =>
        reject(new Error(`exited with ${code} before listening:\n${log}`)),
      )
    })
    baseUrl = `http://127.0.0.1:${port}`
  })

  afterAll(async () => {
    child?.kill('SIGTERM')
    await exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('is ready, and healthy', async () => {
    const ready = await fetch(`${baseUrl}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, rooms: 0, connections: 0 })
    const health = await fetch(`${baseUrl}/healthz`)
    expect(await health.json()).toEqual({ ok: true })
  })

  it('serves the built client', async () => {
    const page = await fetch(`${baseUrl}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toBe(
      fs.readFileSync(path.join(repoRoot, 'client', 'dist', 'index.html'), 'utf8'),
    )
  })

  it('answers the API with what the compiled CLI stored', async () => {
    const refused = await fetch(`${baseUrl}/api/decks`)
    expect(refused.status).toBe(401)
    const answer = await fetch(`${baseUrl}/api/decks`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(answer.status).toBe(200)
    const { decks } = decksResponseSchema.parse(await answer.json())
    expect(decks.map((deck) => [deck.id, deck.role])).toEqual([[deckId, 'editor']])
  })

  it('makes exports in its worker thread from the compiled worker module', async () => {
    const headers = { authorization: `Bearer ${token}` }
    const pdf = await fetch(`${baseUrl}/api/decks/${deckId}/export.pdf`, { headers })
    expect(pdf.status).toBe(200)
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    const word = await fetch(`${baseUrl}/api/decks/${deckId}/export.docx?mode=clean`, { headers })
    expect(word.status).toBe(200)
    expect(
      Buffer.from(await word.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK')
  })

  it('stops cleanly on SIGTERM', async () => {
    child?.kill('SIGTERM')
    expect(await exited).toBe(0)
    child = null
  })
})
