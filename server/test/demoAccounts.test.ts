/**
 * The demo accounts of a data folder: a random password made at the first start, printed once
 * and stored only as hashes; later starts do not print it; `serve` warns while demo accounts are
 * active, and stops warning once they are disabled.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_ACCOUNTS } from '../src/demo/demoAccounts.ts'
import { kartu } from './helpers/cli.ts'
import { waitFor } from './helpers/clients.ts'
import { makeDataDir } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const WARNING = 'demo accounts are active'

describe('demo accounts', () => {
  const dataDir = makeDataDir()
  let server: ServerProcess | null = null
  afterAll(async () => {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  const signIn = async (running: ServerProcess, email: string, password: string) =>
    (
      await fetch(`${running.httpUrl}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
    ).status

  let password = ''

  it('get a random password at the first start, printed once and stored only as a hash', async () => {
    server = await startServer(dataDir, {}, 'demo')
    await waitFor(
      () => server?.output().includes('Kartu is running') ?? false,
      10_000,
      'the banner',
    )
    const printed = /the password of each is "([^"]+)"/.exec(server.output())?.[1]
    expect(printed).toMatch(/^kartu-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/)
    password = printed as string
    expect(password).not.toBe('kartu-demo')
    expect(await signIn(server, DEMO_ACCOUNTS[0]?.email as string, password)).toBe(200)
    expect(await signIn(server, DEMO_ACCOUNTS[0]?.email as string, 'kartu-demo')).toBe(401)
    // `demo` is for trying Kartu on one's own machine: no warning there.
    expect(server.output()).not.toContain(WARNING)
    await server.stop()
    server = null
    for (const file of fs.readdirSync(dataDir)) {
      const bytes = fs.readFileSync(path.join(dataDir, file))
      expect(bytes.includes(Buffer.from(password)), file).toBe(false)
    }
  })

  it('a later start does not print it; `serve` warns while demo accounts are active', async () => {
    server = await startServer(dataDir, {}, 'demo')
    await waitFor(
      () => server?.output().includes('Kartu is running') ?? false,
      10_000,
      'the banner',
    )
    expect(server.output()).not.toContain(password)
    expect(server.output()).toContain('printed when the demo was created')
    await server.stop()

    server = await startServer(dataDir)
    await waitFor(() => server?.output().includes(WARNING) ?? false, 5_000, 'the warning')
    expect(server.output()).toContain(DEMO_ACCOUNTS[0]?.email as string)
    await server.stop()

    for (const account of DEMO_ACCOUNTS) {
      expect((await kartu(dataDir, 'user', 'disable', '--email', account.email)).code).toBe(0)
    }
    server = await startServer(dataDir)
    expect(await signIn(server, DEMO_ACCOUNTS[0]?.email as string, password)).toBe(403)
    expect(server.output()).not.toContain(WARNING)
  })
})
