/**
 * Other people's activity said to a screen reader (WCAG 2.2 AA, W3C collaboration-tools user
 * requirements), tried in Chromium with three real people on one card: a polite live region says
 * who joined, who left and who is editing near the person's caret; it says nothing of oneself, of
 * those already there, or of edits elsewhere; a switch, reached from the keyboard and remembered
 * after a reload, turns it off and on again.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

/** What the person's live region holds now. */
const said = async (page: Page): Promise<string> =>
  (await page.getByTestId('activity-announcer').textContent()) ?? ''

/** The names in the people list on the card. */
const present = (page: Page): Promise<string[]> =>
  page.getByTestId('presence-badge').allTextContents()

const announcing = (page: Page): Promise<string | null> =>
  page.getByTestId('announce-toggle').getAttribute('aria-pressed')

/** Leaves the card for the dashboard, as a person would: the link back to the cards. */
async function leaveCard(page: Page): Promise<void> {
  await page.locator('.card-page__back a').click()
  await page.getByTestId('card-row').first().waitFor(WAIT)
}

describe.skipIf(!browserAvailable())('announcing other people’s activity on a card', () => {
  const suite = useBrowserSuite()

  it('says joins, leaves and editing near the caret politely, and nothing once turned off', async () => {
    const { seeded, server } = suite
    // A card whose answer has three paragraphs (after its key messages); both words below are in
    // the first.
    const cardId = seeded.cardIds[2] as string
    const { kp2mi: kp2miUser, kemlu: kemluUser, chair: chairUser } = seeded.users
    if (!kp2miUser || !kemluUser || !chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [
      kp2miUser,
      kemluUser,
      chairUser,
    ])
    const [kp2mi, kemlu, chair] = people.pages as [Page, Page, Page]
    const KP2MI = 'Test kp2mi (KP2MI)'
    const KEMLU = 'Test kemlu (Kemlu)'
    const CHAIR = 'Test chair (Kemenko Polkam)'
    try {
      await openCard(kp2mi, cardId)
      const region = kp2mi.getByTestId('activity-announcer')
      expect(await region.getAttribute('role')).toBe('status')
      expect(await region.getAttribute('aria-live')).toBe('polite')
      expect(await announcing(kp2mi)).toBe('true')

      // Kemlu opens the card: KP2MI hears it.
      await openCard(kemlu, cardId)
      await expect.poll(() => said(kp2mi), WAIT).toContain(`${KEMLU} bergabung`)

      // KP2MI's caret in the first paragraph, after "LTSA".
      await selectWord(kp2mi, 'LTSA')
      await kp2mi.keyboard.press('ArrowRight')

      // The chair comes too, and types in the last paragraph, far from KP2MI's caret.
      await openCard(chair, cardId)
      await expect.poll(() => said(kp2mi), WAIT).toContain(`${CHAIR} bergabung`)
      await selectWord(chair, 'konsisten')
      await chair.keyboard.press('ArrowRight')
      await chair.keyboard.type(' sepenuhnya', { delay: 20 })
      await waitSaved(chair)
      await expect.poll(() => answerText(kp2mi), WAIT).toContain('konsisten sepenuhnya')

      // Kemlu types in KP2MI's paragraph, some 200 characters on: "near your cursor", once,
      // however long Kemlu types.
      await selectWord(kemlu, 'Negara')
      await kemlu.keyboard.press('ArrowLeft')
      await kemlu.keyboard.type('Kini ', { delay: 60 })
      await expect
        .poll(() => said(kp2mi), WAIT)
        .toContain(`${KEMLU} sedang menyunting di dekat kursor Anda`)
      await kemlu.keyboard.type('juga ', { delay: 60 })
      await waitSaved(kemlu)
      await expect.poll(() => answerText(kp2mi), WAIT).toContain('Kini juga Negara')
      const heard = await said(kp2mi)
      expect(heard.split('sedang menyunting').length - 1).toBe(1)
      // The chair's edit was far from the caret.
      expect(heard).not.toContain(`${CHAIR} sedang menyunting`)
      // Never oneself.
      expect(heard).not.toContain(KP2MI)

      // Kemlu leaves.
      await leaveCard(kemlu)
      await expect.poll(() => said(kp2mi), WAIT).toContain(`${KEMLU} keluar`)

      // KP2MI turns announcements off from the keyboard: the region is emptied.
      const toggle = kp2mi.getByTestId('announce-toggle')
      expect(await toggle.getAttribute('aria-describedby')).toBeTruthy()
      await toggle.focus()
      await kp2mi.keyboard.press('Space')
      await expect.poll(() => announcing(kp2mi), WAIT).toBe('false')
      await expect.poll(() => said(kp2mi), WAIT).toBe('')
      // Remembered in this browser.
      await kp2mi.reload()
      await answer(kp2mi).waitFor(WAIT)
      await waitSaved(kp2mi)
      await expect.poll(() => announcing(kp2mi), WAIT).toBe('false')

      // Kemlu comes back and the chair leaves. Kemlu, announcing, hears the chair leave (and
      // nothing of those who were there when Kemlu came); KP2MI, not announcing, hears nothing.
      await openCard(kemlu, cardId)
      await expect.poll(() => present(kp2mi), WAIT).toContain(`Test kemlu · Kemlu`)
      await leaveCard(chair)
      await expect.poll(() => said(kemlu), WAIT).toContain(`${CHAIR} keluar`)
      expect(await said(kemlu)).not.toContain('bergabung')
      await expect.poll(() => present(kp2mi), WAIT).toEqual(['Test kemlu · Kemlu'])
      expect(await said(kp2mi)).toBe('')

      // On again: those there already are not news; the chair coming back is.
      await toggle.click()
      await expect.poll(() => announcing(kp2mi), WAIT).toBe('true')
      await openCard(chair, cardId)
      await expect.poll(() => said(kp2mi), WAIT).toContain(`${CHAIR} bergabung`)
      expect(await said(kp2mi)).not.toContain(KEMLU)

      await expectNoRejection([kp2mi, kemlu, chair])
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
