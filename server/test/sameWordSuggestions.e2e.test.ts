/**
 * Two ministries replace the very same word at the same moment, in two browsers, both only
 * allowed to suggest. Both suggestions must survive whole, attributed to their authors, with no
 * update refused (a refusal would drop a person's typing), and everyone must converge; the chair
 * then picks one of the alternatives and the answer reads with it.
 *
 * This is where y-tiptap's string diff used to hand one person's letters to the other person's
 * suggestion (docs/decisions/0007-mark-aware-text-diff.md). Several rounds, on several words,
 * with both people typing at full speed, give the race many chances.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { kartu } from './helpers/cli.ts'
import { answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

/** Words of the first demo card's answer, each replaced by both ministries in one round. */
const ROUNDS = [
  { word: 'mendasar', first: 'signifikan', second: 'substansial' },
  { word: 'berubah', first: 'bergeser', second: 'bertransformasi' },
  { word: 'Kerangka', first: 'Landasan', second: 'Lanskap' },
]

/** The text of each insertion suggestion in the answer, by suggestion id. */
async function insertedTexts(page: Page): Promise<Map<string, string>> {
  const pairs = await page.locator('.ProseMirror ins[data-suggestion-id]').evaluateAll((elements) =>
    elements.map((element) => {
      const copy = element.cloneNode(true) as typeof element
      for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove()
      return [element.getAttribute('data-suggestion-id') ?? '', copy.textContent ?? '']
    }),
  )
  const texts = new Map<string, string>()
  for (const [id, text] of pairs) texts.set(id as string, (texts.get(id as string) ?? '') + text)
  return texts
}

/** Author (user id) of each pending suggestion, from the side panel. */
async function panelSuggestions(page: Page): Promise<Map<string, string>> {
  const pairs = await page
    .locator('[data-testid="panel-suggestion"]')
    .evaluateAll((elements) =>
      elements.map((element) => [
        element.getAttribute('data-suggestion-id') ?? '',
        element.querySelector('.author-label')?.getAttribute('data-user-id') ?? '',
      ]),
    )
  return new Map(pairs.map(([id, user]) => [id as string, user as string]))
}

describe.skipIf(!browserAvailable())('two ministries suggesting on the same word at once', () => {
  // Both typists may only suggest: the server checks their every keystroke the strictest way.
  const suite = useBrowserSuite({
    beforeStart: async (seeded) => {
      const demoted = await kartu(
        seeded.dataDir,
        'member',
        'add',
        '--deck',
        seeded.deckId,
        '--email',
        'kp2mi@kartu.test',
        '--role',
        'suggester',
      )
      expect(demoted.code, demoted.stderr).toBe(0)
    },
  })

  it('keeps both suggestions whole, refuses nothing, converges, and the chair picks one', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kp2mi: firstUser, suggester: secondUser } = seeded.users
    if (!chairUser || !firstUser || !secondUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [chairUser, firstUser, secondUser])
    const { pages, errors } = people
    const [chair, first, second] = pages as [Page, Page, Page]
    try {
      for (const page of pages) await openCard(page, cardId)
      for (const page of [first, second]) {
        await expect
          .poll(() => page.getByTestId('mode-switch').getAttribute('data-mode'), WAIT)
          .toBe('suggesting')
      }
      const before = await answerText(chair)

      const chosen: Array<{ word: string; replacement: string; rejected: string }> = []
      for (const [round, { word, first: firstText, second: secondText }] of ROUNDS.entries()) {
        // Both select the same word, then type their replacements at the same moment.
        await Promise.all([selectWord(first, word), selectWord(second, word)])
        await Promise.all([
          first.keyboard.type(firstText, { delay: 15 }),
          second.keyboard.type(secondText, { delay: 15 }),
        ])
        await Promise.all([waitSaved(first), waitSaved(second)])
        await expectNoRejection(pages)

        // Everyone holds the same answer, and in it both replacements, each whole, each one
        // suggestion of its own author.
        const texts = () => Promise.all(pages.map((page) => answerText(page)))
        await expect.poll(async () => new Set(await texts()).size, WAIT).toBe(1)
        for (const page of pages) {
          await expect
            .poll(async () => [...(await insertedTexts(page)).values()].sort(), WAIT)
            .toEqual(
              [
                ...chosen.map((c) => c.replacement),
                ...chosen.map((c) => c.rejected),
                firstText,
                secondText,
              ].sort(),
            )
        }
        const inserted = await insertedTexts(chair)
        const authors = await panelSuggestions(chair)
        const idOf = (text: string): string => {
          const id = [...inserted].find(([, value]) => value === text)?.[0]
          if (!id) throw new Error(`no suggestion inserts "${text}"`)
          return id
        }
        expect(authors.get(idOf(firstText))).toBe(firstUser.id)
        expect(authors.get(idOf(secondText))).toBe(secondUser.id)
        const [replacement, rejected] =
          round % 2 === 0 ? [firstText, secondText] : [secondText, firstText]
        chosen.push({ word, replacement, rejected })
      }
      await expectNoRejection(pages)

      // The chair decides every round on the presentation view: accepting one alternative
      // rejects the other with it.
      await chair.getByTestId('present-link').click()
      await chair.getByTestId('present-view').waitFor()
      const focused = chair.getByTestId('present-focused')
      const progress = chair.getByTestId('present-progress')
      const texts = await insertedTexts(chair)
      const wanted = new Set(chosen.map((c) => c.replacement))
      // The focused suggestion's id, or null once there is none left to show.
      const focusedId = async (): Promise<string | null> =>
        (await focused.count()) > 0 ? await focused.getAttribute('data-suggestion-id') : null
      for (let step = 0; step < 4 * ROUNDS.length; step++) {
        const id = await focusedId()
        if (id === null) break
        const inserts = texts.get(id)
        if (inserts !== undefined && wanted.has(inserts)) {
          await chair.getByTestId('present-accept').click()
        } else {
          await chair.keyboard.press('ArrowRight')
        }
        await expect.poll(focusedId, WAIT).not.toBe(id)
      }
      await expect.poll(() => progress.textContent(), WAIT).toBe('Semua usulan sudah diputuskan')
      await chair.locator('.present__back').click()
      await chair.getByTestId('answer-editor').locator('.ProseMirror').waitFor()

      let expected = before
      for (const { word, replacement } of chosen) expected = expected.replace(word, replacement)
      for (const page of pages) {
        await expect.poll(() => answerText(page), WAIT).toBe(expected)
      }
      await expectNoRejection(pages)
      expect(errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 240_000)
})
