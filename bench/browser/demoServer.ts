/**
 * A real Kartu server for the browser scenario: `kartu demo` (the demo deck and its accounts, as
 * a person trying Kartu gets them) on port 0, in a fresh data folder, serving client/dist.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SOURCE_NODE_FLAGS } from '../../server/src/testing/sourceNode.ts'
import { repoRoot } from '../lib/fixtures.ts'

export type DemoServer = {
  baseUrl: string
  /** A personal access token of a demo account (`kartu token issue`, beside the server). */
  issueToken(email: string): Promise<string>
  /** The demo accounts' password, printed once by `kartu demo`. */
  password: string
  output(): string
  stop(): Promise<void>
}

const LISTENING = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/
const PASSWORD = /the password of each is "([^"]+)"/

export async function startDemoServer(): Promise<DemoServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-bench-client-'))
  const child = spawn(process.execPath, [...SOURCE_NODE_FLAGS, 'server/src/cli.ts', 'demo'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      KARTU_DATA_DIR: dataDir,
      KARTU_LOG_LEVEL: 'info',
      KARTU_PUBLIC_ORIGIN: 'http://127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const started = new Promise<{ port: number; password: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo server did not start:\n${log}`)),
      60_000,
    )
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000)
      const port = LISTENING.exec(log)?.[1]
      const password = PASSWORD.exec(log)?.[1]
      if (port && password) {
        clearTimeout(timer)
        resolve({ port: Number(port), password })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the demo server exited with ${code} before listening:\n${log}`))
    })
  })
  const { port, password } = await started
  return {
    issueToken: (email) => issueToken(dataDir, email),
    baseUrl: `http://127.0.0.1:${port}`,
    password,
    output: () => log,
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** `kartu token issue --email E` on the demo's data folder: the token is the last line printed. */
function issueToken(dataDir: string, email: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...SOURCE_NODE_FLAGS, 'server/src/cli.ts', 'token', 'issue', '--email', email],
      {
        cwd: repoRoot,
        env: { ...process.env, KARTU_DATA_DIR: dataDir, KARTU_LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.once('exit', (code) => {
      const token = out.trim().split('\n').pop()?.trim() ?? ''
      if (code === 0 && token.startsWith('kartu_')) resolve(token)
      else reject(new Error(`token issue for ${email} exited with ${code}: ${out}`))
    })
  })
}
