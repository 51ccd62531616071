/**
 * The review workflow of a rakor in three browsers: the chair and two ministries. Both ministries
 * suggest on one sentence at the same moment; the chair rejects one suggestion and accepts the
 * other on the projected view; everyone ends with the same answer and the same decision log; a
 * comment thread gets a reply and is resolved; a participant who follows the chair is taken to
 * the suggestion the chair shows, in the view the chair shows it in.
 *
 * The two ministries replace different words of the sentence here; the same word at the same
 * moment has its own suite (sameWordSuggestions.e2e.test.ts).
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

// A sentence of the first card's answer in the demo deck, and a word further on.
const SENTENCE = 'Kerangka hukum kami berubah secara mendasar sejak 2017.'
const COMMENTED_WORD = 'Perpres'

/** Back to the dashboard through the deck title in the header. */
async function openDashboard(page: Page): Promise<void> {
  await page.locator('a.app-header__title').click()
  await page.getByTestId('card-row').first().waitFor()
}

/** Ids of the suggestions marked in the answer, in document order, each once. */
async function markedSuggestionIds(page: Page): Promise<string[]> {
  const ids = await answer(page)
    .locator('[data-testid="suggestion"]')
    .evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-suggestion-id')),
    )
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))]
}

async function panelAuthors(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid="panel-suggestion"] .author-label')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-user-id')))
  return ids.filter((id): id is string => typeof id === 'string').sort()
}

async function decisions(page: Page): Promise<string[]> {
  const entries = await page
    .getByTestId('decision-entry')
    .evaluateAll((elements) =>
      elements.map(
        (element) =>
          `${element.getAttribute('data-outcome')}:${element.getAttribute('data-suggestion-id')}`,
      ),
    )
  return entries.sort()
}

