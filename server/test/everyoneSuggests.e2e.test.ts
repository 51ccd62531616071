/**
 * "Everyone suggests" in the browser: the chair turns it on for a card; an editor's typing
 * becomes a suggestion the chair sees as such, and the editor's mode switch is held on
 * Suggesting with a note saying why; the chair turns it off and the editor edits directly again.
 * Then the same from the dashboard, for the whole deck, which the projected view shows.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { auditActions } from './helpers/auditTrail.ts'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

// A sentence of the first card's answer in the demo deck.
const SENTENCE = 'Kerangka hukum kami berubah secara mendasar sejak 2017.'

/** Ids of the suggestions marked in the answer, each once. */
async function markedSuggestionIds(page: Page): Promise<string[]> {
  const ids = await answer(page)
    .locator('[data-testid="suggestion"]')
    .evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-suggestion-id')),
    )
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))]
}

/** The editor's mode switch: which mode, and whether the person may change it. */
async function modeOf(page: Page): Promise<{ mode: string | null; held: string | null }> {
  const modeSwitch = page.getByTestId('mode-switch')
  return {
    mode: await modeSwitch.getAttribute('data-mode'),
    held: await modeSwitch.getAttribute('aria-disabled'),
  }
}

describe.skipIf(!browserAvailable())('"everyone suggests" in the browser', () => {
  const suite = useBrowserSuite()

  it('the chair turns it on for a card: the editor’s typing becomes a suggestion and the mode is held; off again, the editor edits directly', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kp2mi: editorUser } = seeded.users
    if (!chairUser || !editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chairUser, editorUser])
    const { pages, errors } = people
    const [chair, editor] = pages as [Page, Page]
    try {
      for (const page of pages) await openCard(page, cardId)
      expect(await modeOf(editor)).toEqual({ mode: 'editing', held: 'false' })
      expect(await editor.getByTestId('mode-held-note').count()).toBe(0)

      // The chair turns it on, beside the card's lock.
      const toggle = chair.getByTestId('suggest-only-card')
      expect(await toggle.getAttribute('aria-pressed')).toBe('false')
      expect(await toggle.textContent()).toContain('Semua mengusulkan')
      await toggle.click()
      await expect.poll(() => toggle.getAttribute('aria-pressed'), WAIT).toBe('true')
      await chair.getByTestId('suggest-only-chair-notice').waitFor(WAIT)
      // The chair keeps editing directly.
      expect(await modeOf(chair)).toEqual({ mode: 'editing', held: 'false' })

      // The editor is switched to Suggesting, cannot switch back, and is told why.
      await expect.poll(() => modeOf(editor), WAIT).toEqual({ mode: 'suggesting', held: 'true' })
      const note = editor.getByTestId('mode-held-note')
      await note.waitFor(WAIT)
      expect(await note.textContent()).toContain('Semua mengusulkan')
      expect(await editor.getByTestId('suggest-only-badge').count()).toBe(1)
      // A person can still press it (aria-disabled, not disabled); Playwright needs force for that.
      await editor.getByTestId('mode-switch').click({ force: true })
      expect(await modeOf(editor)).toEqual({ mode: 'suggesting', held: 'true' })

      // The editor replaces a word: it becomes their suggestion, and the chair sees it as one.
      await selectWord(editor, 'mendasar')
      await editor.keyboard.type('signifikan', { delay: 25 })
      await waitSaved(editor)
      await expect.poll(() => markedSuggestionIds(chair), WAIT).toHaveLength(1)
      const [suggestionId] = await markedSuggestionIds(chair)
      const panelItem = chair.locator(
        `[data-testid="panel-suggestion"][data-suggestion-id="${suggestionId}"]`,
      )
      await panelItem.waitFor(WAIT)
      expect(await panelItem.getAttribute('data-shape')).toBe('replace')
      expect(await panelItem.locator('.author-label').getAttribute('data-user-id')).toBe(
        editorUser.id,
      )
      // Both words are still in the answer: the old one marked deleted, the new one inserted.
      await expect.poll(() => answerText(chair), WAIT).toContain('mendasarsignifikan')
      await expectNoRejection(pages)

      // The chair turns it off: the editor gets the choice back, in Editing, and edits directly.
      await toggle.click()
      await expect.poll(() => toggle.getAttribute('aria-pressed'), WAIT).toBe('false')
      await expect.poll(() => modeOf(editor), WAIT).toEqual({ mode: 'editing', held: 'false' })
      expect(await editor.getByTestId('mode-held-note').count()).toBe(0)
      expect(await chair.getByTestId('suggest-only-chair-notice').count()).toBe(0)
      await selectWord(editor, 'sejak')
      await editor.keyboard.type('mulai', { delay: 25 })
      await waitSaved(editor)
      await expect.poll(() => answerText(chair), WAIT).toContain('mulai 2017.')
      expect(await answerText(chair)).not.toContain('sejak 2017')
      expect(await markedSuggestionIds(chair)).toEqual([suggestionId])
      expect(await answerText(chair)).not.toContain(SENTENCE)
      await expectNoRejection(pages)
      expect(errors).toEqual([])

      const changes = (await auditActions(seeded.dataDir)).filter(
        (entry) => entry.action === 'suggest_only.changed',
      )
      expect(changes.map((entry) => [entry.subject, entry.details])).toEqual([
        [`card:${cardId}`, { suggestOnly: true }],
        [`card:${cardId}`, { suggestOnly: false }],
      ])
    } finally {
      await people.close()
    }
  })

  it('from the dashboard, for the whole deck: an editor on any card is held, and shown why', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[1] as string
    const { chair: chairUser, kemlu: editorUser } = seeded.users
    if (!chairUser || !editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chairUser, editorUser])
    const [chair, editor] = people.pages as [Page, Page]
    try {
      await openCard(editor, cardId)
      expect(await modeOf(editor)).toEqual({ mode: 'editing', held: 'false' })
      // The chair is on the dashboard, where the deck's switch is.
      const toggle = chair.getByTestId('suggest-only-deck')
      expect(await toggle.getAttribute('aria-pressed')).toBe('false')
      await toggle.click()
      await expect.poll(() => toggle.getAttribute('aria-pressed'), WAIT).toBe('true')
      await expect.poll(() => modeOf(editor), WAIT).toEqual({ mode: 'suggesting', held: 'true' })
      await editor.getByTestId('mode-held-note').waitFor(WAIT)

      // On a card, the chair's own switch says the deck's is on and cannot be turned off there.
      await openCard(chair, cardId)
      const cardToggle = chair.getByTestId('suggest-only-card')
      expect(await cardToggle.getAttribute('aria-pressed')).toBe('true')
      expect(await cardToggle.getAttribute('aria-disabled')).toBe('true')
      // The projected view says so, for the room; the editor's card page too.
      await chair.getByTestId('present-link').click()
      await chair.getByTestId('present-suggest-only').waitFor(WAIT)
      expect(await chair.getByTestId('present-suggest-only').textContent()).toContain(
        'Semua mengusulkan',
      )
      expect(await editor.getByTestId('suggest-only-badge').count()).toBe(1)

      await chair.goto(`${server.httpUrl}/decks/${seeded.deckId}`)
      await chair.getByTestId('suggest-only-deck').click()
      await expect
        .poll(() => chair.getByTestId('suggest-only-deck').getAttribute('aria-pressed'), WAIT)
        .toBe('false')
      await expect.poll(() => modeOf(editor), WAIT).toEqual({ mode: 'editing', held: 'false' })
      expect(await editor.getByTestId('suggest-only-badge').count()).toBe(0)
      await expectNoRejection(people.pages)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
