/**
 * A redis-server of a test's own, on a free port, that the test may kill (SIGKILL) and start
 * again on the same port: a partition between the nodes and Redis. Never the machine's shared
 * Redis, which other tests and processes use.
 *
 * `ownRedisForTests()` says whether the binary is there; where it is not, it says so loudly and
 * the tests that need it skip. Under CI=true its absence is a failure instead.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import net from 'node:net'
import os from 'node:os'

const BINARY = process.env.KARTU_TEST_REDIS_SERVER ?? 'redis-server'

let available: boolean | null = null

/** Whether redis-server can be started (checked once per test file). Throws under CI=true. */
export function ownRedisForTests(): boolean {
  if (available !== null) return available
  const run = spawnSync(BINARY, ['--version'], { encoding: 'utf8' })
  available = run.status === 0
  if (!available) {
    const message = `${BINARY} cannot be started: ${run.error?.message ?? run.stderr}`
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: redis-server is required)`)
    console.warn(
      `\n!!!!!!!!\n!!! SKIPPING the tests that cut Redis off: ${message}\n!!! Install redis-server or set KARTU_TEST_REDIS_SERVER.\n!!!!!!!!\n`,
    )
  }
  return available
}

/** A port nothing listens on now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('no port'))
      })
    })
  })
}

export class OwnRedis {
  private process: ChildProcess | null = null

  private constructor(readonly port: number) {}

  /** Starts redis-server on a free port, without persistence, and waits until it answers. */
  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort())
    await redis.restart()
    return redis
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Starts it (again) on the same port. */
  async restart(): Promise<void> {
    if (this.process) throw new Error('redis-server is already running')
    const child = spawn(
      BINARY,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        os.tmpdir(),
      ],
      { stdio: 'ignore' },
    )
    this.process = child
    child.once('exit', () => {
      if (this.process === child) this.process = null
    })
    await waitUntilAnswers(this.port, 10_000)
  }

  /** SIGKILL: no goodbye to its clients, as when the machine or the network goes. */
  async kill(): Promise<void> {
    const child = this.process
    if (!child || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGKILL')
    await exited
    this.process = null
  }
}

/** Until the port answers PING with PONG. */
async function waitUntilAnswers(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await answersPing(port)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`)
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let reply = ''
    const done = (answered: boolean) => {
      socket.destroy()
      resolve(answered)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8')
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}
