/**
 * Agreed text in the browser: the chair locks a paragraph; an editor's typing inside it has no
 * effect (refused in their own editor, so the server never has to refuse it); once the chair
 * unlocks it, the editor's typing reaches the chair. Then the chair locks the whole card.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { auditActions } from './helpers/auditTrail.ts'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

// A sentence of the first card's answer in the demo deck, and a word further on.
const SENTENCE = 'Kerangka hukum kami berubah secara mendasar sejak 2017.'

/** The text of the locked top-level blocks of the answer (others' carets left out). */
async function lockedTexts(page: Page): Promise<string[]> {
  return answer(page)
    .locator(':scope > [data-locked="true"]')
    .evaluateAll((elements) =>
      elements.map((element) => {
        const copy = element.cloneNode(true) as typeof element
        for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove()
        return String(copy.textContent)
      }),
    )
}

describe.skipIf(!browserAvailable())('locking agreed text in the browser', () => {
  const suite = useBrowserSuite()

  it('the chair locks a paragraph, an editor cannot change it, the chair unlocks it', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kp2mi: editorUser } = seeded.users
    if (!chairUser || !editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chairUser, editorUser])
    const { pages, errors } = people
    const [chair, editor] = pages as [Page, Page]
    try {
      for (const page of pages) await openCard(page, cardId)
      expect(await answerText(editor)).toContain(SENTENCE)

      // The chair locks the paragraph that holds the sentence.
      await selectWord(chair, 'mendasar')
      const lockButton = chair.getByTestId('lock-paragraph')
      expect(await lockButton.getAttribute('aria-pressed')).toBe('false')
      await lockButton.click()
      await expect.poll(() => lockButton.getAttribute('aria-pressed'), WAIT).toBe('true')
      await waitSaved(chair)
      for (const page of pages) {
        await expect.poll(() => lockedTexts(page), WAIT).toHaveLength(1)
        expect((await lockedTexts(page))[0]).toContain(SENTENCE)
        expect(await answer(page).locator('.locked-block__icon').count()).toBe(1)
      }

      // The editor types inside it: nothing changes, and nothing is refused by the server.
      await selectWord(editor, 'mendasar')
      await editor.keyboard.type('XYZ', { delay: 25 })
      await editor.keyboard.press('Backspace')
      await editor.keyboard.press('Enter')
      await waitSaved(editor)
      expect(await answerText(editor)).toContain(SENTENCE)
      expect(await answerText(editor)).not.toContain('XYZ')
      await expectNoRejection(pages)

      // The chair unlocks it; the editor's typing now reaches the chair.
      await selectWord(chair, 'mendasar')
      await expect.poll(() => lockButton.getAttribute('aria-pressed'), WAIT).toBe('true')
      await lockButton.click()
      await expect.poll(() => lockButton.getAttribute('aria-pressed'), WAIT).toBe('false')
      await waitSaved(chair)
      await expect.poll(() => lockedTexts(editor), WAIT).toEqual([])
      await selectWord(editor, 'mendasar')
      await editor.keyboard.type('signifikan', { delay: 25 })
      await waitSaved(editor)
      await expect
        .poll(() => answerText(chair), WAIT)
        .toContain(SENTENCE.replace('mendasar', 'signifikan'))
      await expectNoRejection(pages)

      // The chair locks the whole card: everyone is told, and the editor can no longer type.
      const lockCard = chair.getByTestId('lock-card')
      await lockCard.click()
      await expect.poll(() => lockCard.getAttribute('aria-pressed'), WAIT).toBe('true')
      for (const page of pages) await page.getByTestId('locked-notice').waitFor(WAIT)
      await expect
        .poll(() => editor.getByTestId('answer-editor').getAttribute('data-editable'), WAIT)
        .toBe('false')
      await lockCard.click()
      await expect.poll(() => lockCard.getAttribute('aria-pressed'), WAIT).toBe('false')
      await expect.poll(() => editor.getByTestId('locked-notice').count(), WAIT).toBe(0)
      await expectNoRejection(pages)
      expect(errors).toEqual([])
      // Every lock and unlock, of the paragraph and of the card, is on record.
      const locks = (await auditActions(seeded.dataDir))
        .filter((e) => e.action === 'lock.changed')
        .map((e) => e.details)
      expect(locks).toEqual([
        { locked: true, part: 'paragraph' },
        { locked: false, part: 'paragraph' },
        { locked: true },
        { locked: false },
      ])
    } finally {
      await people.close()
    }
  })

  it('a change the server refuses is kept where it was typed, marked; the card holds the server text and editing goes on', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[1] as string
    const { chair: chairUser, kemlu: editorUser } = seeded.users
    if (!chairUser || !editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chairUser, editorUser])
    const [chair, editor] = people.pages as [Page, Page]
    const editorContext = people.contexts[1] as BrowserContext
    try {
      for (const page of [chair, editor]) await openCard(page, cardId)
      const before = await answerText(editor)

      // Offline, the editor types; meanwhile the chair locks the card.
      await editorContext.setOffline(true)
      await expect
        .poll(() => editor.getByTestId('save-status').getAttribute('data-state'), WAIT)
        .toBe('offline')
      await answer(editor).focus()
      await editor.keyboard.press('Control+End')
      await editor.keyboard.type(' OFFLINE', { delay: 25 })
      await chair.getByTestId('lock-card').click()
      await expect
        .poll(() => chair.getByTestId('lock-card').getAttribute('aria-pressed'), WAIT)
        .toBe('true')

      // Back online, the server refuses the offline change: the editor is told, holds the
      // server's answer again, and still sees what they typed, marked, where they typed it.
      await editorContext.setOffline(false)
      const reloaded = editor.getByTestId('sync-reloaded')
      await reloaded.waitFor(WAIT)
      expect(await reloaded.getAttribute('data-code')).toBe('locked')
      expect(await reloaded.getAttribute('data-carried')).toBe('1')
      const piece = editor.getByTestId('refused-piece')
      expect(await piece.count()).toBe(1)
      expect((await piece.getByTestId('refused-text').textContent())?.trim()).toBe('OFFLINE')
      expect(await piece.getAttribute('data-code')).toBe('locked')
      // On a locked card a suggestion would be refused too: not offered until it is unlocked.
      expect(await piece.getByTestId('refused-send').isDisabled()).toBe(true)
      await expect.poll(() => answerText(editor), WAIT).toBe(before)
      await waitSaved(editor)

      // Unlocked again, the piece may go back as a suggestion, and the editor's typing reaches
      // the chair: nothing left is refused.
      await chair.getByTestId('lock-card').click()
      await expect
        .poll(() => editor.getByTestId('answer-editor').getAttribute('data-editable'), WAIT)
        .toBe('true')
      await expect.poll(() => piece.getByTestId('refused-send').isEnabled(), WAIT).toBe(true)
      await answer(editor).focus()
      await editor.keyboard.press('Control+End')
      await editor.keyboard.type(' AFTER', { delay: 25 })
      await waitSaved(editor)
      await expect.poll(() => answerText(chair), WAIT).toContain('AFTER')
      expect(await answerText(chair)).not.toContain('OFFLINE')
      expect(await editor.getByTestId('sync-rejected').count()).toBe(0)
      expect(await piece.count()).toBe(1)
    } finally {
      await people.close()
    }
  })
})
