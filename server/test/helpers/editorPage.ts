/**
 * Driving Kartu's pages in Chromium as a person would: sign in, open a card, select a word,
 * read the answer without other people's carets, wait for "Saved".
 */
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { SeededUser } from './seed.ts'

/** Generous: two cores run the server, Chromium with three pages, and the test. */
export const WAIT = { timeout: 15_000 }

export const answer = (page: Page): Locator => page.locator('.ProseMirror').first()

export async function signIn(
  context: BrowserContext,
  baseUrl: string,
  user: SeededUser,
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${baseUrl}/`)
  await page.getByTestId('signin-email').fill(user.email)
  await page.getByTestId('signin-password').fill(user.password)
  await page.getByTestId('signin-submit').click()
  await page.getByTestId('card-row').first().waitFor()
  return page
}

export async function waitSaved(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('save-status').getAttribute('data-state'), WAIT)
    .toBe('saved')
}

/** From the dashboard, the card's row link: the way a person opens it. */
export async function openCard(page: Page, cardId: string): Promise<void> {
  await page.locator(`[data-testid="card-row"][data-card-id="${cardId}"] a`).click()
  await page.waitForURL(`**/cards/${cardId}`)
  await page.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
  await waitSaved(page)
}

/**
 * The selected text as the editor holds it: what the next keystroke acts on. The DOM's selection
 * alone is not enough: ProseMirror reads it on the next selectionchange, and until then a key
 * still acts on the selection it had (a word still selected: Enter then replaces it).
 */
export async function selectionText(page: Page): Promise<string> {
  return answer(page).evaluate((element) => {
    type EditorState = {
      selection: { from: number; to: number }
      doc: { textBetween(from: number, to: number, separator: string): string }
    }
    const dom = String(element.ownerDocument.getSelection())
    // Tiptap puts its editor on the view's element.
    const editor = (element as unknown as { editor?: { state: EditorState } }).editor
    if (!editor) return dom
    const { from, to } = editor.state.selection
    const held = editor.state.doc.textBetween(from, to, '\n')
    // Both must agree; otherwise the selection is still on its way.
    return held === dom ? held : `${dom}\u0000${held}`
  })
}

/**
 * Selects the first occurrence of `word` in the answer, as a double-click would, but without
 * aiming the mouse: other people's caret labels float over the text and could take the click.
 *
 * Set again until it holds: a DOM selection made by script is read by ProseMirror on the next
 * selectionchange, and a view update that comes first (another person's caret moving, relayed
 * as presence) writes ProseMirror's own selection back over it. A person's mouse does not race
 * like that; a script does.
 */
export async function selectWord(page: Page, word: string): Promise<void> {
  const editor = answer(page)
  await editor.focus()
  const select = () =>
    editor.evaluate((root, wanted) => {
      const doc = root.ownerDocument
      const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // Carets and their name labels are widgets, not text of the answer.
        if (node.parentElement?.closest('[contenteditable="false"]')) continue
        const at = (node.textContent ?? '').indexOf(wanted)
        if (at === -1) continue
        node.parentElement?.scrollIntoView({ block: 'center' })
        const range = doc.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + wanted.length)
        const selection = doc.getSelection()
        selection?.removeAllRanges()
        selection?.addRange(range)
        return true
      }
      return false
    }, word)
  if (!(await select())) throw new Error(`"${word}" is not in the answer`)
  await expect
    .poll(async () => {
      const selected = await selectionText(page)
      if (selected !== word) await select()
      return selected
    }, WAIT)
    .toBe(word)
}

/** The answer's text without the widgets in it (other people's carets and their names). */
export async function answerText(page: Page): Promise<string> {
  return answer(page).evaluate((root) => {
    const copy = root.cloneNode(true) as typeof root
    for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove()
    return String(copy.textContent)
  })
}

/**
 * Opens the card, switches to Suggesting and replaces each word by its replacement, as a
 * suggester types: the setup of the tests that need suggestions from a ministry in the panel.
 */
export async function suggestReplacements(
  page: Page,
  cardId: string,
  replacements: ReadonlyArray<readonly [word: string, replacement: string]>,
): Promise<void> {
  await openCard(page, cardId)
  await page.getByTestId('mode-switch').click()
  for (const [word, replacement] of replacements) {
    await selectWord(page, word)
    await page.keyboard.type(replacement, { delay: 10 })
    await waitSaved(page)
  }
}
