/**
 * Two ministries in two browsers type into the same card: each sees the other's text and caret
 * label, a reload shows the text, and the status reaches "Saved".
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchBrowser } from './helpers/browser.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')

async function signIn(context: BrowserContext, baseUrl: string, email: string, password: string) {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/`)
  await page.getByTestId('signin-email').fill(email)
  await page.getByTestId('signin-password').fill(password)
  await page.getByTestId('signin-submit').click()
  await page.getByTestId('card-row').first().waitFor({ timeout: 15_000 })
  return page
}

async function typeAtEnd(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('answer-editor').locator('.ProseMirror')
  await editor.click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text, { delay: 10 })
}

describe.skipIf(!browserAvailable())('co-editing in the browser', () => {
  let seeded: Seeded
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    if (!fs.existsSync(path.join(clientDist, 'index.html'))) {
      throw new Error('client/dist is missing: run the build first (pnpm build)')
    }
    seeded = await seed()
    server = await startServer(seeded.dataDir, { KARTU_CLIENT_DIR: clientDist })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('two ministries see each other type, with caret labels, and the text survives a reload', async () => {
    const cardId = seeded.cardIds[0] as string
    const kp2mi = seeded.users.kp2mi
    const kemlu = seeded.users.kemlu
    if (!kp2mi || !kemlu) throw new Error('seed is missing users')
    const contextA = await browser.newContext()
    const contextB = await browser.newContext()
    const pageA = await signIn(contextA, server.httpUrl, kp2mi.email, kp2mi.password)
    const pageB = await signIn(contextB, server.httpUrl, kemlu.email, kemlu.password)
    await pageA.goto(`${server.httpUrl}/cards/${cardId}`)
    await pageB.goto(`${server.httpUrl}/cards/${cardId}`)
    for (const page of [pageA, pageB]) {
      await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
      await expect
        .poll(() => page.getByTestId('save-status').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('saved')
    }

    const fromA = ' Tambahan dari KP2MI.'
    const fromB = ' Catatan dari Kemlu.'
    await typeAtEnd(pageA, fromA)
    await typeAtEnd(pageB, fromB)

    // Each sees the other's words within 2 s of typing them.
    await pageB
      .getByTestId('answer-editor')
      .getByText('Tambahan dari KP2MI.')
      .waitFor({ timeout: 2_000 })
    await pageA
      .getByTestId('answer-editor')
      .getByText('Catatan dari Kemlu.')
      .waitFor({ timeout: 2_000 })

    // And the other's caret, labelled with their name.
    await expect
      .poll(() => pageA.locator('.collaboration-carets__label').allTextContents(), {
        timeout: 5_000,
      })
      .toContainEqual(expect.stringContaining('Test kemlu'))
    await expect
      .poll(() => pageB.locator('.collaboration-carets__label').allTextContents(), {
        timeout: 5_000,
      })
      .toContainEqual(expect.stringContaining('Test kp2mi'))

    for (const page of [pageA, pageB]) {
      await expect
        .poll(() => page.getByTestId('save-status').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('saved')
    }

    await pageA.reload()
    const editorAfterReload = pageA.getByTestId('answer-editor')
    await editorAfterReload.getByText('Tambahan dari KP2MI.').waitFor({ timeout: 10_000 })
    await editorAfterReload.getByText('Catatan dari Kemlu.').waitFor({ timeout: 10_000 })
    await contextA.close()
    await contextB.close()
  })
})
