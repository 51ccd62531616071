/**
 * The card page without rough edges, tried as new users would in Chromium: icons that draw
 * without an emoji font, and the card's data from the deck (speaker, key data, follow-up
 * questions, sensitivities) beside the question, collapsed until opened.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { openCard, WAIT } from './helpers/editorPage.ts'

/** Emoji and other pictographs: drawn only where an emoji font is installed. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u

describe.skipIf(!browserAvailable())('the card page', () => {
  const suite = useBrowserSuite()

  it('draws its lock buttons and notices with icons shipped with the app, not emoji', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser } = seeded.users
    if (!chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser])
    const [chair] = people.pages as [Page]
    try {
      await openCard(chair, cardId)
      const noEmoji = async (element: ReturnType<Page['getByTestId']>) => {
        expect(await element.textContent()).not.toMatch(PICTOGRAPH)
        expect(await element.locator('svg').count()).toBe(1)
      }
      await noEmoji(chair.getByTestId('lock-card'))
      await noEmoji(chair.getByRole('button', { name: 'Kunci paragraf' }))
      // The card locked: its notice, and the button in its other state.
      await chair.getByTestId('lock-card').click()
      await chair.getByTestId('locked-notice').waitFor(WAIT)
      await noEmoji(chair.getByTestId('locked-notice'))
      await noEmoji(chair.getByTestId('lock-card'))
      await chair.getByTestId('lock-card').click()
      await expect.poll(() => chair.getByTestId('locked-notice').count(), WAIT).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('shows the card’s speaker, key data, follow-up questions and sensitivities, collapsed until opened', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { kp2mi: kp2miUser } = seeded.users
    if (!kp2miUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [kp2miUser])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      const briefing = page.getByTestId('card-briefing')
      await briefing.waitFor(WAIT)
      expect(await briefing.getAttribute('open')).toBeNull()
      const summary = briefing.locator('summary')
      expect(await summary.textContent()).toContain('2 data kunci')
      expect(await summary.textContent()).toContain('2 pertanyaan lanjutan')
      // Closed, the details are not shown.
      expect(await briefing.getByText('Juru bicara KemenHAM').isVisible()).toBe(false)

      await summary.click()
      for (const text of [
        'Juru bicara KemenHAM',
        'Peraturan turunan UU 18/2017 yang telah ditetapkan',
        'belum terkonfirmasi',
        'Mengapa masih ada peraturan turunan yang belum terbit',
        'Jelaskan proses harmonisasi lintas K/L',
        'penerus Kemenkumham',
        'Perpres 165/2024',
      ]) {
        await expect.poll(() => briefing.getByText(text).first().isVisible(), WAIT).toBe(true)
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
