/**
 * No resync loops, in Chromium. A card holds content the editor's schema cannot read (written into
 * storage before the server starts). y-prosemirror drops what it cannot render and writes the
 * deletion back, which a viewer or a suggester may not do: the server refuses it, the client loads
 * the card afresh, the editor drops it again... In the field that made ~300 connections in 15 s.
 * Now a refusal of a freshly reloaded card stops: the page says so, shows the card read-only, does
 * not reconnect by itself, and offers "try again" after a backoff. An editor's deletion is
 * allowed, so an editor opening the card repairs it, and the viewer's "try again" then works.
 */
import { cardDocumentName } from '@kartu/protocol'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answerText, WAIT, waitSaved } from './helpers/editorPage.ts'
import { POISON_TEXT, poisonCard } from './helpers/poisonedCard.ts'
import { countSockets } from './helpers/socketCount.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Opens the card from the dashboard without waiting for "Saved" (a halted card never is). */
async function goToCard(page: Page, cardId: string): Promise<void> {
  await page.locator(`[data-testid="card-row"][data-card-id="${cardId}"] a`).click()
  await page.waitForURL(`**/cards/${cardId}`)
  await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
}

describe.skipIf(!browserAvailable())('a card the editor cannot read', () => {
  let poisoned = ''
  const suite = useBrowserSuite({
    beforeStart: async (seeded) => {
      poisoned = seeded.cardIds[2] as string
      await poisonCard(seeded.dataDir, poisoned)
    },
  })

  it('makes a viewer and a suggester stop after a few connections, and an editor repairs it', async () => {
    const { seeded, server, browser } = suite
    const { viewer: viewerUser, suggester: suggesterUser, kemlu: editorUser } = seeded.users
    if (!viewerUser || !suggesterUser || !editorUser) throw new Error('seed is missing users')
    const documentName = cardDocumentName(poisoned)
    const people = await signInPeople(browser, server.httpUrl, [viewerUser, suggesterUser])
    const readers = people.pages as [Page, Page]
    try {
      const counts = readers.map((page) => countSockets(page, documentName))
      const opened = Date.now()
      await Promise.all(readers.map((page) => goToCard(page, poisoned)))
      for (const [index, page] of readers.entries()) {
        const banner = page.getByTestId('sync-halted')
        await banner.waitFor(WAIT)
        expect(await banner.getAttribute('role')).toBe('alert')
        // The refusal is named: read_only for the viewer, schema_violation for the suggester
        // (a suggester's change is judged on the answer read with the schema, which this card
        // does not fit until it is repaired).
        expect(await banner.getAttribute('data-code')).toBe(
          index === 0 ? 'read_only' : 'schema_violation',
        )
        // Indonesian first: the page says that the card cannot be synced.
        expect(await banner.textContent()).toContain('tidak dapat disinkronkan')
        expect(await page.getByTestId('sync-retry').isDisabled()).toBe(true)
        expect(await page.getByTestId('sync-retry-at').textContent()).toMatch(/\d/)
        expect(await page.getByTestId('answer-editor').getAttribute('data-editable')).toBe('false')
        expect(await page.getByTestId('save-status').getAttribute('data-stopped')).toBe('true')
      }

      // 15 s after opening: a handful of connections, none in the last 10 s.
      await sleep(Math.max(0, opened + 15_000 - Date.now()))
      for (const count of counts) {
        expect(count.total).toBeGreaterThanOrEqual(1)
        expect(count.total).toBeLessThanOrEqual(4)
        expect(count.since(opened + 5_000)).toBe(0)
      }
      expect(people.errors).toEqual([])

      // An editor may delete what the schema cannot read: opening the card repairs it, in one
      // connection and without any refusal.
      const editorPeople = await signInPeople(browser, server.httpUrl, [editorUser])
      const editor = editorPeople.pages[0] as Page
      try {
        const editorCount = countSockets(editor, documentName)
        const editorOpened = Date.now()
        await goToCard(editor, poisoned)
        await waitSaved(editor)
        await sleep(Math.max(0, editorOpened + 10_000 - Date.now()))
        expect(editorCount.total).toBe(1)
        for (const testId of ['sync-halted', 'sync-rejected', 'sync-reloaded']) {
          expect(await editor.getByTestId(testId).count()).toBe(0)
        }
        expect(await answerText(editor)).not.toContain(POISON_TEXT)
        const repaired = await answerText(editor)
        expect(repaired.length).toBeGreaterThan(50)

        // The viewer's "try again" opens once the backoff (30 s) has passed, and now loads the
        // repaired card: one more connection, no refusal, the same text as the editor's.
        const viewer = readers[0]
        const retry = viewer.getByTestId('sync-retry')
        await expect.poll(() => retry.isEnabled(), { timeout: 40_000, interval: 500 }).toBe(true)
        const before = counts[0]?.total ?? 0
        await retry.click()
        await expect.poll(() => viewer.getByTestId('sync-halted').count(), WAIT).toBe(0)
        await waitSaved(viewer)
        await expect.poll(() => answerText(viewer), WAIT).toBe(repaired)
        expect(await viewer.getByTestId('answer-editor').getAttribute('data-editable')).toBe(
          'false',
        )
        await sleep(3000)
        expect(counts[0]?.total).toBe(before + 1)
        expect(await viewer.getByTestId('sync-halted').count()).toBe(0)
        expect(editorPeople.errors).toEqual([])
      } finally {
        await editorPeople.close()
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 150_000)
})
