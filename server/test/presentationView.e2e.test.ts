/**
 * The presentation view on the projector (1280×720), as the chair and the room use it: the chair
 * decides from the keyboard and gives a reason without the reason's letters firing shortcuts;
 * the counter says how many suggestions are still open; the question, the answer and the
 * decision panel all stay on screen in type that reads from the back of the room; a delegate
 * who follows the chair stays in the view the chair is in, and is told when typing stops it.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'

const PROJECTOR = { width: 1280, height: 720 }

/** Words of the first demo card's answer, each replaced by KP2MI in Suggesting mode. */
const REPLACEMENTS: ReadonlyArray<[string, string]> = [
  ['berubah', 'bergeser'],
  ['mendasar', 'signifikan'],
  ['Perpres', 'Peraturan Presiden'],
]

/** What the room must be able to read on the projector, measured in the page. */
type Layout = {
  scrolls: boolean
  questionOnScreen: boolean
  answerVisible: number
  panelShare: number
  smallest: { selector: string; size: number }
}

async function layout(page: Page): Promise<Layout> {
  return page.getByTestId('present-view').evaluate((root) => {
    const doc = root.ownerDocument
    const win = doc.defaultView
    if (!win) throw new Error('no window')
    const view = { width: win.innerWidth, height: win.innerHeight }
    const box = (selector: string) => {
      const element = doc.querySelector(selector)
      if (!element) throw new Error(`${selector} is missing`)
      return element.getBoundingClientRect()
    }
    const question = box('.present__question-text')
    const answerBox = box('.present__answer')
    const panel = box('.present__focus')
    // Everything the room reads: the question, the answer, the progress, the focused
    // suggestion (its kind, words and author), the buttons and the shortcut line.
    const readable = [
      '.present__question-text',
      '.present__answer-content',
      '.present__progress',
      '.present__suggestion-kind',
      '.present__suggestion-text',
      '.present__suggestion-meta',
      '.present__decide',
      '.present__nav',
      '.present__shortcuts',
      '.present__reason input',
    ]
    let smallest = { selector: '', size: Number.POSITIVE_INFINITY }
    for (const selector of readable) {
      for (const element of doc.querySelectorAll(selector)) {
        const size = Number.parseFloat(win.getComputedStyle(element).fontSize)
        if (size < smallest.size) smallest = { selector, size }
      }
    }
    const scroller = doc.scrollingElement ?? doc.documentElement
    return {
      scrolls: scroller.scrollHeight > view.height + 1,
      questionOnScreen: question.top >= 0 && question.bottom <= view.height,
      answerVisible: Math.min(answerBox.bottom, panel.top) - Math.max(answerBox.top, 0),
      panelShare: panel.height / view.height,
      smallest,
    }
  })
}

async function expectReadable(page: Page): Promise<void> {
  const seen = await layout(page)
  expect(seen.scrolls, 'the page scrolls on the projector').toBe(false)
  expect(seen.questionOnScreen, 'the question left the screen').toBe(true)
  expect(seen.answerVisible).toBeGreaterThan(150)
  expect(seen.panelShare, 'the decision panel takes too much of the screen').toBeLessThan(0.3)
  expect(seen.smallest.size, `${seen.smallest.selector} is too small`).toBeGreaterThanOrEqual(24)
}

async function decisionReasons(page: Page): Promise<string[]> {
  return page.getByTestId('decision-entry-reason').allTextContents()
}

