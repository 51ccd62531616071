/**
 * A suggester changes structure in Chromium as a person would: Enter in the middle of a
 * paragraph, a new list item, two pasted paragraphs, Backspace at the start of a paragraph (a
 * join) and bold on a word. Nothing is refused, all of it survives a reload, the chair's panel
 * names each suggestion by its kind, and accepting all of them gives the structure the suggester
 * made. Then the same by an editor while the chair has "everyone suggests" on for the card.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import {
  answer,
  answerText,
  openCard,
  selectionText,
  selectWord,
  WAIT,
  waitSaved,
} from './helpers/editorPage.ts'

/** Puts the caret right after (or before) `word`, by selecting it and collapsing the selection. */
async function caretAt(page: Page, word: string, where: 'after' | 'before'): Promise<void> {
  await selectWord(page, word)
  await page.keyboard.press(where === 'after' ? 'ArrowRight' : 'ArrowLeft')
  // The editor has taken the collapsed selection (a paste or Enter over a selection is a
  // replacement).
  await expect.poll(() => selectionText(page), WAIT).toBe('')
}

/** Pastes HTML at the caret, the way a browser delivers a paste to the editor. */
async function pasteHtml(page: Page, html: string): Promise<void> {
  await answer(page).evaluate((element, markup) => {
    // The page's own constructors (the test's TypeScript knows no DOM).
    const view = element.ownerDocument.defaultView as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void }
      ClipboardEvent: new (
        type: string,
        init: object,
      ) => Parameters<typeof element.dispatchEvent>[0]
    }
    const data = new view.DataTransfer()
    data.setData('text/html', markup)
    data.setData('text/plain', markup.replace(/<[^>]+>/g, '\n'))
    element.dispatchEvent(new view.ClipboardEvent('paste', { clipboardData: data, bubbles: true }))
  }, html)
}

/** The kinds the review panel shows, one per pending suggestion. */
async function panelKinds(page: Page): Promise<string[]> {
  const kinds = await page
    .getByTestId('panel-suggestion')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind') ?? ''))
  return kinds.sort()
}

/** Each pending suggestion in the panel as "kind: text", for messages. */
async function panelItems(page: Page): Promise<string[]> {
  return page
    .getByTestId('panel-suggestion')
    .evaluateAll((items) =>
      items.map((item) => `${item.getAttribute('data-kind')}: ${item.textContent ?? ''}`),
    )
}

/** The answer's structure: a line per block, lists as "• item", headings with "#". */
async function structure(page: Page): Promise<string[]> {
  return answer(page).evaluate((root) => {
    const lines: string[] = []
    const textOf = (element: typeof root) => {
      const copy = element.cloneNode(true) as typeof root
      for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove()
      return (copy.textContent ?? '').replace(/\u200b/g, '')
    }
    for (const block of Array.from(root.children) as Array<typeof root>) {
      if (block.tagName === 'UL' || block.tagName === 'OL') {
        for (const item of Array.from(block.querySelectorAll(':scope > li'))) {
          lines.push(`• ${textOf(item)}`)
        }
      } else {
        lines.push(`${/^H\d$/.test(block.tagName) ? '# ' : ''}${textOf(block)}`)
      }
    }
    return lines
  })
}

type Suite = ReturnType<typeof useBrowserSuite>

/**
 * The whole flow by `who` (a user key of the seed), who must end up in Suggesting mode; `before`
 * runs first (the chair turning "everyone suggests" on).
 */
