/**
 * The status where the eye is, in Chromium: far down a long answer, with the caret at the bottom
 * of a 1280x720 window, the save status, the unsaved count and the alerts are still in view (a
 * sticky bar at the top of the editor), and a screen reader hears them politely, once: not at
 * every keystroke.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, WAIT, waitSaved } from './helpers/editorPage.ts'

/** The page's globals these tests use (the server's tsconfig has no DOM library). */
type PageGlobals = {
  innerHeight: number
  scrollY: number
  scrollBy(x: number, y: number): void
  getSelection(): { getRangeAt(index: number): { getBoundingClientRect(): { bottom: number } } }
  DataTransfer: new () => { setData(format: string, data: string): void }
  ClipboardEvent: new (
    type: string,
    init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown
  MutationObserver: new (
    callback: () => void,
  ) => { observe(target: unknown, options: Record<string, boolean>): void }
  __announcements?: number
}

/** Forty paragraphs pasted at the caret, as from a word processor. */
async function pasteLongAnswer(page: Page): Promise<void> {
  const html = Array.from(
    { length: 40 },
    (_, i) => `<p>Paragraf panjang nomor ${i + 1}: teks jawaban yang sedang disusun bersama.</p>`,
  ).join('')
  await answer(page).evaluate((element, pasted) => {
    const { DataTransfer, ClipboardEvent } = globalThis as unknown as PageGlobals
    const data = new DataTransfer()
    data.setData('text/html', pasted)
    const paste = new ClipboardEvent('paste', {
      clipboardData: data,
      bubbles: true,
      cancelable: true,
    })
    element.dispatchEvent(paste as Parameters<typeof element.dispatchEvent>[0])
  }, html)
}

/** Where a test id's element is, against the window (null when it has no box). */
async function box(page: Page, testId: string) {
  return page.getByTestId(testId).first().boundingBox()
}

describe.skipIf(!browserAvailable())('the save status beside the editor', () => {
  const suite = useBrowserSuite()

  it('stays in view while typing far down a long answer, and speaks once, politely', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[5] as string
    const user = seeded.users.kp2mi
    if (!user) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [user])
    const page = people.pages[0] as Page
    const context = people.contexts[0] as BrowserContext
    try {
      await page.setViewportSize({ width: 1280, height: 720 })
      await openCard(page, cardId)
      await answer(page).focus()
      await page.keyboard.press('Control+End')
      await pasteLongAnswer(page)
      await waitSaved(page)

      // The caret at the bottom of the window, far down the page.
      await page.keyboard.press('Control+End')
      await page.evaluate(() => {
        const window = globalThis as unknown as PageGlobals
        const caret = window.getSelection().getRangeAt(0).getBoundingClientRect()
        window.scrollBy(0, caret.bottom - (window.innerHeight - 24))
      })
      await page.keyboard.type(' akhir', { delay: 30 })
      const caretBottom = await page.evaluate(
        () =>
          (globalThis as unknown as PageGlobals)
            .getSelection()
            .getRangeAt(0)
            .getBoundingClientRect().bottom,
      )
      expect(caretBottom).toBeGreaterThan(720 - 120)
      expect(caretBottom).toBeLessThanOrEqual(720)
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollY),
      ).toBeGreaterThan(1000)
      // The card's title scrolled away; the bar with the status did not.
      const title = await box(page, 'present-link')
      expect((title?.y ?? 0) + (title?.height ?? 0)).toBeLessThan(0)
      for (const testId of ['editor-bar', 'save-status']) {
        const found = await box(page, testId)
        expect(found).not.toBeNull()
        expect(found?.y).toBeGreaterThanOrEqual(0)
        expect((found?.y ?? 0) + (found?.height ?? 0)).toBeLessThanOrEqual(720)
      }
      await waitSaved(page)

      // Screen readers: the pill is no live region (it changes with every keystroke); a polite
      // one beside it speaks, and only when it matters.
      const status = page.getByTestId('save-status')
      expect(await status.getAttribute('aria-live')).toBeNull()
      expect(await status.getAttribute('role')).toBeNull()
      const announcer = page.getByTestId('save-announcer')
      expect(await announcer.getAttribute('aria-live')).toBe('polite')
      await page.evaluate(() => {
        const window = globalThis as unknown as PageGlobals
        window.__announcements = 0
        const target = (
          globalThis as unknown as { document: { querySelector(s: string): unknown } }
        ).document.querySelector('[data-testid="save-announcer"]')
        new window.MutationObserver(() => {
          window.__announcements = (window.__announcements ?? 0) + 1
        }).observe(target, { childList: true, characterData: true, subtree: true })
      })
      await page.keyboard.type(' dan lagi', { delay: 40 })
      await waitSaved(page)
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).__announcements),
      ).toBe(0)
      expect(await announcer.textContent()).toBe('')

      // Offline: the count is in view as it grows, said once; back online, "saved" once.
      await context.setOffline(true)
      await expect.poll(() => status.getAttribute('data-state'), WAIT).toBe('offline')
      await page.keyboard.type(' luring', { delay: 40 })
      await expect
        .poll(() => status.textContent())
        .toMatch(/^Luring: \d+ perubahan belum tersimpan$/)
      const offlineBox = await box(page, 'save-status')
      expect(offlineBox?.y).toBeGreaterThanOrEqual(0)
      expect((offlineBox?.y ?? 0) + (offlineBox?.height ?? 0)).toBeLessThanOrEqual(720)
      expect(await announcer.textContent()).toContain('Luring.')
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).__announcements),
      ).toBe(1)
      await context.setOffline(false)
      await waitSaved(page)
      await expect.poll(() => announcer.textContent(), WAIT).toContain('Tersambung kembali')
      expect(
        await page.evaluate(() => (globalThis as unknown as PageGlobals).__announcements),
      ).toBe(2)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 90_000)
})
