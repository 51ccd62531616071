/**
 * Never lose a word, in Chromium: an editor opens a card online (the service worker installs and
 * caches the app and the card's REST data), the server goes down, the editor types, and a reload
 * while the server is still down shows the card with the typed text and the count of unsaved
 * changes. Leaving the page with unsaved changes asks first. Once the server is back, the status
 * turns "Saved" and a fresh client reads the text from the server. Also the worker's own
 * properties: how /sw.js is served and what it precaches, old caches deleted on activation, and
 * the REST cache emptied when another person signs in on the same browser.
 */
import { cardDocumentName } from '@kartu/protocol'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable, waitForServiceWorkerControl } from './helpers/browser.ts'
import { CLIENT_DIST, useBrowserSuite } from './helpers/browserSuite.ts'
import { answerXml, connectClient } from './helpers/clients.ts'
import { answer, answerText, openCard, signIn, WAIT, waitSaved } from './helpers/editorPage.ts'
import { startServer } from './helpers/serverProcess.ts'

const API_CACHE = 'kartu-api-v1'
/** Where, in the REST cache, the worker notes whose answers it holds (client/src/sw). */
const API_OWNER_KEY = '/__kartu/api-cache-owner'

const saveState = (page: Page) => page.getByTestId('save-status').getAttribute('data-state')
const pendingCount = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('save-status').getAttribute('data-pending'))

/** The page's globals these tests read (the server's tsconfig has no DOM library). */
type PageGlobals = {
  caches: {
    keys(): Promise<string[]>
    has(name: string): Promise<boolean>
    open(name: string): Promise<{
      keys(): Promise<ReadonlyArray<{ url: string }>>
      match(url: string): Promise<{ text(): Promise<string> } | undefined>
      put(url: string, response: unknown): Promise<void>
    }>
  }
  Response: new (body: string) => unknown
}

/** The paths the service worker holds in its REST cache. */
function cachedApiPaths(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    const { caches } = globalThis as unknown as PageGlobals
    if (!(await caches.has(name))) return []
    const cache = await caches.open(name)
    return (await cache.keys()).map((request) => new URL(request.url).pathname)
  }, API_CACHE)
}

/** The id of the person whose answers the REST cache holds, as the worker noted it. */
function cachedApiOwner(page: Page): Promise<string | null> {
  return page.evaluate(
    async ([name, key]) => {
      const { caches } = globalThis as unknown as PageGlobals
      if (!(await caches.has(name))) return null
      const noted = await (await caches.open(name)).match(key)
      return noted ? noted.text() : null
    },
    [API_CACHE, API_OWNER_KEY] as const,
  )
}

/** Whether leaving the page now would ask first: the app's beforeunload handler objects. */
const leavingAsks = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const window = globalThis as unknown as EventTarget
    const event = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(event)
    return event.defaultPrevented
  })

