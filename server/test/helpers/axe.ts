/**
 * axe-core in a page, under the app's Content-Security-Policy: the library's source is handed to
 * page.evaluate as a string, which Chromium runs through the DevTools protocol, where the page's
 * policy does not apply; a script element would be refused (no inline scripts) and would fail
 * the suite's guard. axe itself needs no eval, so nothing it does afterwards is refused either.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: what Kartu promises. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

/** The impacts that fail a suite. */
const FAILING: ReadonlySet<ImpactValue> = new Set<ImpactValue>(['serious', 'critical'])

/** The page's global that axe-core's source defines (the server's tsconfig has no DOM library). */
type AxeGlobals = {
  axe?: { run(context: unknown, options: RunOptions): Promise<AxeResults> }
  document: unknown
}

/** How long axe waits for CSS transitions to end (a caret label fading out takes 0.3 s). */
const TRANSITIONS_SETTLE_MS = 2_000

/**
 * Runs axe-core on the whole page as it is now; injects it first if the page has none yet.
 * Transitions under way are let finish first: halfway through a fade (a collaborator's caret
 * label leaving), axe reads the colours blended with the page and reports a contrast the page
 * never rests at.
 */
export async function axeViolations(page: Page): Promise<Result[]> {
  await page
    .waitForFunction(
      () => {
        const { document } = globalThis as unknown as {
          document: { getAnimations(): Array<{ playState: string; constructor: { name: string } }> }
        }
        return document
          .getAnimations()
          .every(
            (animation) =>
              animation.constructor.name !== 'CSSTransition' || animation.playState !== 'running',
          )
      },
      undefined,
      { polling: 50, timeout: TRANSITIONS_SETTLE_MS },
    )
    // A transition that never ends does not stop the check: axe runs on what is there.
    .catch(() => undefined)
  const present = await page.evaluate(() => (globalThis as unknown as AxeGlobals).axe !== undefined)
  if (!present) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(
    (options) => {
      const { axe, document } = globalThis as unknown as AxeGlobals
      if (!axe) throw new Error('axe-core did not load')
      return axe.run(document, options)
    },
    {
      runOnly: { type: 'tag', values: WCAG_AA_TAGS },
      resultTypes: ['violations'],
    } satisfies RunOptions,
  )
  return results.violations
}

/** The serious and critical violations only, one readable line per element. */
export function seriousViolations(where: string, violations: readonly Result[]): string[] {
  const lines: string[] = []
  for (const violation of violations) {
    if (!violation.impact || !FAILING.has(violation.impact)) continue
    for (const node of violation.nodes) {
      lines.push(
        `${where}: ${violation.id} (${violation.impact}) at ${node.target.join(' ')}: ` +
          `${violation.help}${node.failureSummary ? ` [${node.failureSummary.replace(/\s+/g, ' ')}]` : ''}`,
      )
    }
  }
  return lines
}
