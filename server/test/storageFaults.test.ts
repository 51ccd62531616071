/**
 * A full disk, for real: the running server's file-size limit (RLIMIT_FSIZE, lowered with
 * `prlimit` on its process) makes every write to its database files fail in the kernel with
 * EFBIG, the way a full disk fails them with ENOSPC. Nothing in the server is told or mocked.
 *
 * While writes fail: no Persisted is sent, the editor in the browser does not say "Saved" but,
 * once a change has waited a few seconds, "not saved" with the count of what is waiting; the
 * server stays up and keeps serving reads. Once there is room again,
 * the waiting changes are stored without anyone reconnecting, and a restart shows all of them.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { cardDocumentName } from '@kartu/protocol'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { TEST_STORE } from '../src/testing/testPostgres.ts'
import { browserAvailable, launchBrowser } from './helpers/browser.ts'
import { CLIENT_DIST } from './helpers/browserSuite.ts'
import { answerXml, connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { answer, answerText, openCard, signIn, WAIT } from './helpers/editorPage.ts'
import { seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** Sets the soft file-size limit of a running process (bytes, or 'unlimited'). */
function setFileSizeLimit(pid: number, limit: number | 'unlimited'): void {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${limit}:unlimited`])
}

function prlimitAvailable(): boolean {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// SQLite only: the kernel's write limit is on SQLite's file. It runs in the default (SQLite) pass of the suite.
describe.skipIf(TEST_STORE === 'postgres')('a full disk', () => {
  const clients: TestClient[] = []
  let server: ServerProcess | null = null
  let browser: Browser | null = null
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    if (server?.child.pid) setFileSizeLimit(server.child.pid, 'unlimited')
    await server?.stop()
    server = null
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('sends no Persisted while writes fail, shows "not saved", and stores everything once there is room', async () => {
    if (!prlimitAvailable()) {
      throw new Error('prlimit (util-linux) is needed to make the disk full for the server')
    }
    const seeded = await seed()
    const cardId = seeded.cardIds[0] as string
    const name = cardDocumentName(cardId)
    const token = seeded.users.kemlu?.token as string
    server = await startServer(seeded.dataDir, { KARTU_CLIENT_DIR: CLIENT_DIST })
    const pid = server.child.pid as number

    const writer = connectClient(server.wsUrl, name, token)
    clients.push(writer)
    await writer.synced()
    firstText(writer.doc).insert(0, 'Sebelum disk penuh. ')
    await writer.saved()

    const withBrowser = browserAvailable() && fs.existsSync(path.join(CLIENT_DIST, 'index.html'))
    browser = withBrowser ? await launchBrowser() : null
    const context = browser ? await browser.newContext() : null
    context?.setDefaultTimeout(15_000)
    const kp2mi = seeded.users.kp2mi
    if (!kp2mi) throw new Error('seed is missing kp2mi')
    const page = context ? await signIn(context, server.httpUrl, kp2mi) : null
    if (page) await openCard(page, cardId)

    // The disk is full from here on.
    setFileSizeLimit(pid, 0)
    const ackedBefore = writer.persisted()
    for (let i = 1; i <= 5; i++) {
      firstText(writer.doc).insert(0, `[penuh-${i}] `)
      await pause(50)
    }
    if (page) {
      await answer(page).click()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(' Diketik saat disk penuh.', { delay: 20 })
    }
    await waitFor(
      () => server?.output().includes('storing updates failed') ?? false,
      10_000,
      'the server to report the failed write',
    )
    // The kernel refused the write, and SQLite said so (not some other failure).
    const failure = server
      .output()
      .split('\n')
      .find((line) => line.includes('storing updates failed'))
    expect(failure).toMatch(/SQLITE_IOERR|SQLITE_FULL/)
    // Give a wrongly sent acknowledgement every chance to arrive before checking there is none.
    await pause(3000)
    expect(writer.sent()).toBeGreaterThan(ackedBefore)
    expect(writer.persisted()).toBe(ackedBefore)
    if (page) {
      // Not "Saved", and after a few seconds not a mere "Saving…" either: it says not saved.
      const status = page.getByTestId('save-status')
      expect(await status.getAttribute('data-state')).toBe('saving')
      expect(Number(await status.getAttribute('data-pending'))).toBeGreaterThan(0)
      await expect.poll(() => status.getAttribute('data-stalled'), WAIT).toBe('true')
      expect(await status.textContent()).toMatch(/^Belum tersimpan: \d+ perubahan menunggu server$/)
    }

    // The server still serves: another card loads and syncs for a new reader.
    const other = connectClient(server.wsUrl, cardDocumentName(seeded.cardIds[1] as string), token)
    clients.push(other)
    await other.synced()
    expect(firstText(other.doc).length).toBeGreaterThan(0)

    // Room on the disk again: the retry stores what waited, with no reconnect.
    setFileSizeLimit(pid, 'unlimited')
    await writer.saved(20_000)
    if (page) {
      await expect
        .poll(() => page.getByTestId('save-status').getAttribute('data-state'), WAIT)
        .toBe('saved')
    }
    const expected = answerXml(writer.doc)
    for (let i = 1; i <= 5; i++) expect(expected).toContain(`[penuh-${i}]`)
    if (page) {
      await expect.poll(() => answerXml(writer.doc), WAIT).toContain('Diketik saat disk penuh.')
      expect(await answerText(page)).toContain('Diketik saat disk penuh.')
    }
    await context?.close()
    const finalText = answerXml(writer.doc)
    for (const client of clients.splice(0)) client.destroy()

    // Everything is on disk: a restart shows the document exactly as the client last had it.
    expect(await server.stop()).toBe(0)
    server = await startServer(seeded.dataDir)
    const reader = connectClient(server.wsUrl, name, token)
    clients.push(reader)
    await reader.synced()
    expect(answerXml(reader.doc)).toBe(finalText)
  }, 120_000)
})
