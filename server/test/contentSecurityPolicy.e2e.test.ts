/**
 * The Content-Security-Policy in Chromium: the whole app works under it (sign-in, the service
 * worker, a card with its websocket, typing until "Saved") without a single violation (zod's
 * probe for eval included), while an injected inline script and framing by another page are
 * refused, and the suites' guard sees each refusal. (Code run through page.evaluate is exempt
 * from the policy, so eval cannot be tried from here; the headers suite checks that no directive
 * allows it.)
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable, waitForServiceWorkerControl } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, WAIT, waitSaved } from './helpers/editorPage.ts'

/** The page's globals these tests read (the server's tsconfig has no DOM library). */
type PageGlobals = {
  document: {
    createElement(tag: string): { textContent: string }
    head: { append(node: unknown): void }
  }
  injectedRan?: boolean
}

describe.skipIf(!browserAvailable())('the Content-Security-Policy in the browser', () => {
  const suite = useBrowserSuite({ builtFiles: ['index.html', 'sw.js'] })

  it('lets the app sign in, install its worker, open a card over its websocket and save', async () => {
    const { seeded, server, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editor])
    try {
      const page = people.pages[0] as Page
      await waitForServiceWorkerControl(page)
      // Reached through the link, so the card page's chunk, styles and websocket all load.
      await openCard(page, seeded.cardIds[4] as string)
      await answer(page).click()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(' Di bawah kebijakan keamanan.', { delay: 10 })
      await waitSaved(page)
      expect(people.errors).toEqual([])
      // The afterEach guard fails this test on any violation; said here as well.
      expect(suite.csp.take()).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('refuses an injected inline script and framing by another page; the guard reports both', async () => {
    const { seeded, server, browser } = suite
    const reader = seeded.users.kemlu
    if (!reader) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [reader])
    try {
      const page = people.pages[0] as Page
      // What an injection bug would do: add a script element with code in it.
      await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals
        const script = document.createElement('script')
        script.textContent = 'globalThis.injectedRan = true'
        document.head.append(script)
      })
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).injectedRan)).toBe(
        undefined,
      )

      // Another page framing Kartu (clickjacking): frame-ancestors 'none' and X-Frame-Options.
      const framer = await people.contexts[0]?.newPage()
      await framer?.setContent(`<iframe src="${server.httpUrl}/"></iframe>`)
      const seen: string[] = []
      const reported = (what: RegExp) => {
        seen.push(...suite.csp.take())
        return seen.some((line) => what.test(line))
      }
      await expect
        .poll(() => reported(/inline script|script-src(-elem)? blocked inline/), WAIT)
        .toBe(true)
      await expect.poll(() => reported(/frame-ancestors/), WAIT).toBe(true)
    } finally {
      await people.close()
    }
  })
})