async function structuralFlow(
  suite: Suite,
  who: string,
  before: (cardId: string) => Promise<void> = async () => {},
): Promise<void> {
  const { seeded, server } = suite
  const cardId = seeded.cardIds[0] as string
  const { chair: chairUser, [who]: suggesterUser } = seeded.users
  if (!chairUser || !suggesterUser) throw new Error('seed is missing users')
  await before(cardId)
  const people = await signInPeople(suite.browser, server.httpUrl, [chairUser, suggesterUser])
  const [chair, suggester] = people.pages as [Page, Page]
  try {
    for (const page of people.pages) await openCard(page, cardId)
    await expect
      .poll(() => suggester.getByTestId('mode-switch').getAttribute('data-mode'), WAIT)
      .toBe('suggesting')
    const before = await structure(chair)

    // 1. Enter in the middle of a paragraph, and a sentence typed into the new one.
    await caretAt(suggester, 'mendasar', 'after')
    await suggester.keyboard.press('Enter')
    await suggester.keyboard.type('Kalimat baru.', { delay: 10 })
    await waitSaved(suggester)
    // 2. A new list item after the first key message.
    const firstItem = before.find((line) => line.startsWith('• ')) as string
    const lastWord = firstItem.trim().split(/\s+/).at(-1) as string
    await caretAt(suggester, lastWord, 'after')
    await suggester.keyboard.press('End')
    await suggester.keyboard.press('Enter')
    await suggester.keyboard.type('Butir baru', { delay: 10 })
    await waitSaved(suggester)
    // 3. Two pasted paragraphs.
    await caretAt(suggester, 'Perpres', 'before')
    await pasteHtml(suggester, '<p>Tempel satu.</p><p>Tempel dua.</p>')
    await waitSaved(suggester)
    // 4. Bold on a word.
    await selectWord(suggester, 'hukum')
    await suggester.keyboard.press('Control+b')
    await waitSaved(suggester)
    await expectNoRejection(people.pages)

    // 5. Backspace at the start of the last paragraph: a join.
    const lastParagraph = (await structure(suggester)).at(-1) as string
    const firstWord = lastParagraph.split(/\s+/)[0] as string
    await caretAt(suggester, firstWord, 'before')
    await suggester.keyboard.press('Home')
    await suggester.keyboard.press('Backspace')
    await waitSaved(suggester)
    await expectNoRejection(people.pages)

    // Everything survives a reload.
    const suggested = await answerText(suggester)
    for (const text of ['Kalimat baru.', 'Butir baru', 'Tempel satu.', 'Tempel dua.']) {
      expect(suggested).toContain(text)
    }
    await suggester.reload()
    await suggester.getByTestId('answer-editor').locator('.ProseMirror').waitFor()
    await waitSaved(suggester)
    await expect.poll(() => answerText(suggester), WAIT).toBe(suggested)
    expect(
      await answer(suggester)
        .locator('span.suggestion--format strong, strong span.suggestion--format')
        .count(),
    ).toBeGreaterThan(0)
    expect(await answer(suggester).locator('.suggestion-join').count()).toBe(1)

    // The chair sees each by its kind.
    await expect.poll(() => panelKinds(chair), WAIT).toHaveLength(5)
    expect(await panelKinds(chair), (await panelItems(chair)).join('\n')).toEqual([
      'format',
      'join',
      'split',
      'split',
      'split',
    ])
    const panelText = await chair.getByTestId('review-panel').textContent()
    expect(panelText).toContain('Usulan perubahan format')
    expect(panelText).toContain('Format: tebal')
    expect(panelText).toContain('Usulan penggabungan paragraf')
    expect(panelText).toContain('Usulan paragraf baru')

    // The chair accepts all: the structure the suggester made.
    chair.once('dialog', (dialog) => void dialog.accept())
    await chair.getByTestId('accept-all').click()
    await expect.poll(() => panelKinds(chair), WAIT).toEqual([])
    await waitSaved(chair)
    const after = await structure(chair)
    expect(after.filter((line) => line.startsWith('• '))).toHaveLength(
      before.filter((line) => line.startsWith('• ')).length + 1,
    )
    expect(after).toContain('• Butir baru')
    expect(after.some((line) => line.startsWith('Kalimat baru.'))).toBe(true)
    // Pasted into the middle of a paragraph: its first paragraph ends the text before the
    // caret, its last one begins the text after it.
    expect(after.some((line) => line.endsWith(' Tempel satu.'))).toBe(true)
    expect(after.some((line) => line.startsWith('Tempel dua.Perpres'))).toBe(true)
    expect(after.some((line) => line.endsWith('mendasar'))).toBe(true)
    // The join: the last paragraph is now part of the one before it.
    expect(after.at(-1)?.endsWith(lastParagraph)).toBe(true)
    expect(after.at(-1)).not.toBe(lastParagraph)
    // One list item, the Enter and the pasted break more; the joined paragraph less.
    expect(after).toHaveLength(before.length + 2)
    expect(await answer(chair).locator('strong', { hasText: 'hukum' }).count()).toBe(1)
    await expectNoRejection(people.pages)
    expect(people.errors).toEqual([])
  } finally {
    await people.close()
  }
}

describe.skipIf(!browserAvailable())('structural suggestions in the browser', () => {
  const suite = useBrowserSuite()

  it('Enter, a new list item, pasted paragraphs, a join and bold: each one suggestion, named, accepted', async () => {
    await structuralFlow(suite, 'suggester')
  })
})

describe.skipIf(!browserAvailable())(
  'structural suggestions by an editor while everyone suggests',
  () => {
    const suite = useBrowserSuite()

    it('the same flow by an editor held in Suggesting: each one suggestion, named, accepted', async () => {
      await structuralFlow(suite, 'kemlu', async (cardId) => {
        const response = await fetch(`${suite.server.httpUrl}/api/cards/${cardId}`, {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${suite.seeded.users.chair?.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ suggestOnly: true }),
        })
        expect(response.status).toBe(200)
      })
    })
  },
)