describe.skipIf(!browserAvailable())('the presentation view on the projector', () => {
  const suite = useBrowserSuite()

  it('the chair decides from the keyboard with a reason, the counter counts what is open, and the room can read it all at 720p', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kp2mi: kp2miUser } = seeded.users
    if (!chairUser || !kp2miUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser, kp2miUser])
    const { pages, errors } = people
    const [chair, kp2mi] = pages as [Page, Page]
    try {
      await openCard(kp2mi, cardId)
      const modeSwitch = kp2mi.getByTestId('mode-switch')
      await modeSwitch.click()
      await expect.poll(() => modeSwitch.getAttribute('data-mode'), WAIT).toBe('suggesting')
      for (const [word, replacement] of REPLACEMENTS) {
        await selectWord(kp2mi, word)
        await kp2mi.keyboard.type(replacement, { delay: 10 })
        await waitSaved(kp2mi)
      }

      await chair.setViewportSize(PROJECTOR)
      await chair.goto(`${server.httpUrl}/cards/${cardId}/present`)
      const progress = chair.getByTestId('present-progress')
      const focused = chair.getByTestId('present-focused')
      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 3')
      await expectReadable(chair)

      await chair.keyboard.press('n')
      await expect.poll(() => progress.textContent(), WAIT).toBe('2 dari 3')
      await expectReadable(chair)
      const second = await focused.getAttribute('data-suggestion-id')

      // A reason with the letters a and r in it: every letter is the reason's, nothing decided.
      const reason = chair.getByTestId('decision-reason')
      await reason.click()
      await chair.keyboard.type('tidak perlu, rumusan awal sudah benar', { delay: 5 })
      expect(await reason.inputValue()).toBe('tidak perlu, rumusan awal sudah benar')
      expect(await progress.textContent()).toBe('2 dari 3')
      expect(await focused.getAttribute('data-suggestion-id')).toBe(second)

      // Esc hands the keys back to the shortcuts; R rejects, with the reason typed.
      await chair.keyboard.press('Escape')
      await expect
        .poll(
          () => reason.evaluate((input) => input.ownerDocument.activeElement?.tagName ?? ''),
          WAIT,
        )
        .not.toBe('INPUT')
      await chair.keyboard.press('r')
      // Two still open, the one after the rejected shown: "2 of 2", and one decided beside it.
      await expect.poll(() => progress.textContent(), WAIT).toBe('2 dari 2 · 1 diputuskan')
      expect(await progress.getAttribute('data-open')).toBe('2')
      await expect.poll(() => focused.getAttribute('data-suggestion-id'), WAIT).not.toBe(second)
      await expectReadable(chair)

      await chair.keyboard.press('a')
      await expect.poll(() => progress.textContent(), WAIT).toBe('1 dari 1 · 2 diputuskan')
      await chair.keyboard.press('a')
      await expect.poll(() => progress.textContent(), WAIT).toBe('Semua usulan sudah diputuskan')

      // The reason reached the decision log, whole.
      await expect
        .poll(() => decisionReasons(kp2mi), WAIT)
        .toContain('tidak perlu, rumusan awal sudah benar')
      await expectNoRejection(pages)
      expect(errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('a delegate following the chair stays in the view the chair is in, and is told when typing stops it', async () => {
    const { seeded, server } = suite
    const [firstCard, secondCard] = seeded.cardIds as [string, string]
    const { chair: chairUser, kemlu: kemluUser } = seeded.users
    if (!chairUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser, kemluUser])
    const { pages, errors } = people
    const [chair, kemlu] = pages as [Page, Page]
    try {
      // Kemlu follows from the projector view of one card.
      await kemlu.goto(`${server.httpUrl}/cards/${firstCard}/present`)
      const toggle = kemlu.getByTestId('follow-toggle')
      await toggle.click()
      expect(await toggle.getAttribute('aria-pressed')).toBe('true')

      // The chair presents another card: Kemlu is taken to its projector view, not its page.
      await chair.goto(`${server.httpUrl}/cards/${secondCard}/present`)
      await chair.getByTestId('present-view').waitFor()
      await kemlu.waitForURL(`**/cards/${secondCard}/present`, WAIT)
      await expect
        .poll(() => kemlu.getByTestId('follow-status').textContent(), WAIT)
        .toBe('Mengikuti Test chair')

      // The chair goes back to the card page to edit: Kemlu goes with them.
      await chair.locator('.present__back').click()
      await chair.waitForURL(`**/cards/${secondCard}`)
      await kemlu.waitForURL((url) => url.pathname === `/cards/${secondCard}`, WAIT)
      await kemlu.getByTestId('answer-editor').locator('.ProseMirror').waitFor()

      // Kemlu types: their own work wins, and the view says that following stopped.
      await answer(kemlu).click()
      await kemlu.keyboard.press('End')
      await kemlu.keyboard.type(' x', { delay: 10 })
      await expect.poll(() => toggle.getAttribute('aria-pressed'), WAIT).toBe('false')
      await expect
        .poll(() => kemlu.getByTestId('follow-status').textContent(), WAIT)
        .toBe('Berhenti mengikuti karena Anda mengetik. Tekan “Ikuti ketua” untuk melanjutkan.')
      await waitSaved(kemlu)
      // Following again clears the notice.
      await toggle.click()
      await expect
        .poll(() => kemlu.getByTestId('follow-status').textContent(), WAIT)
        .toBe('Mengikuti Test chair')
      await expectNoRejection(pages)
      expect(errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