describe.skipIf(!browserAvailable())('the review workflow in the browser', () => {
  const suite = useBrowserSuite()

  it('two ministries suggest on one sentence at once, the chair decides on the projected view, a thread is resolved, a follower follows', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kp2mi: kp2miUser, kemlu: kemluUser } = seeded.users
    if (!chairUser || !kp2miUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [
      chairUser,
      kp2miUser,
      kemluUser,
    ])
    const { pages, errors } = people
    const [chair, kp2mi, kemlu] = pages as [Page, Page, Page]
    try {
      for (const page of pages) await openCard(page, cardId)
      expect(await answerText(chair)).toContain(SENTENCE)

      // a. Both ministries switch to Suggesting, each selects a word of the same sentence, and
      // they type their replacements at the same moment.
      const proposals = new Map([
        [kp2miUser.id, { page: kp2mi, word: 'mendasar', replacement: 'signifikan' }],
        [kemluUser.id, { page: kemlu, word: 'berubah', replacement: 'bergeser' }],
      ])
      for (const { page, word } of proposals.values()) {
        const modeSwitch = page.getByTestId('mode-switch')
        await modeSwitch.click()
        await expect.poll(() => modeSwitch.getAttribute('data-mode'), WAIT).toBe('suggesting')
        expect(await modeSwitch.getAttribute('aria-pressed')).toBe('true')
        await selectWord(page, word)
      }
      await Promise.all(
        [...proposals.values()].map(({ page, replacement }) =>
          page.keyboard.type(replacement, { delay: 25 }),
        ),
      )
      for (const page of [kp2mi, kemlu]) await waitSaved(page)

      // Everyone sees both suggestions, each under its author; neither overwrote the other.
      for (const page of pages) {
        await expect.poll(() => markedSuggestionIds(page), WAIT).toHaveLength(2)
        await expect.poll(() => panelAuthors(page), WAIT).toEqual([kemluUser.id, kp2miUser.id])
        for (const { word, replacement } of proposals.values()) {
          await expect.poll(() => answerText(page), WAIT).toContain(`${word}${replacement}`)
        }
      }
      await expectNoRejection(pages)

      // b. The chair walks through them on the presentation view: rejects one, accepts the other.
      await chair.getByTestId('present-link').click()
      await chair.getByTestId('present-view').waitFor()
      const progress = chair.getByTestId('present-progress')
      const focused = chair.getByTestId('present-focused')
      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 2')
      const rejectedId = (await focused.getAttribute('data-suggestion-id')) as string
      const rejectedAuthor = await focused.locator('.author-label').getAttribute('data-user-id')
      expect([kp2miUser.id, kemluUser.id]).toContain(rejectedAuthor)
      await chair.getByTestId('present-reject').click()

      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 1 · 1 diputuskan')
      await expect.poll(() => focused.getAttribute('data-suggestion-id'), WAIT).not.toBe(rejectedId)
      const acceptedId = (await focused.getAttribute('data-suggestion-id')) as string
      const acceptedAuthor = (await focused
        .locator('.author-label')
        .getAttribute('data-user-id')) as string
      expect(acceptedAuthor).not.toBe(rejectedAuthor)
      await chair.getByTestId('present-accept').click()
      await expect.poll(() => progress.textContent(), WAIT).toBe('Semua usulan sudah diputuskan')

      // c. Everyone ends with the same answer, and the same log of both decisions.
      const accepted = proposals.get(acceptedAuthor)
      const rejected = proposals.get(rejectedAuthor as string)
      if (!accepted || !rejected) throw new Error('unknown author')
      await chair.locator('.present__back').click()
      await chair.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
      const texts = () => Promise.all(pages.map((page) => answerText(page)))
      await expect.poll(async () => new Set(await texts()).size, WAIT).toBe(1)
      const [finalText] = await texts()
      expect(finalText).toContain(SENTENCE.replace(accepted.word, accepted.replacement))
      expect(finalText).not.toContain(rejected.replacement)
      for (const page of pages) {
        await expect.poll(() => markedSuggestionIds(page), WAIT).toEqual([])
        await expect
          .poll(() => decisions(page), WAIT)
          .toEqual([`accepted:${acceptedId}`, `rejected:${rejectedId}`])
      }
      await expectNoRejection(pages)

      // d. A thread: KP2MI comments, Kemlu replies, KP2MI (who opened it) resolves it.
      await selectWord(kp2mi, COMMENTED_WORD)
      await kp2mi.getByTestId('comment-button').click()
      await kp2mi.getByTestId('comment-input').fill('Mohon dicek nomor dan tahun Perpres ini.')
      await kp2mi.getByTestId('comment-submit').click()
      const kp2miThread = kp2mi.getByTestId('thread')
      await expect.poll(() => kp2miThread.count(), WAIT).toBe(1)
      const threadId = (await kp2miThread.getAttribute('data-thread-id')) as string
      const thread = (page: Page): Locator =>
        page.locator(`[data-testid="thread"][data-thread-id="${threadId}"]`)
      for (const page of pages) {
        await expect.poll(() => thread(page).getAttribute('data-resolved'), WAIT).toBe('false')
      }
      await thread(kemlu).getByTestId('reply-input').fill('Sudah sesuai: Perpres No. 165/2024.')
      await thread(kemlu).getByTestId('reply-submit').click()
      for (const page of pages) {
        await expect.poll(() => thread(page).getByTestId('comment').count(), WAIT).toBe(2)
      }
      await thread(kp2mi).getByTestId('resolve-thread').click()
      for (const page of pages) {
        await expect.poll(() => thread(page).getAttribute('data-resolved'), WAIT).toBe('true')
      }
      await expectNoRejection(pages)

      // e. Follow mode. Kemlu suggests an addition; KP2MI follows the chair from the dashboard;
      // the chair shows that suggestion on the projector, and KP2MI's view goes to it.
      await answer(kemlu).click()
      await kemlu.keyboard.press('Control+End')
      await kemlu.keyboard.type(' Data terbaru menyusul.', { delay: 10 })
      await waitSaved(kemlu)
      await expect.poll(() => markedSuggestionIds(kemlu), WAIT).toHaveLength(1)
      const [shownId] = await markedSuggestionIds(kemlu)
      await expect.poll(() => markedSuggestionIds(chair), WAIT).toEqual([shownId])

      await openDashboard(chair)
      await openDashboard(kp2mi)
      // The chair is on the dashboard now, on no card: following starts with nowhere to go.
      await expect
        .poll(
          () =>
            kp2mi.locator(`[data-testid="presence-badge"][data-user-id="${chairUser.id}"]`).count(),
          WAIT,
        )
        .toBe(0)
      const toggle = kp2mi.getByTestId('follow-toggle')
      await toggle.click()
      expect(await toggle.getAttribute('aria-pressed')).toBe('true')
      await expect
        .poll(() => kp2mi.getByTestId('follow-status').textContent(), WAIT)
        .toBe('Menunggu Test chair membuka kartu')
      expect(kp2mi.url()).not.toContain('/cards/')

      await chair.goto(`${server.httpUrl}/cards/${cardId}/present`)
      await expect
        .poll(() => chair.getByTestId('present-focused').getAttribute('data-suggestion-id'), WAIT)
        .toBe(shownId)

      // The chair presents: KP2MI is taken to the same card in the same view, on that suggestion.
      await kp2mi.waitForURL(`**/cards/${cardId}/present`, WAIT)
      await expect
        .poll(() => kp2mi.getByTestId('present-focused').getAttribute('data-suggestion-id'), WAIT)
        .toBe(shownId)
      const mark = answer(kp2mi).locator(`[data-suggestion-id="${shownId}"]`).first()
      await expect
        .poll(
          () =>
            mark.evaluate((element) => {
              const view = element.ownerDocument.defaultView
              const box = element.getBoundingClientRect()
              return box.top >= 0 && box.bottom <= view.innerHeight
            }),
          WAIT,
        )
        .toBe(true)
      await expect
        .poll(() => kp2mi.getByTestId('follow-status').textContent(), WAIT)
        .toBe('Mengikuti Test chair')
      await expectNoRejection(pages)
      expect(errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
