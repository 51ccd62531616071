/**
 * Replies on a suggestion in the browser: a suggester proposes a word, a commenter asks why from
 * the review panel (mentioning a ministry), the suggester answers; every page shows the
 * discussion under the suggestion with each author and ministry; the dashboard counts it as an
 * open thread. The chair sees it on the projected view and accepts: the thread is resolved in the
 * same change as the decision, and the decision log keeps it. Then a suggester withdraws a
 * suggestion someone else asked about: its thread is resolved too, and the server takes it.
 */
import { cardDocumentName } from '@kartu/protocol'
import { DECISIONS_FIELD, THREADS_FIELD, ThreadField } from '@kartu/schema'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { connectClient } from './helpers/clients.ts'
import { answer, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

/** Ids of the suggestions marked in the answer, in document order, each once. */
async function markedSuggestionIds(page: Page): Promise<string[]> {
  const ids = await answer(page)
    .locator('[data-testid="suggestion"]')
    .evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('data-suggestion-id')),
    )
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))]
}

/** Who wrote each comment of a discussion, in order (the server's record, by user id). */
async function commentAuthors(discussion: Locator): Promise<Array<string | null>> {
  return discussion
    .locator('[data-testid="comment"] .author-label')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-user-id')))
}

describe.skipIf(!browserAvailable())('replies on a suggestion in the browser', () => {
  const suite = useBrowserSuite()

  it('a suggestion gets replies from the panel, the chair sees them projected and accepts: the thread is resolved with the decision', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, suggester: suggesterUser, commenter: commenterUser } = seeded.users
    if (!chairUser || !suggesterUser || !commenterUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [
      chairUser,
      suggesterUser,
      commenterUser,
    ])
    const { pages, errors } = people
    const [chair, suggester, commenter] = pages as [Page, Page, Page]
    // A plain Yjs client on the card, to see what arrives in which change.
    const witness = connectClient(server.wsUrl, cardDocumentName(cardId), chairUser.token)
    const cardStats = async () => {
      const response = await fetch(`${server.httpUrl}/api/cards/${cardId}`, {
        headers: { authorization: `Bearer ${chairUser.token}` },
      })
      return ((await response.json()) as { card: { openThreads: number } }).card.openThreads
    }
    try {
      await witness.synced()
      for (const page of pages) await openCard(page, cardId)

      // The suggester proposes another word.
      await selectWord(suggester, 'mendasar')
      await suggester.keyboard.type('signifikan', { delay: 25 })
      await waitSaved(suggester)
      await expect.poll(() => markedSuggestionIds(commenter), WAIT).toHaveLength(1)
      const [suggestionId] = await markedSuggestionIds(commenter)
      const item = (page: Page): Locator =>
        page.locator(`[data-testid="panel-suggestion"][data-suggestion-id="${suggestionId}"]`)
      const discussion = (page: Page): Locator => item(page).getByTestId('suggestion-thread')
      expect(await discussion(chair).count()).toBe(0)

      // The commenter asks why, from the panel, and mentions KP2MI.
      await item(commenter).getByTestId('reply-suggestion').click()
      const question = item(commenter).getByTestId('suggestion-reply-input')
      // The reply field takes the focus, so the person can type at once.
      await expect
        .poll(() => question.evaluate((element) => element === element.ownerDocument.activeElement))
        .toBe(true)
      await question.fill('Mengapa “signifikan”? Mohon rujukannya @KP2MI')
      await item(commenter).getByTestId('suggestion-reply-submit').click()
      await waitSaved(commenter)

      // The suggester answers under the same suggestion.
      await expect.poll(() => discussion(suggester).count(), WAIT).toBe(1)
      await discussion(suggester)
        .getByTestId('suggestion-reply-input')
        .fill('Sesuai naskah akademik UU 18/2017.')
      await discussion(suggester).getByTestId('suggestion-reply-submit').click()
      await waitSaved(suggester)

      // Everyone sees both replies under the suggestion, with their authors; the mention too.
      for (const page of pages) {
        await expect
          .poll(() => commentAuthors(discussion(page)), WAIT)
          .toEqual([commenterUser.id, suggesterUser.id])
        expect(await discussion(page).locator('.comment__body').allTextContents()).toEqual([
          'Mengapa “signifikan”? Mohon rujukannya @KP2MI',
          'Sesuai naskah akademik UU 18/2017.',
        ])
        expect(await discussion(page).locator('.ministry-badge').allTextContents()).toEqual([
          'KP2MI',
        ])
        expect(await discussion(page).getAttribute('data-resolved')).toBe('false')
        // Not listed a second time as a thread of its own while the suggestion is pending.
        expect(await page.getByTestId('thread').count()).toBe(0)
      }
      const threadId = (await discussion(chair).getAttribute('data-thread-ids')) as string
      expect(threadId).toMatch(/^[A-Za-z0-9_-]+$/)
      // The dashboard counts it as an open thread, like any other.
      await expect.poll(cardStats, WAIT).toBe(1)

      // The chair projects the card: the suggestion and its discussion.
      await chair.getByTestId('present-link').click()
      await chair.getByTestId('present-view').waitFor()
      const focused = chair.getByTestId('present-focused')
      await expect.poll(() => focused.getAttribute('data-suggestion-id'), WAIT).toBe(suggestionId)
      await expect
        .poll(() => commentAuthors(focused.getByTestId('suggestion-thread')), WAIT)
        .toEqual([commenterUser.id, suggesterUser.id])
      // Watch the witness: the change that records the decision must resolve the thread too.
      const thread = () => witness.doc.getMap<Y.Map<unknown>>(THREADS_FIELD).get(threadId)
      const seenWithDecision: unknown[] = []
      witness.doc.on('afterTransaction', () => {
        if (witness.doc.getArray(DECISIONS_FIELD).length > seenWithDecision.length) {
          seenWithDecision.push(thread()?.get(ThreadField.Resolved))
        }
      })
      expect(thread()?.get(ThreadField.Resolved)).toBe(false)
      await chair.getByTestId('present-accept').click()
      await expect
        .poll(() => chair.getByTestId('present-progress').textContent(), WAIT)
        .toBe('Semua usulan sudah diputuskan')
      await expect.poll(() => seenWithDecision.length, WAIT).toBe(1)
      expect(seenWithDecision).toEqual([true])

      // The thread is resolved for everyone, listed now as a decided suggestion's discussion,
      // and the decision log keeps it.
      for (const page of [suggester, commenter]) {
        const listed = page.locator(`[data-testid="thread"][data-thread-id="${threadId}"]`)
        await expect.poll(() => listed.getAttribute('data-resolved'), WAIT).toBe('true')
        expect(await listed.getAttribute('data-suggestion-id')).toBe(suggestionId)
        expect(await listed.getAttribute('data-orphaned')).toBe('false')
        const entry = page.locator(
          `[data-testid="decision-entry"][data-suggestion-id="${suggestionId}"]`,
        )
        expect(await entry.getAttribute('data-outcome')).toBe('accepted')
        const kept = entry.getByTestId('decision-discussion')
        expect(await kept.getAttribute('data-thread-ids')).toBe(threadId)
        expect(await kept.getAttribute('data-resolved')).toBe('true')
        expect(await commentAuthors(kept)).toEqual([commenterUser.id, suggesterUser.id])
      }
      await expect.poll(cardStats, WAIT).toBe(0)
      await expectNoRejection(pages)
      expect(witness.rejected).toEqual([])
      expect(errors).toEqual([])
    } finally {
      witness.destroy()
      await people.close()
    }
  })

  it('withdrawing one’s suggestion resolves the thread someone else opened on it, and the server takes it', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[1] as string
    const { suggester: suggesterUser, kemlu: editorUser } = seeded.users
    if (!suggesterUser || !editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [suggesterUser, editorUser])
    const [suggester, editor] = people.pages as [Page, Page]
    try {
      for (const page of people.pages) await openCard(page, cardId)
      await answer(suggester).click()
      await suggester.keyboard.press('Control+End')
      await suggester.keyboard.type(' Data menyusul.', { delay: 10 })
      await waitSaved(suggester)
      await expect.poll(() => markedSuggestionIds(editor), WAIT).toHaveLength(1)
      const [suggestionId] = await markedSuggestionIds(editor)
      const item = (page: Page): Locator =>
        page.locator(`[data-testid="panel-suggestion"][data-suggestion-id="${suggestionId}"]`)

      await item(editor).getByTestId('reply-suggestion').click()
      await item(editor).getByTestId('suggestion-reply-input').fill('Kapan datanya tersedia?')
      await item(editor).getByTestId('suggestion-reply-submit').click()
      await waitSaved(editor)
      await expect
        .poll(() => item(suggester).getByTestId('suggestion-thread').count(), WAIT)
        .toBe(1)
      const threadId = (await item(suggester)
        .getByTestId('suggestion-thread')
        .getAttribute('data-thread-ids')) as string

      await item(suggester).getByTestId('withdraw-suggestion').click()
      await waitSaved(suggester)
      for (const page of people.pages) {
        const listed = page.locator(`[data-testid="thread"][data-thread-id="${threadId}"]`)
        await expect.poll(() => listed.getAttribute('data-resolved'), WAIT).toBe('true')
        await expect
          .poll(() =>
            page
              .locator(`[data-testid="decision-entry"][data-suggestion-id="${suggestionId}"]`)
              .getAttribute('data-outcome'),
          )
          .toBe('withdrawn')
      }
      await expectNoRejection(people.pages)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
