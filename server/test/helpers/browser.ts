/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). When it is missing,
 * browser suites skip with a loud message, except under CI=true, where that is a failure.
 */
import fs from 'node:fs'
import { type Browser, chromium, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.KARTU_CHROMIUM ?? '/usr/bin/chromium'

export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true
  if (process.env.CI === 'true') {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}; CI must install it (apt-get install chromium)`,
    )
  }
  console.warn(
    `\n*** SKIPPING BROWSER TESTS: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium) ***\n`,
  )
  return false
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}

/**
 * Reports every Content-Security-Policy violation as a console error that names the policy, so
 * that one listener sees it beside Chromium's own "Refused to ... Content Security Policy"
 * messages. A string: the server's tsconfig has no DOM library. Init scripts run through the
 * DevTools protocol, which the page's policy does not govern.
 */
const REPORT_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.violatedDirective + ' blocked ' +
    (event.blockedURI || 'inline') + ' in ' + event.sourceFile + ':' + event.lineNumber)
})`

export type CspGuard = {
  /** The violations seen since the last call, each with its page; clears them. */
  take(): string[]
}

/**
 * Watches every browser context made from now on (newContext, and newPage, which makes one) for
 * Content-Security-Policy violations. Wrapping newContext, rather than asking each suite to
 * watch its contexts, means no suite can forget: a page that breaks the policy fails whichever
 * test it runs in (useBrowserSuite checks after each test).
 */
export function guardContentSecurityPolicy(browser: Browser): CspGuard {
  const violations: string[] = []
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (...options: Parameters<Browser['newContext']>) => {
    const context = await newContext(...options)
    await context.addInitScript({ content: REPORT_VIOLATIONS })
    context.on('console', (message) => {
      const text = message.text()
      if (text.includes('Content Security Policy')) {
        violations.push(`${message.page()?.url() ?? 'a worker'}: ${text}`)
      }
    })
    return context
  }
  return { take: () => violations.splice(0) }
}

/**
 * Waits until the app's service worker controls `page`. Taking control refetches what the page
 * shows (client/src/app/serviceWorker.ts), so a test that changes what the server answers (a
 * session ended, a role taken away) waits for it first: otherwise that refetch may meet the
 * change, and which of the two the page reacts to first depends on the machine's speed.
 */
export async function waitForServiceWorkerControl(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    () =>
      (globalThis as unknown as { navigator: { serviceWorker: { controller: object | null } } })
        .navigator.serviceWorker.controller !== null,
    null,
    { timeout },
  )
}
