/**
 * No keystroke is ever thrown away, in Chromium, against a real server that refuses on purpose
 * (KARTU_TEST_REFUSE_TEXT): typing that writes the word into the answer is refused, as a change a
 * role may no longer make would be. The page does not reload the card under the person's hands:
 * the refused text stays where it was typed, marked, with "send again as a suggestion", "copy"
 * and "discard"; the caret, focus and scroll stay; typing goes on at the same place; nothing else
 * typed is lost. The server logs what reproduces each refusal.
 */
import { cardDocumentName } from '@kartu/protocol'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'
import { countSockets } from './helpers/socketCount.ts'

const WORD = 'TOLAKUJI'

/** The page's globals these tests read (the server's tsconfig has no DOM library). */
type PageGlobals = {
  document: { activeElement: { closest(selector: string): unknown } | null }
  getComputedStyle(element: unknown): { borderTopStyle: string; lineHeight: string }
  navigator: { clipboard: { readText(): Promise<string> } }
  __kartuSamePage?: boolean
  getSelection(): { getRangeAt(index: number): { getBoundingClientRect(): { top: number } } }
}

/** What the person sees in the answer: the text with the refused pieces in it, no buttons. */
function seenText(page: Page): Promise<string> {
  return answer(page).evaluate((root) => {
    const copy = root.cloneNode(true) as typeof root
    for (const part of copy.querySelectorAll(
      '.refused-piece__actions, [contenteditable="false"]:not(.refused-piece)',
    )) {
      part.remove()
    }
    return String(copy.textContent)
  })
}

/** Puts the caret right after the first occurrence of `word`. */
async function caretAfter(page: Page, word: string): Promise<void> {
  await selectWord(page, word)
  await page.keyboard.press('ArrowRight')
}

const focusInEditor = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const active = (globalThis as unknown as PageGlobals).document.activeElement
    return active?.closest('.ProseMirror') != null
  })

