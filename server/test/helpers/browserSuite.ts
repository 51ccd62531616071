/**
 * What every browser suite starts from, and the people in it: the client's production build
 * (the root `pnpm test` builds it before the tests), a seeded data folder, a real server serving
 * that build, Chromium, and one browser context per person, signed in. Every test of a suite
 * fails if a page reported a Content-Security-Policy violation.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type CspGuard, guardContentSecurityPolicy, launchBrowser } from './browser.ts'
import { signIn } from './editorPage.ts'
import { type Seeded, type SeededUser, seed } from './seed.ts'
import { type ServerProcess, startServer } from './serverProcess.ts'

export const CLIENT_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../client/dist',
)

export type BrowserSuite = {
  seeded: Seeded
  /** The running server; a suite that restarts it puts the new one here. */
  server: ServerProcess
  browser: Browser
  /** Content-Security-Policy violations the pages reported; after each test there must be none. */
  csp: CspGuard
}

export type SuiteOptions = {
  /** Files of the build the suite needs (index.html by default). */
  builtFiles?: string[]
  /** Runs on the seeded data folder before the server starts (e.g. a CLI command). */
  beforeStart?: (seeded: Seeded) => Promise<void>
  /** Environment of the server beyond the defaults (e.g. a small KARTU_MAX_MESSAGE_BYTES). */
  env?: Record<string, string>
}

/**
 * Registers the suite's beforeAll and afterAll; read the fields inside the tests, once the
 * beforeAll has filled them.
 */
export function useBrowserSuite(options: SuiteOptions = {}): BrowserSuite {
  // Filled by beforeAll, before any test reads it.
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    for (const file of options.builtFiles ?? ['index.html']) {
      if (!fs.existsSync(path.join(CLIENT_DIST, file))) {
        throw new Error(`client/dist/${file} is missing: run the build first (pnpm build)`)
      }
    }
    suite.seeded = await seed()
    await options.beforeStart?.(suite.seeded)
    suite.server = await startServer(suite.seeded.dataDir, {
      KARTU_CLIENT_DIR: CLIENT_DIST,
      ...options.env,
    })
    suite.browser = await launchBrowser()
    suite.csp = guardContentSecurityPolicy(suite.browser)
  })
  // The policy is the server's (http/securityHeaders.ts); a client change that needs an inline
  // script, eval or another origin would break the app for real people, so it fails here.
  afterEach(() => {
    const violations = suite.csp?.take() ?? []
    if (violations.length > 0) {
      throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`)
    }
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.server?.stop()
  })
  return suite
}

export type People = {
  /** One signed-in page per person, in the order given. */
  pages: Page[]
  /** Their browser contexts, in the same order (e.g. to take one offline). */
  contexts: BrowserContext[]
  /** Uncaught errors of any page: a suite ends by expecting none. */
  errors: string[]
  close(): Promise<void>
}

/** Signs each person in, in a browser context of their own (no shared cookies or storage). */
export async function signInPeople(
  browser: Browser,
  baseUrl: string,
  users: readonly SeededUser[],
): Promise<People> {
  const contexts: BrowserContext[] = await Promise.all(users.map(() => browser.newContext()))
  for (const context of contexts) context.setDefaultTimeout(15_000)
  const errors: string[] = []
  const close = () => Promise.all(contexts.map((context) => context.close())).then(() => {})
  try {
    const pages = await Promise.all(
      users.map((user, index) => signIn(contexts[index] as BrowserContext, baseUrl, user)),
    )
    for (const page of pages) page.on('pageerror', (error) => errors.push(String(error)))
    return { pages, contexts, errors, close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * A refused update means client and server disagree on what was allowed, and the reload after
 * it drops the refused typing: either banner fails the test, with its text.
 */
export async function expectNoRejection(pages: readonly Page[]): Promise<void> {
  for (const page of pages) {
    for (const testId of ['sync-rejected', 'sync-reloaded']) {
      const banner = page.getByTestId(testId)
      if ((await banner.count()) > 0) {
        throw new Error(`${testId} on ${page.url()}: ${await banner.first().textContent()}`)
      }
    }
  }
}
