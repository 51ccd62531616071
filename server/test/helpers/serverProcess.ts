/**
 * Starts the real server as a child process on port 0 and finds the port it got from its log
 * (compiled when the build is current, else under tsx: testing/kartuProcess.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { kartuProcessArgs } from '../../src/testing/kartuProcess.ts'
import { testStoreEnv } from '../../src/testing/testStore.ts'

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export type ServerProcess = {
  port: number
  httpUrl: string
  wsUrl: string
  child: ChildProcess
  output: () => string
  /** SIGTERM, then waits for exit; returns the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>
}

export async function startServer(
  dataDir: string,
  env: Record<string, string> = {},
  command: 'serve' | 'demo' = 'serve',
): Promise<ServerProcess> {
  const storeEnv = await testStoreEnv(dataDir)
  const child = spawn(process.execPath, [...kartuProcessArgs(), command], {
    cwd: serverRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      KARTU_DATA_DIR: dataDir,
      ...storeEnv,
      KARTU_LOG_LEVEL: 'info',
      KARTU_PUBLIC_ORIGIN: 'http://kartu.test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000)
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${log}`))
    })
  })
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    child,
    output: () => log,
    async stop() {
      child.kill('SIGTERM')
      return exited
    },
    async kill9() {
      child.kill('SIGKILL')
      await exited
    },
  }
}
