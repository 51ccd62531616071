/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). When it is missing,
 * browser suites skip with a loud message, except under CI=true, where that is a failure.
 */
import fs from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

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