/** The refusal lines of the server's log (pino JSON), parsed. */
function refusalLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.includes('"update refused"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe.skipIf(!browserAvailable())('refused text in the browser', () => {
  const suite = useBrowserSuite({ env: { KARTU_TEST_REFUSE_TEXT: WORD } })

  it('keeps refused text in place, marked, with the caret, focus and page where they were', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[4] as string
    const { kp2mi: editorUser, chair: chairUser } = seeded.users
    if (!editorUser || !chairUser) throw new Error('seed is missing users')
    expect(server.output()).toContain('KARTU_TEST_REFUSE_TEXT is set')
    const people = await signInPeople(browser, server.httpUrl, [editorUser, chairUser])
    const [editor, chair] = people.pages as [Page, Page]
    const editorContext = people.contexts[0] as BrowserContext
    await editorContext.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.httpUrl,
    })
    try {
      const sockets = countSockets(editor, cardDocumentName(cardId))
      await openCard(editor, cardId)
      await openCard(chair, cardId)
      const before = await answerText(editor)
      expect(before).toContain('tidak bergantung pada dokumen')
      await editor.evaluate(() => {
        ;(globalThis as unknown as PageGlobals).__kartuSamePage = true
      })
      const logBefore = refusalLines(server.output()).length

      // In the middle of a paragraph: a sentence with the word, and typing goes straight on.
      await caretAfter(editor, 'bergantung')
      // Where the caret is on the screen (its distance from the top of the window).
      const caretTop = () =>
        editor.evaluate(
          () =>
            (globalThis as unknown as PageGlobals)
              .getSelection()
              .getRangeAt(0)
              .getBoundingClientRect().top,
        )
      const caretBefore = await caretTop()
      const typed = ` dan ${WORD} tetap ada`
      await editor.keyboard.type(typed, { delay: 30 })
      const piece = editor.getByTestId('refused-piece')
      await piece.first().waitFor(WAIT)
      const more = ' lalu lanjut'
      await editor.keyboard.type(more, { delay: 30 })
      await waitSaved(editor)

      // Everything typed is on screen, in order, at the place it was typed.
      const expected = before.replace('bergantung', `bergantung${typed}${more}`)
      await expect.poll(() => seenText(editor), WAIT).toBe(expected)
      // Marked: the refused letter and what followed it until the fresh document came; a
      // dashed outline and an icon, a name for screen readers, three buttons.
      const texts = await editor.getByTestId('refused-text').allTextContents()
      expect(texts.length).toBeGreaterThanOrEqual(1)
      expect(texts[0]?.startsWith('I')).toBe(true)
      const first = piece.first()
      expect(await first.getAttribute('role')).toBe('group')
      expect(await first.getAttribute('aria-label')).toContain(`“${texts[0]?.trim()}`)
      expect(await first.getAttribute('data-code')).toBe('test_refusal')
      expect(
        await first
          .locator('.refused-piece__mark')
          .evaluate(
            (element) =>
              (globalThis as unknown as PageGlobals).getComputedStyle(element).borderTopStyle,
          ),
      ).toBe('dashed')
      expect(await first.locator('svg.refused-piece__icon').count()).toBe(1)
      for (const action of ['send', 'copy', 'discard']) {
        expect(await first.getByTestId(`refused-${action}`).isEnabled()).toBe(true)
      }
      // The alert beside the editor says so, in Bahasa Indonesia.
      const alert = editor.getByTestId('sync-reloaded')
      expect(await alert.getAttribute('role')).toBe('alert')
      expect(await alert.getAttribute('data-code')).toBe('test_refusal')
      expect(await alert.textContent()).toContain('Server menolak sebagian teks Anda')

      // The caret stayed: what was typed after the refusal follows the piece; focus never left
      // the editor; the page was not reloaded; one new connection (the fresh load), no more.
      expect(await focusInEditor(editor)).toBe(true)
      expect(
        await editor.evaluate(() => (globalThis as unknown as PageGlobals).__kartuSamePage),
      ).toBe(true)
      expect(sockets.total).toBe(2)
      // Nor did the text move under the person's hands: the caret is on the line it was on, or
      // on the next one when the typing wrapped (one line height, not a jump).
      const lineHeight = await editor
        .locator('.ProseMirror p')
        .first()
        .evaluate((element) =>
          Number.parseFloat(
            (globalThis as unknown as PageGlobals).getComputedStyle(element).lineHeight,
          ),
        )
      expect(lineHeight).toBeGreaterThan(10)
      expect(Math.abs((await caretTop()) - caretBefore)).toBeLessThan(lineHeight + 2)

      // What the server has: everything but the pieces (the word stops short of its last
      // letter); the chair sees the same.
      const stored = await answerText(editor)
      expect(stored).toContain(`dan ${WORD.slice(0, -1)}`)
      expect(stored).not.toContain(WORD)
      expect(stored.length + texts.join('').length).toBe(expected.length)
      await expect.poll(() => answerText(chair), WAIT).toBe(stored)
      const refused = texts[0] as string

      // "Copy": the text as typed, on the clipboard.
      await first.getByTestId('refused-copy').click()
      const clipboard = await editor.evaluate(() =>
        (globalThis as unknown as PageGlobals).navigator.clipboard.readText(),
      )
      expect(clipboard).toBe(refused)
      await expect
        .poll(() => editor.getByTestId('refused-message').textContent())
        .toContain('disalin')

      // The server logged the refusal with what reproduces it.
      const lines = refusalLines(server.output()).slice(logBefore)
      const hook = lines.find((line) => line.code === 'test_refusal')
      expect(hook).toBeDefined()
      expect(hook?.level).toBe(40) // pino's warn
      expect(typeof hook?.update).toBe('string')
      expect(Buffer.from(String(hook?.update), 'base64').length).toBe(hook?.updateBytes)
      expect(Buffer.from(String(hook?.stateVector), 'base64').length).toBeGreaterThan(0)

      // A reload shows the piece again where it was (kept on this device), and the server's text.
      await editor.reload()
      await answer(editor).waitFor()
      await waitSaved(editor)
      await expect.poll(() => seenText(editor), WAIT).toBe(expected)
      expect(await answerText(editor)).toBe(stored)

      // "Discard": gone from the screen and from this device; the server's text unchanged.
      for (let left = texts.length; left > 0; left--) {
        await piece.first().getByTestId('refused-discard').click()
        await expect.poll(() => piece.count()).toBe(left - 1)
      }
      expect(await seenText(editor)).toBe(stored)
      await editor.reload()
      await answer(editor).waitFor()
      await waitSaved(editor)
      expect(await editor.getByTestId('refused-piece').count()).toBe(0)
      expect(await answerText(editor)).toBe(stored)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 120_000)

  it('sends a piece again as a suggestion, from an editor in suggesting mode: the chair sees it', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[7] as string
    const { kemlu: editorUser, chair: chairUser } = seeded.users
    if (!editorUser || !chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editorUser, chairUser])
    const [editor, chair] = people.pages as [Page, Page]
    try {
      const sockets = countSockets(editor, cardDocumentName(cardId))
      await openCard(editor, cardId)
      await openCard(chair, cardId)
      const before = await answerText(editor)
      await caretAfter(editor, 'diperiksa')
      // Typed in one go (as an input method commits a word): the whole word is refused.
      await editor.keyboard.insertText(` ${WORD}`)
      const piece = editor.getByTestId('refused-piece')
      await piece.waitFor(WAIT)
      expect((await editor.getByTestId('refused-text').textContent())?.trim()).toBe(WORD)
      await waitSaved(editor)
      expect(await seenText(editor)).toBe(before.replace('diperiksa', `diperiksa ${WORD}`))

      // Suggesting mode on; the piece goes back as a suggestion, where it was.
      await editor.getByTestId('mode-switch').click()
      await expect
        .poll(() => editor.getByTestId('mode-switch').getAttribute('data-mode'))
        .toBe('suggesting')
      await piece.getByTestId('refused-send').click()
      await expect.poll(() => editor.getByTestId('refused-piece').count(), WAIT).toBe(0)
      await waitSaved(editor)
      const suggestion = (page: Page): Locator =>
        answer(page).locator('ins[data-testid="suggestion"]', { hasText: WORD })
      await expect.poll(() => suggestion(editor).count(), WAIT).toBe(1)
      // Taken by the server: relayed to the chair (only stored updates are), no new refusal,
      // and no reload after it.
      await expect.poll(() => suggestion(chair).count(), WAIT).toBe(1)
      expect(await answerText(chair)).toBe(before.replace('diperiksa', `diperiksa ${WORD}`))
      expect(sockets.total).toBe(2)
      expect(await editor.getByTestId('sync-rejected').count()).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 90_000)

  it('a suggester refused while offline changes waited: kept, and sent again as a suggestion', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[8] as string
    const { kemlu: personUser, chair: chairUser } = seeded.users
    if (!personUser || !chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [personUser, chairUser])
    const [person, chair] = people.pages as [Page, Page]
    const personContext = people.contexts[0] as BrowserContext
    const setRole = async (role: string): Promise<void> => {
      const status = await chair.evaluate(
        async ({ deckId, email, role }) => {
          const response = await fetch(`/api/decks/${encodeURIComponent(deckId)}/members`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, role }),
          })
          return response.status
        },
        { deckId: seeded.deckId, email: personUser.email, role },
      )
      expect(status).toBeLessThan(300)
    }
    try {
      await openCard(person, cardId)
      await openCard(chair, cardId)
      const before = await answerText(person)

      // Offline, as an editor, the person types in two places; meanwhile the chair makes them a
      // suggester. Back online, the offline changes are refused (text_change_not_allowed).
      await personContext.setOffline(true)
      await expect
        .poll(() => person.getByTestId('save-status').getAttribute('data-state'), WAIT)
        .toBe('offline')
      await caretAfter(person, 'sektor')
      await person.keyboard.type(' luring satu', { delay: 20 })
      await caretAfter(person, 'pengawasan')
      await person.keyboard.type(' luring dua', { delay: 20 })
      await setRole('suggester')
      await personContext.setOffline(false)

      const pieces = person.getByTestId('refused-piece')
      await expect.poll(() => pieces.count(), WAIT).toBe(2)
      const texts = await person.getByTestId('refused-text').allTextContents()
      expect(texts.map((text) => text.trim())).toEqual(['luring satu', 'luring dua'])
      expect(await pieces.first().getAttribute('data-code')).toBe('text_change_not_allowed')
      await waitSaved(person)
      expect(await answerText(person)).toBe(before)
      await person.getByTestId('suggest-only-notice').waitFor(WAIT)

      // As a suggester now: the first piece goes back as a suggestion, the second is discarded.
      await pieces.first().getByTestId('refused-send').click()
      await expect.poll(() => pieces.count(), WAIT).toBe(1)
      await pieces.first().getByTestId('refused-discard').click()
      await expect.poll(() => pieces.count(), WAIT).toBe(0)
      await waitSaved(person)
      const suggestion = chair
        .locator('.ProseMirror ins[data-testid="suggestion"]')
        .filter({ hasText: 'luring satu' })
      await expect.poll(() => suggestion.count(), WAIT).toBe(1)
      expect(await answerText(chair)).toBe(before.replace('sektor', 'sektor luring satu'))
      expect(await answerText(chair)).not.toContain('luring dua')
      expect(await person.getByTestId('sync-rejected').count()).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await setRole('editor').catch(() => {})
      await people.close()
    }
  }, 90_000)
})
