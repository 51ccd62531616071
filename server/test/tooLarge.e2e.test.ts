/**
 * A change too large for the server, in Chromium. The server takes websocket messages of at most
 * KARTU_MAX_MESSAGE_BYTES (4 KB here); an editor pastes a longer text. The server closes the
 * connection (1009 from ws today, 4413 once the server says it itself): the page says the change
 * is too large, does not resend it in a loop (y-websocket would retry 1009 for ever), and offers
 * to discard the unsaved changes, which brings back the server's text and a working card.
 */
import { cardDocumentName } from '@kartu/protocol'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, answerText, openCard, WAIT, waitSaved } from './helpers/editorPage.ts'
import { countSockets } from './helpers/socketCount.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** About 9 KB of text: more than twice what the server takes in one message. */
const LONG_TEXT = Array.from(
  { length: 200 },
  (_, i) => `Kalimat tempelan nomor ${i + 1} yang panjang sekali.`,
).join(' ')

/** The page's globals this test uses (the server's tsconfig has no DOM library). */
type PageGlobals = {
  DataTransfer: new () => { setData(format: string, data: string): void }
  ClipboardEvent: new (
    type: string,
    init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown
}

/** Pastes plain text at the caret, as Ctrl+V from another application would. */
async function pasteText(page: Page, text: string): Promise<void> {
  await answer(page).evaluate((element, pasted) => {
    const { DataTransfer, ClipboardEvent } = globalThis as unknown as PageGlobals
    const data = new DataTransfer()
    data.setData('text/plain', pasted)
    const paste = new ClipboardEvent('paste', {
      clipboardData: data,
      bubbles: true,
      cancelable: true,
    })
    element.dispatchEvent(paste as Parameters<typeof element.dispatchEvent>[0])
  }, text)
}

describe.skipIf(!browserAvailable())('a change too large for the server', () => {
  const suite = useBrowserSuite({ env: { KARTU_MAX_MESSAGE_BYTES: '4096' } })

  it('is named, not resent in a loop, and can be discarded to reload the card', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[3] as string
    const { kp2mi: editorUser, chair: chairUser } = seeded.users
    if (!editorUser || !chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editorUser, chairUser])
    const [editor, chair] = people.pages as [Page, Page]
    try {
      const sockets = countSockets(editor, cardDocumentName(cardId))
      await openCard(editor, cardId)
      await openCard(chair, cardId)
      const serverText = await answerText(editor)
      expect(LONG_TEXT.length).toBeGreaterThan(4096 * 2)

      await answer(editor).focus()
      await editor.keyboard.press('Control+End')
      const pastedAt = Date.now()
      await pasteText(editor, LONG_TEXT)
      expect(await answerText(editor)).toContain(LONG_TEXT)

      const banner = editor.getByTestId('sync-too-large')
      await banner.waitFor(WAIT)
      expect(await banner.getAttribute('role')).toBe('alert')
      expect(['1009', '4413']).toContain(await banner.getAttribute('data-code'))
      expect(await banner.textContent()).toContain('Perubahan ini terlalu besar')
      // Nothing typed now could reach the server: the card is read-only until discarded.
      expect(await editor.getByTestId('answer-editor').getAttribute('data-editable')).toBe('false')
      const status = editor.getByTestId('save-status')
      expect(await status.getAttribute('data-stopped')).toBe('true')
      expect(await status.textContent()).toMatch(
        /^Sinkronisasi berhenti: \d+ perubahan belum tersimpan$/,
      )

      // Not resent: the one connection it was sent on, none after it, over 10 s.
      await sleep(Math.max(0, pastedAt + 10_000 - Date.now()))
      expect(sockets.total).toBeLessThanOrEqual(2)
      expect(sockets.since(pastedAt)).toBe(0)
      expect(await editor.getByTestId('sync-too-large').count()).toBe(1)
      // Nobody else ever saw it.
      expect(await answerText(chair)).toBe(serverText)

      // Discarding brings back the server's text, and editing works again.
      // Discarding asks first: what goes is gone from this device too.
      const asked: string[] = []
      editor.once('dialog', (dialog) => {
        asked.push(dialog.message())
        void dialog.accept()
      })
      await editor.getByTestId('sync-discard').click()
      await editor.getByTestId('sync-discarded').waitFor(WAIT)
      expect(asked).toEqual([expect.stringMatching(/^Buang \d+ perubahan yang belum tersimpan\? /)])
      expect(await editor.getByTestId('sync-too-large').count()).toBe(0)
      await waitSaved(editor)
      await expect.poll(() => answerText(editor), WAIT).toBe(serverText)
      expect(sockets.since(pastedAt)).toBe(1)
      await expect
        .poll(() => editor.getByTestId('answer-editor').getAttribute('data-editable'), WAIT)
        .toBe('true')
      await answer(editor).focus()
      await editor.keyboard.press('Control+End')
      await editor.keyboard.type(' Kecil saja.', { delay: 25 })
      await waitSaved(editor)
      await expect.poll(() => answerText(chair), WAIT).toBe(`${serverText} Kecil saja.`)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 90_000)
})