describe.skipIf(!browserAvailable())('offline in the browser', () => {
  const suite = useBrowserSuite({ builtFiles: ['index.html', 'sw.js'] })

  it('serves the service worker so that browsers always check it for a new version', async () => {
    const response = await fetch(`${suite.server.httpUrl}/sw.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    const script = await response.text()
    expect(script).toContain('kartu-api-v1')
    expect(script).not.toMatch(/^\s*(import|export)\b/m)
    // The precache list, written in by the build: the page and the script it loads (hashed, so
    // without a revision), but none of the compressed copies the server sends in their place.
    const page = await (await fetch(`${suite.server.httpUrl}/`)).text()
    const entry = /src="\/(assets\/index-[\w-]+\.js)"/.exec(page)?.[1]
    expect(entry).toBeDefined()
    expect(script).toMatch(/\{"revision":"[0-9a-f]+","url":"index\.html"\}/)
    expect(script).toContain(`{"revision":null,"url":"${entry}"}`)
    expect(script).not.toMatch(/"url":"[^"]+\.(br|gz)"/)
  })

  it('deletes the caches of earlier workers when it activates, and nobody else’s', async () => {
    const { seeded, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    try {
      // Before signing in, so before the worker is registered: what a browser that ran the
      // hand-written worker, or an earlier build, has kept.
      const page = await context.newPage()
      await page.goto(`${suite.server.httpUrl}/`)
      const planted = ['kartu-static-0123456789ab', 'kartu-assets', 'another-app']
      await page.evaluate(async (names) => {
        const { caches, Response } = globalThis as unknown as PageGlobals
        for (const name of names) await (await caches.open(name)).put('/x.json', new Response('{}'))
      }, planted)
      await page.getByTestId('signin-email').fill(editor.email)
      await page.getByTestId('signin-password').fill(editor.password)
      await page.getByTestId('signin-submit').click()
      await waitForServiceWorkerControl(page)

      const names = () => page.evaluate(() => (globalThis as unknown as PageGlobals).caches.keys())
      await expect.poll(names, WAIT).not.toContain('kartu-static-0123456789ab')
      const kept = await names()
      expect(kept).not.toContain('kartu-assets')
      // Someone else's cache stays, and so does this worker's precache.
      expect(kept).toEqual(expect.arrayContaining(['another-app', 'kartu-precache-v2']))
    } finally {
      await context.close()
    }
  })

  it('empties the REST cache when /api/me names someone else, so that nobody sees another’s data', async () => {
    const { seeded, browser } = suite
    const cardId = seeded.cardIds[1] as string
    const editor = seeded.users.kp2mi
    const reader = seeded.users.kemlu
    if (!editor || !reader) throw new Error('seed is missing users')
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    try {
      const page = await signIn(context, suite.server.httpUrl, editor)
      await waitForServiceWorkerControl(page)
      await openCard(page, cardId)
      await expect
        .poll(() => cachedApiPaths(page), WAIT)
        .toEqual(expect.arrayContaining(['/api/me', `/api/cards/${cardId}`]))
      expect(await cachedApiOwner(page)).toBe(editor.id)

      // Someone else signs in on this browser past the worker (as from a page it does not
      // control): the worker only learns of it from the next /api/me.
      const signedIn = await context.request.post(`${suite.server.httpUrl}/api/auth/sign-in`, {
        data: { email: reader.email, password: reader.password },
      })
      expect(signedIn.status()).toBe(200)
      await page.goto(`${suite.server.httpUrl}/`)
      await page.getByTestId('card-row').first().waitFor()

      await expect.poll(() => cachedApiOwner(page), WAIT).toBe(reader.id)
      const paths = await cachedApiPaths(page)
      expect(paths).toContain('/api/me')
      expect(paths).not.toContain(`/api/cards/${cardId}`)
    } finally {
      await context.close()
    }
  })

  it('a reload while the server is down shows the unsaved text and count; it is saved once the server is back', async () => {
    const { seeded, browser } = suite
    const cardId = seeded.cardIds[2] as string
    const editor = seeded.users.kp2mi
    const reader = seeded.users.kemlu
    if (!editor || !reader) throw new Error('seed is missing users')
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    try {
      const page = await signIn(context, suite.server.httpUrl, editor)
      // The worker installs (precaching the app) and takes control of the page.
      await waitForServiceWorkerControl(page)
      await openCard(page, cardId)
      // What the card page needs is in the worker's REST cache.
      await expect
        .poll(() => cachedApiPaths(page), WAIT)
        .toEqual(expect.arrayContaining(['/api/me', `/api/cards/${cardId}`]))

      const port = suite.server.port
      await suite.server.stop()
      await expect.poll(() => saveState(page), WAIT).toBe('offline')

      const typed = ' Ditulis saat server mati.'
      await answer(page).focus()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(typed, { delay: 20 })
      await expect.poll(() => pendingCount(page), WAIT).toBeGreaterThan(0)
      expect(await saveState(page)).toBe('offline')
      expect(await leavingAsks(page)).toBe(true)
      // y-indexeddb writes each change in its own transaction; let the last one commit.
      await page.waitForTimeout(500)

      // Leaving with unsaved changes asks first (beforeunload); the person reloads anyway.
      const dialogs: string[] = []
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.type())
        void dialog.accept()
      })
      await page.reload()
      expect(dialogs).toContain('beforeunload')

      // The server is still down: the app shell, the card's data and the text come from caches.
      await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor(WAIT)
      await expect.poll(() => answerText(page), WAIT).toContain(typed.trim())
      expect(await saveState(page)).toBe('offline')
      expect(await pendingCount(page)).toBeGreaterThan(0)
      await expect.poll(() => page.getByTestId('save-status').textContent(), WAIT).toMatch(/\d/)

      // The server comes back (same port): the jittered retry finds it, and only the server's
      // Persisted turns the status to "Saved" (the retry may wait up to 30 s by design).
      suite.server = await startServer(seeded.dataDir, {
        KARTU_CLIENT_DIR: CLIENT_DIST,
        PORT: String(port),
      })
      await expect.poll(() => saveState(page), { timeout: 60_000 }).toBe('saved')
      expect(await pendingCount(page)).toBe(0)
      await waitSaved(page)

      // A fresh client reads the text from the server.
      const fresh = connectClient(suite.server.wsUrl, cardDocumentName(cardId), reader.token)
      try {
        await fresh.synced()
        expect(answerXml(fresh.doc)).toContain(typed.trim())
      } finally {
        fresh.destroy()
      }

      // Saved: leaving no longer asks, and signing out (no confirmation needed now) drops the
      // cached REST answers.
      expect(await leavingAsks(page)).toBe(false)
      await page.getByTestId('sign-out').click()
      await page.waitForURL('**/sign-in')
      expect(await cachedApiPaths(page)).toEqual([])
      expect(dialogs).toEqual(['beforeunload'])
    } finally {
      await context.close()
    }
  })
})
