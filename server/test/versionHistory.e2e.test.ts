/**
 * The card's versions in Chromium: an editor names the answer as a version, keeps typing, and
 * reads the version as it was; a suggester sees the versions but has nothing to name one with.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, WAIT, waitSaved } from './helpers/editorPage.ts'

/** Types at the very end of the answer and waits until the server has stored it. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await answer(page).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text, { delay: 5 })
  await waitSaved(page)
}

describe.skipIf(!browserAvailable())('versions of the answer in the browser', () => {
  const suite = useBrowserSuite()

  it('an editor names a version, keeps typing, and reads the version as it was', async () => {
    const { seeded, server, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[0] as string
    const people = await signInPeople(browser, server.httpUrl, [editor])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      await typeAtEnd(page, ' Kalimat versi satu.')
      const versions = page.getByTestId('versions')
      await versions.scrollIntoViewIfNeeded()
      expect(await versions.getByRole('heading', { level: 2 }).textContent()).toContain('Versi')

      await page.getByLabel('Nama versi ini').fill('Sebelum rakor')
      await page.getByTestId('version-save').click()
      await expect
        .poll(() => page.getByTestId('version-status').textContent(), WAIT)
        .toBe('Versi “Sebelum rakor” disimpan.')
      const entry = page.getByTestId('version-entry').first()
      await expect.poll(() => entry.textContent(), WAIT).toContain('Sebelum rakor')
      expect(await entry.getAttribute('data-kind')).toBe('named')
      expect(await entry.textContent()).toContain('Test kp2mi')
      expect(await page.getByTestId('version-name').inputValue()).toBe('')

      await typeAtEnd(page, ' Tambahan sesudahnya.')
      await entry.getByTestId('version-view').click()
      const text = page.getByTestId('version-text')
      await expect.poll(() => text.textContent(), WAIT).toContain('Kalimat versi satu.')
      expect(await text.textContent()).not.toContain('Tambahan sesudahnya.')
      expect(await entry.getByTestId('version-view').getAttribute('aria-pressed')).toBe('true')
      // Closed again from the same button.
      await entry.getByTestId('version-view').click()
      await expect.poll(() => text.count(), WAIT).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('a suggester sees the versions and has no form to name one', async () => {
    const { seeded, server, browser } = suite
    const suggester = seeded.users.suggester
    if (!suggester) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[0] as string
    const people = await signInPeople(browser, server.httpUrl, [suggester])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      const entries = page.getByTestId('version-entry')
      // The version the editor named in the test before.
      await expect.poll(() => entries.count(), WAIT).toBeGreaterThan(0)
      expect(await page.getByTestId('version-save').count()).toBe(0)
      expect(await page.getByTestId('version-name').count()).toBe(0)
    } finally {
      await people.close()
    }
  })
})
