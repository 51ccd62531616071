/**
 * "Since you last looked" in Chromium: a ministry types in a card and leaves; another ministry
 * changes it; coming back, the first sees the card marked changed on the dashboard, a summary
 * above the answer naming the other ministry, and the other's words highlighted in the answer
 * (underlined, named in the tooltip), until switched off. The deck's activity names both
 * ministries' edits, and filtered by ministry, one's alone.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, WAIT, waitSaved } from './helpers/editorPage.ts'

async function typeAtEnd(page: Page, text: string): Promise<void> {
  await answer(page).click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text, { delay: 5 })
  await waitSaved(page)
}

describe.skipIf(!browserAvailable())('since the last visit, in the browser', () => {
  const suite = useBrowserSuite()

  it('shows a returning ministry what another changed: on the dashboard, above and in the answer', async () => {
    const { seeded, server, browser } = suite
    const kp2mi = seeded.users.kp2mi
    const kemlu = seeded.users.kemlu
    if (!kp2mi || !kemlu) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[4] as string
    const deckUrl = `${server.httpUrl}/decks/${encodeURIComponent(seeded.deckId)}`
    const people = await signInPeople(browser, server.httpUrl, [kp2mi, kemlu])
    const [first, other] = people.pages as [Page, Page]
    try {
      await openCard(first, cardId)
      await typeAtEnd(first, ' Kalimat KP2MI.')
      // Leaving the card (the page closes): the server records what KP2MI saw.
      const context = first.context()
      await first.close()

      await openCard(other, cardId)
      await typeAtEnd(other, ' Tambahan Kemlu.')
      await other.close()

      const back = await context.newPage()
      back.on('pageerror', (error) => people.errors.push(String(error)))
      await back.goto(deckUrl)
      const flag = back.locator(
        `[data-testid="card-row"][data-card-id="${cardId}"] [data-testid="changed-flag"]`,
      )
      await expect.poll(() => flag.count(), WAIT).toBe(1)
      expect(await flag.textContent()).toBe('1 baru')
      expect(await flag.getAttribute('title')).toContain('1 perubahan oleh orang lain')

      // The deck's activity names both ministries' edits; filtered, Kemlu's alone.
      const feed = back.getByTestId('activity')
      const entries = feed.locator('[data-testid="activity-entry"][data-kind="edit"]')
      await expect.poll(() => entries.count(), WAIT).toBeGreaterThanOrEqual(2)
      expect(await entries.first().textContent()).toContain('Test kemlu')
      expect(await entries.first().textContent()).toContain('mengubah jawaban (+')
      await feed.getByTestId('activity-ministry').selectOption('KEMLU')
      await expect
        .poll(
          async () => (await entries.allTextContents()).every((text) => text.includes('Kemlu')),
          WAIT,
        )
        .toBe(true)
      expect(await entries.count()).toBeGreaterThan(0)

      await openCard(back, cardId)
      const summary = back.getByTestId('since-visit-text')
      await expect.poll(() => summary.textContent(), WAIT).toContain('1 perubahan oleh Kemlu')
      const inserted = back.getByTestId('since-visit-insert')
      await expect.poll(() => inserted.count(), WAIT).toBeGreaterThan(0)
      const highlighted = (await inserted.allTextContents()).join('')
      expect(highlighted).toContain('Tambahan Kemlu.')
      expect(highlighted).not.toContain('KP2MI')
      expect(await inserted.first().getAttribute('data-author')).toBe(kemlu.id)
      expect(await inserted.first().getAttribute('title')).toContain('ditambahkan oleh Test kemlu')

      // Switched off: the answer is plain again; the words are still there.
      await back.getByTestId('since-visit-switch').uncheck()
      await expect.poll(() => inserted.count(), WAIT).toBe(0)
      expect(await answer(back).textContent()).toContain('Tambahan Kemlu.')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
