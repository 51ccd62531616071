/**
 * Accessibility, checked by axe-core against WCAG 2.0, 2.1 and 2.2 at levels A and AA, on every
 * page of a rakor: the sign-in page, the dashboard, the members page, a card as each role sees it
 * (chair, editor, suggester, commenter, viewer) and the presentation view, each on a laptop
 * (1440×900) and on a phone (390×844). A serious or critical violation fails the suite, listed
 * with its rule, impact, elements and what to do; axe runs under the app's Content-Security-
 * Policy without tripping the suites' guard (see helpers/axe.ts).
 *
 * The pages are checked in the state a meeting leaves them in, so that nothing is checked empty:
 * a card with an open suggestion and its discussion, a comment thread with a reply, a suggestion
 * rejected with a reason in the decision log; the dashboard with people on the card.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { axeViolations, seriousViolations } from './helpers/axe.ts'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'
import type { SeededUser } from './helpers/seed.ts'

/** The phone first: the pages are then left at the laptop size for what the test does next. */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
] as const

/** One person per role, by their key in the seed: chair, editor, suggester, commenter, viewer. */
const PEOPLE = ['chair', 'kp2mi', 'suggester', 'commenter', 'viewer'] as const

/** The serious and critical violations of the page as it is now, at each size. */
async function check(page: Page, what: string): Promise<string[]> {
  const found: string[] = []
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport)
    // As the page opens: scrolled down, the phone's sticky header stands over whatever passed
    // under it, which axe counts as a target obscured (it is, until scrolled back).
    await page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.scrollTo(0, 0))
    const where = `${what} at ${viewport.width}×${viewport.height}`
    found.push(...seriousViolations(where, await axeViolations(page)))
  }
  return found
}

function expectNone(found: readonly string[]): void {
  expect(found, `serious or critical accessibility violations:\n${found.join('\n')}\n`).toEqual([])
}

describe.skipIf(!browserAvailable())('accessibility (axe-core, WCAG 2.2 AA)', () => {
  const suite = useBrowserSuite()

  it('the sign-in page, empty and with a refusal', async () => {
    const context = await suite.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${suite.server.httpUrl}/sign-in`)
      await page.getByTestId('signin-email').waitFor(WAIT)
      const found = await check(page, 'sign-in')
      // axe's source went in and ran without a refusal (the afterEach guard says so as well).
      expect(suite.csp.take()).toEqual([])

      await page.getByTestId('signin-email').fill('nobody@kartu.test')
      await page.getByTestId('signin-password').fill('not the password')
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('signin-error').waitFor(WAIT)
      found.push(...(await check(page, 'sign-in, refused')))
      expectNone(found)
    } finally {
      await context.close()
    }
  })

  it('the dashboard, the members page, the inbox, a card as each role and the presentation view', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const users = PEOPLE.map((key) => seeded.users[key])
    if (users.some((user) => user === undefined)) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, users as SeededUser[])
    const { pages, errors } = people
    const [chair, editor, suggester, commenter, viewer] = pages as [Page, Page, Page, Page, Page]
    const found: string[] = []
    try {
      // The members page: the chair manages it, everyone else reads it.
      for (const [page, role] of [
        [chair, 'chair'],
        [suggester, 'suggester'],
      ] as const) {
        found.push(...(await check(page, `dashboard (${role})`)))
        await page.getByTestId('members-link').click()
        await page.getByTestId('member-row').first().waitFor(WAIT)
        found.push(...(await check(page, `members page (${role})`)))
        // The inbox, with its settings, from the header's bell.
        await page.getByTestId('inbox-link').click()
        await page.getByTestId('notification-settings').waitFor(WAIT)
        found.push(...(await check(page, `inbox (${role})`)))
        await page.goBack()
        await page.getByTestId('member-row').first().waitFor(WAIT)
        await page.goBack()
        await page.getByTestId('card-row').first().waitFor(WAIT)
      }

      // The meeting so far: two suggestions, the second discussed; a thread with a reply.
      for (const page of pages) await openCard(page, cardId)
      await selectWord(suggester, 'mendasar')
      await suggester.keyboard.type('signifikan', { delay: 10 })
      await waitSaved(suggester)
      const modeSwitch = editor.getByTestId('mode-switch')
      await modeSwitch.click()
      await expect.poll(() => modeSwitch.getAttribute('data-mode'), WAIT).toBe('suggesting')
      await selectWord(editor, 'berubah')
      await editor.keyboard.type('bergeser', { delay: 10 })
      await waitSaved(editor)
      const suggestions = commenter.getByTestId('panel-suggestion')
      await expect.poll(() => suggestions.count(), WAIT).toBe(2)
      // The chair decides the first in the answer's order, so this discussion stays open.
      const discussed = suggestions.last()
      await discussed.getByTestId('reply-suggestion').click()
      await discussed.getByTestId('suggestion-reply-input').fill('Mohon rujukannya.')
      await discussed.getByTestId('suggestion-reply-submit').click()
      await waitSaved(commenter)
      await selectWord(editor, 'Perpres')
      await editor.getByTestId('comment-button').click()
      await editor.getByTestId('comment-input').fill('Mohon dicek nomor Perpres ini.')
      await editor.getByTestId('comment-submit').click()
      const thread = commenter.getByTestId('thread')
      await expect.poll(() => thread.count(), WAIT).toBe(1)
      await thread.getByTestId('reply-input').fill('Perpres No. 165/2024.')
      await thread.getByTestId('reply-submit').click()
      await waitSaved(commenter)

      // The chair projects the card and rejects the first suggestion with a reason; the viewer
      // watches the same view.
      await chair.getByTestId('present-link').click()
      await chair.getByTestId('present-view').waitFor(WAIT)
      const progress = chair.getByTestId('present-progress')
      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 2')
      found.push(...(await check(chair, 'presentation view (chair)')))
      await chair.getByTestId('decision-reason').fill('Rumusan awal sudah tepat.')
      await chair.getByTestId('present-reject').click()
      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 1 · 1 diputuskan')
      found.push(...(await check(chair, 'presentation view, one decided (chair)')))
      await viewer.goto(`${server.httpUrl}/cards/${cardId}/present`)
      await viewer.getByTestId('present-focused').waitFor(WAIT)
      found.push(...(await check(viewer, 'presentation view (viewer)')))
      await viewer.goBack()
      await chair.goBack()

      for (const [index, page] of pages.entries()) {
        await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor(WAIT)
        await expect.poll(() => page.getByTestId('decision-entry').count(), WAIT).toBe(1)
        await expect.poll(() => page.getByTestId('thread').count(), WAIT).toBe(1)
        await expect.poll(() => page.getByTestId('suggestion-thread').count(), WAIT).toBe(1)
        await waitSaved(page)
        found.push(...(await check(page, `card (${users[index]?.role})`)))
      }

      // Back on the dashboard while the others are still on the card: their presence shows.
      await chair.locator('a.app-header__title').click()
      await chair.getByTestId('card-row').first().waitFor(WAIT)
      await chair.getByTestId('presence-badge').first().waitFor(WAIT)
      found.push(...(await check(chair, 'dashboard with people on a card (chair)')))

      await expectNoRejection(pages)
      expect(errors).toEqual([])
      expectNone(found)
    } finally {
      await people.close()
    }
  })
})
