/**
 * Two ministries in two browsers type into the same card: each sees the other's text and caret
 * label, a reload shows the text, and the status reaches "Saved".
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'

async function typeAtEnd(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('answer-editor').locator('.ProseMirror')
  await editor.click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text, { delay: 10 })
}

describe.skipIf(!browserAvailable())('co-editing in the browser', () => {
  const suite = useBrowserSuite()

  it('two ministries see each other type, with caret labels, and the text survives a reload', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const kp2mi = seeded.users.kp2mi
    const kemlu = seeded.users.kemlu
    if (!kp2mi || !kemlu) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [kp2mi, kemlu])
    const [pageA, pageB] = people.pages as [Page, Page]
    await pageA.goto(`${server.httpUrl}/cards/${cardId}`)
    await pageB.goto(`${server.httpUrl}/cards/${cardId}`)
    for (const page of [pageA, pageB]) {
      await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
      await expect
        .poll(() => page.getByTestId('save-status').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('saved')
    }

    const fromA = ' Tambahan dari KP2MI.'
    const fromB = ' Catatan dari Kemlu.'
    await typeAtEnd(pageA, fromA)
    await typeAtEnd(pageB, fromB)

    // Each sees the other's words within 2 s of typing them.
    await pageB
      .getByTestId('answer-editor')
      .getByText('Tambahan dari KP2MI.')
      .waitFor({ timeout: 2_000 })
    await pageA
      .getByTestId('answer-editor')
      .getByText('Catatan dari Kemlu.')
      .waitFor({ timeout: 2_000 })

    // And the other's caret, labelled with their name.
    await expect
      .poll(() => pageA.locator('.collaboration-carets__label').allTextContents(), {
        timeout: 5_000,
      })
      .toContainEqual(expect.stringContaining('Test kemlu'))
    await expect
      .poll(() => pageB.locator('.collaboration-carets__label').allTextContents(), {
        timeout: 5_000,
      })
      .toContainEqual(expect.stringContaining('Test kp2mi'))

    for (const page of [pageA, pageB]) {
      await expect
        .poll(() => page.getByTestId('save-status').getAttribute('data-state'), { timeout: 10_000 })
        .toBe('saved')
    }

    await pageA.reload()
    const editorAfterReload = pageA.getByTestId('answer-editor')
    await editorAfterReload.getByText('Tambahan dari KP2MI.').waitFor({ timeout: 10_000 })
    await editorAfterReload.getByText('Catatan dari Kemlu.').waitFor({ timeout: 10_000 })
    expect(people.errors).toEqual([])
    await people.close()
  })
})
