/**
 * HAProxy (Debian's), started by a test with the repository's own configuration
 * (docs/deploy/haproxy.cfg) in front of the nodes. Skips loudly where HAProxy is not installed;
 * under CI=true its absence is a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './nodes.ts'

const CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../docs/deploy/haproxy.cfg',
)

export function haproxyForTests(): boolean {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    const message = 'HAProxy is not installed (apt-get install -y haproxy)'
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true needs it`)
    console.warn(`\n!!!!!!!!\n!!! SKIPPING the tests behind a proxy: ${message}\n!!!!!!!!\n`)
    return false
  }
}

export type ProxyProcess = { port: number; httpUrl: string; wsUrl: string; stop(): Promise<void> }

/** HAProxy on a free port in front of up to three nodes (host:port each). */
export async function startProxy(nodes: readonly string[]): Promise<ProxyProcess> {
  const port = await freePort()
  // A node not given is an address nothing listens on: marked down by the health check.
  const [first = '127.0.0.1:9', second = '127.0.0.1:9', third = '127.0.0.1:9'] = nodes
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', CONFIG], {
    env: {
      ...process.env,
      KARTU_PROXY_BIND: `127.0.0.1:${port}`,
      KARTU_NODE_1: first,
      KARTU_NODE_2: second,
      KARTU_NODE_3: third,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  // Ready once it answers on its port (a node's readiness through it).
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${log}`)
    if (Date.now() > deadline) throw new Error(`haproxy did not become ready:\n${log}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
