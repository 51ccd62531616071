/**
 * An editor types over a selected word. Editing mode writes that as the deletion of the word and
 * then the new text (suggest/directEdit.ts, decision 0011); to the person it is one edit: the
 * new word appears where the old one was, the caret follows it, and one undo brings the old word
 * back whole.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

describe.skipIf(!browserAvailable())('an editor typing over a selected word', () => {
  const suite = useBrowserSuite()

  it('replaces it in place, and one undo brings it back', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { kemlu: editorUser } = seeded.users
    if (!editorUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editorUser])
    const [editor] = people.pages as [Page]
    try {
      await openCard(editor, cardId)
      const before = await answerText(editor)
      expect(before).toContain('secara mendasar sejak')
      await selectWord(editor, 'mendasar')
      await editor.keyboard.type('fundamental', { delay: 20 })
      await waitSaved(editor)
      await expect
        .poll(() => answerText(editor), WAIT)
        .toBe(before.replace('secara mendasar sejak', 'secara fundamental sejak'))
      // y-undo groups changes less than half a second apart into one step: the deletion, the
      // first letter and the rest are one. Past that, one undo.
      await editor.waitForTimeout(700)
      await editor.keyboard.press('Control+z')
      await expect.poll(() => answerText(editor), WAIT).toBe(before)
      // And the caret typed on where the word was.
      await editor.keyboard.type('X')
      await expect.poll(() => answerText(editor), WAIT).toContain('secara mendasarX sejak')
      await waitSaved(editor)
      await expectNoRejection(people.pages)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 120_000)
})
