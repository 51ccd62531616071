/**
 * The card's versions in Chromium: an editor names the answer as a version, keeps typing, and
 * reads the version as it was; a suggester sees the versions but has nothing to name one with;
 * an editor compares a version with the answer now and sees their own words as inserted by them;
 * the chair restores a version and another person sees the answer change live, with the
 * restore in the decision log.
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

  it('an editor compares a version with the answer now: the new words are theirs, the gone ones struck', async () => {
    const { seeded, server, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[1] as string
    const people = await signInPeople(browser, server.httpUrl, [editor])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      await typeAtEnd(page, ' Kalimat lama.')
      await page.getByLabel('Nama versi ini').fill('Awal')
      await page.getByTestId('version-save').click()
      await expect
        .poll(() => page.getByTestId('version-entry').first().textContent(), WAIT)
        .toContain('Awal')
      // "lama." becomes "baru.": Backspace over the old word, then the new one.
      await answer(page).click()
      await page.keyboard.press('Control+End')
      for (let i = 0; i < 'lama.'.length; i++) await page.keyboard.press('Backspace')
      await page.keyboard.type('baru.', { delay: 5 })
      await waitSaved(page)

      await page.getByTestId('compare-submit').click()
      const compare = page.getByTestId('version-compare')
      await expect
        .poll(() => compare.getByTestId('compare-change').count(), WAIT)
        .toBeGreaterThan(1)
      const inserted = compare.locator('[data-testid="compare-change"][data-kind="insert"]').last()
      const deleted = compare.locator('[data-testid="compare-change"][data-kind="delete"]').last()
      expect(await inserted.getAttribute('data-author')).toBe(editor.id)
      expect(await inserted.textContent()).toContain('baru')
      expect(await deleted.textContent()).toContain('lama')
      // Named in words, not by colour alone.
      expect(await inserted.getAttribute('title')).toContain('ditambahkan oleh Test kp2mi')
      expect(await deleted.getAttribute('title')).toContain('dihapus oleh Test kp2mi')
      expect(await compare.getByTestId('compare-people').textContent()).toContain('Test kp2mi')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('the chair restores a version and another person sees it live, with the restore in the decision log', async () => {
    const { seeded, server, browser } = suite
    const chair = seeded.users.chair
    const editor = seeded.users.kemlu
    if (!chair || !editor) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[2] as string
    const people = await signInPeople(browser, server.httpUrl, [chair, editor])
    const [chairPage, editorPage] = people.pages as [Page, Page]
    try {
      await openCard(editorPage, cardId)
      await openCard(chairPage, cardId)
      await typeAtEnd(editorPage, ' Teks yang disepakati.')
      await chairPage.getByLabel('Nama versi ini').fill('Disepakati')
      await chairPage.getByTestId('version-save').click()
      const agreed = chairPage.getByTestId('version-entry').filter({ hasText: 'Disepakati' })
      await expect.poll(() => agreed.count(), WAIT).toBe(1)
      await typeAtEnd(editorPage, ' Teks yang keliru.')
      await expect.poll(() => answer(chairPage).textContent(), WAIT).toContain('Teks yang keliru.')

      await agreed.getByTestId('version-restore').click()
      const form = chairPage.getByTestId('version-restore-form')
      expect(await form.getByTestId('version-restore-confirm').isDisabled()).toBe(true)
      await form.getByTestId('version-restore-reason').fill('Kembali ke teks rakor')
      await form.getByTestId('version-restore-confirm').click()
      await expect
        .poll(() => chairPage.getByTestId('version-status').textContent(), WAIT)
        .toBe('Versi “Disepakati” dipulihkan.')

      // The other person: the answer changes in front of them, no reload, and the log says why.
      await expect
        .poll(() => answer(editorPage).textContent(), WAIT)
        .not.toContain('Teks yang keliru.')
      expect(await answer(editorPage).textContent()).toContain('Teks yang disepakati.')
      const entry = editorPage.locator('[data-testid="decision-entry"][data-outcome="restore"]')
      await expect.poll(() => entry.count(), WAIT).toBe(1)
      expect(await entry.textContent()).toContain('Disepakati')
      expect(await entry.getByTestId('decision-entry-reason').textContent()).toBe(
        'Kembali ke teks rakor',
      )
      expect(await entry.textContent()).toContain('Test chair')
      // The other person's timeline of the card shows it, soon after the card changed (not at
      // its next 15-second refresh).
      const restoreEntry = editorPage.locator(
        '[data-testid="activity"] [data-testid="activity-entry"][data-kind="restore"]',
      )
      await expect.poll(() => restoreEntry.count(), { timeout: 8_000 }).toBe(1)
      expect(await restoreEntry.textContent()).toContain('Kembali ke teks rakor')
      // The text before is a version of its own, for both.
      await expect
        .poll(
          () => editorPage.locator('[data-testid="version-entry"][data-kind="restore"]').count(),
          {
            ...WAIT,
            timeout: 70_000,
          },
        )
        .toBe(1)
      // Typing goes on after it.
      await typeAtEnd(editorPage, ' Lanjut.')
      await expect.poll(() => answer(chairPage).textContent(), WAIT).toContain('Lanjut.')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('the chair closes a rakor session from the dashboard: the changed cards get its version', async () => {
    const { seeded, server, browser } = suite
    const chair = seeded.users.chair
    if (!chair) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chair])
    const [page] = people.pages as [Page]
    try {
      const form = page.getByTestId('session-close')
      await form.waitFor()
      expect(await page.getByTestId('session-name').inputValue()).toMatch(/^Rakor \d+ \p{L}+$/u)
      await page.getByTestId('session-name').fill('Rakor 3 Desember')
      await page.getByTestId('session-submit').click()
      // The tests before changed the first three cards.
      await expect
        .poll(() => page.getByTestId('session-status').textContent(), WAIT)
        .toBe('Sesi “Rakor 3 Desember” ditutup: 3 kartu yang berubah selama sesi mendapat versi.')
      const entry = page.locator('[data-testid="activity-entry"][data-kind="session"]')
      await expect.poll(() => entry.count(), WAIT).toBe(3)
      expect(await entry.first().textContent()).toContain('sesi rakor ditutup: “Rakor 3 Desember”')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
