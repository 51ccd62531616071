/**
 * The card page without rough edges, tried as new users would in Chromium: icons that draw
 * without an emoji font; the card's data from the deck (speaker, key data, follow-up
 * questions, sensitivities) beside the question, collapsed until opened; a commenter who uses
 * only the keyboard selects words and comments on them; a comment being written is not thrown
 * away by a stray Esc; focus stays on the work after a comment or a decision.
 */
import type { InboxResponse } from '@kartu/protocol'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { callAs, userOf } from './helpers/api.ts'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import {
  answer,
  openCard,
  selectWord,
  suggestReplacements,
  WAIT,
  waitSaved,
} from './helpers/editorPage.ts'

/** Emoji and other pictographs: drawn only where an emoji font is installed. */
const PICTOGRAPH = /\p{Extended_Pictographic}/u

describe.skipIf(!browserAvailable())('the card page', () => {
  const suite = useBrowserSuite()

  it('draws its lock buttons and notices with icons shipped with the app, not emoji', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser } = seeded.users
    if (!chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser])
    const [chair] = people.pages as [Page]
    try {
      await openCard(chair, cardId)
      const noEmoji = async (element: ReturnType<Page['getByTestId']>) => {
        expect(await element.textContent()).not.toMatch(PICTOGRAPH)
        expect(await element.locator('svg').count()).toBe(1)
      }
      await noEmoji(chair.getByTestId('lock-card'))
      await noEmoji(chair.getByRole('button', { name: 'Kunci paragraf' }))
      // The card locked: its notice, and the button in its other state.
      await chair.getByTestId('lock-card').click()
      await chair.getByTestId('locked-notice').waitFor(WAIT)
      await noEmoji(chair.getByTestId('locked-notice'))
      await noEmoji(chair.getByTestId('lock-card'))
      await chair.getByTestId('lock-card').click()
      await expect.poll(() => chair.getByTestId('locked-notice').count(), WAIT).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('shows the card’s speaker, key data, follow-up questions and sensitivities, collapsed until opened', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[0] as string
    const { kp2mi: kp2miUser } = seeded.users
    if (!kp2miUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [kp2miUser])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      const briefing = page.getByTestId('card-briefing')
      await briefing.waitFor(WAIT)
      expect(await briefing.getAttribute('open')).toBeNull()
      const summary = briefing.locator('summary')
      expect(await summary.textContent()).toContain('2 data kunci')
      expect(await summary.textContent()).toContain('2 pertanyaan lanjutan')
      // Closed, the details are not shown.
      expect(await briefing.getByText('Juru bicara KemenHAM').isVisible()).toBe(false)

      await summary.click()
      for (const text of [
        'Juru bicara KemenHAM',
        'Peraturan turunan UU 18/2017 yang telah ditetapkan',
        'belum terkonfirmasi',
        'Mengapa masih ada peraturan turunan yang belum terbit',
        'Jelaskan proses harmonisasi lintas K/L',
        'penerus Kemenkumham',
        'Perpres 165/2024',
      ]) {
        await expect.poll(() => briefing.getByText(text).first().isVisible(), WAIT).toBe(true)
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('a keyboard-only commenter selects words and comments: highlighted while written, one space after a mention, Esc asks first, focus on the new thread', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[1] as string
    const { commenter } = seeded.users
    if (!commenter) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [commenter])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      const text = answer(page)
      expect(await text.getAttribute('contenteditable')).toBe('false')
      await text.focus()
      // The first word of the answer, with the keyboard only.
      await page.keyboard.press('Control+Home')
      await page.keyboard.press('Control+Shift+ArrowRight')
      const selected = () =>
        text.evaluate((element) => String(element.ownerDocument.getSelection()).trim())
      await expect.poll(selected, WAIT).toBe('Pesan')
      await page.keyboard.press('Control+Alt+m')
      const input = page.getByTestId('comment-input')
      await expect
        .poll(() => input.evaluate((el) => el === el.ownerDocument.activeElement), WAIT)
        .toBe(true)
      // The words stay marked in the answer while the comment is written.
      await expect.poll(() => text.getByTestId('pending-comment').textContent(), WAIT).toBe('Pesan')

      await page.keyboard.type('Mohon cek @kp2', { delay: 10 })
      const option = page.getByTestId('mention-option').first()
      await option.waitFor(WAIT)
      // The list does not hide the words being commented on.
      const quote = await page.locator('.new-thread__quote').boundingBox()
      const list = await page.locator('.mention-input__options').boundingBox()
      if (!quote || !list) throw new Error('quote or list not shown')
      expect(list.y >= quote.y + quote.height || list.y + list.height <= quote.y).toBe(true)
      await page.keyboard.press('Enter')
      await page.keyboard.type(' datanya', { delay: 10 })
      expect(await input.inputValue()).toBe('Mohon cek @KP2MI datanya')

      // Esc with words typed asks; declining keeps the comment.
      const questions: string[] = []
      page.once('dialog', (dialog) => {
        questions.push(dialog.message())
        void dialog.dismiss()
      })
      await page.keyboard.press('Escape')
      await expect.poll(() => questions, WAIT).toEqual(['Buang komentar yang sudah Anda ketik?'])
      expect(await input.inputValue()).toBe('Mohon cek @KP2MI datanya')

      await page.keyboard.press('Control+Enter')
      const thread = page.getByTestId('thread').first()
      await thread.waitFor(WAIT)
      expect(await thread.locator('.thread__quote').textContent()).toBe('Pesan')
      await expect
        .poll(
          () =>
            page.locator('body').evaluate((body) => {
              const active = body.ownerDocument.activeElement
              return active?.closest('[data-testid="thread"]') ? active.className : 'elsewhere'
            }),
          WAIT,
        )
        .toContain('review-item__select')
      await expect.poll(() => text.getByTestId('pending-comment').count(), WAIT).toBe(0)
      await waitSaved(page)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('a commenter mentions a member of the deck by name: offered with their ministry, written whole, in their inbox', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[2] as string
    const commenter = userOf(seeded, 'commenter')
    const kemlu = userOf(seeded, 'kemlu')
    const people = await signInPeople(suite.browser, server.httpUrl, [commenter])
    const [page] = people.pages as [Page]
    try {
      await openCard(page, cardId)
      const text = answer(page)
      await text.focus()
      await page.keyboard.press('Control+Home')
      await page.keyboard.press('Control+Shift+ArrowRight')
      await page.keyboard.press('Control+Alt+m')
      const input = page.getByTestId('comment-input')
      await expect
        .poll(() => input.evaluate((el) => el === el.ownerDocument.activeElement), WAIT)
        .toBe(true)

      // "kem" is the start of a word of the name (no ministry is called "Test kem…").
      await page.keyboard.type('Mohon @test kem', { delay: 10 })
      const option = page.getByTestId('mention-option').first()
      await option.waitFor(WAIT)
      expect(await page.getByTestId('mention-option').count()).toBe(1)
      expect(await option.getAttribute('data-person-id')).toBe(kemlu.id)
      expect(await option.textContent()).toContain('Test kemlu')
      expect(await option.locator('.ministry-badge').getAttribute('data-ministry-id')).toBe('KEMLU')
      expect(await input.getAttribute('aria-activedescendant')).toBe(
        await option.getAttribute('id'),
      )
      await page.keyboard.press('Enter')
      await page.keyboard.type(' cek angkanya', { delay: 10 })
      expect(await input.inputValue()).toBe('Mohon @Test kemlu cek angkanya')
      expect(await input.getAttribute('aria-expanded')).toBe('false')

      await page.keyboard.press('Control+Enter')
      await page.getByTestId('thread').first().waitFor(WAIT)
      await waitSaved(page)
      // The server read the name in the comment: the comment is in that person's inbox.
      const mentions = async () => {
        const response = await callAs(server, kemlu, 'GET', '/api/me/inbox')
        const inbox = (await response.json()) as InboxResponse
        return inbox.items.filter((item) => item.kind === 'mention' && item.cardId === cardId)
      }
      await expect.poll(async () => (await mentions()).length, WAIT).toBe(1)
      expect((await mentions())[0]?.details.excerpt).toBe('Mohon @Test kemlu cek angkanya')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('after the chair decides a suggestion in the panel, focus is on the next one', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[3] as string
    const { chair: chairUser, kemlu: kemluUser } = seeded.users
    if (!chairUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser, kemluUser])
    const [chair, kemlu] = people.pages as [Page, Page]
    try {
      await suggestReplacements(kemlu, cardId, [
        ['Pengaduan', 'Keluhan'],
        ['keluarganya', 'kerabatnya'],
      ])
      await openCard(chair, cardId)
      const items = chair.getByTestId('panel-suggestion')
      await expect.poll(() => items.count(), WAIT).toBe(2)
      const firstId = await items.first().getAttribute('data-suggestion-id')
      await items.first().getByTestId('accept-suggestion').focus()
      await chair.keyboard.press('Enter')
      await expect.poll(() => items.count(), WAIT).toBe(1)
      const focusedItem = () =>
        chair.locator('body').evaluate((body) => {
          const active = body.ownerDocument.activeElement
          const item = active?.closest('[data-testid="panel-suggestion"]')
          return item ? item.getAttribute('data-suggestion-id') : null
        })
      await expect.poll(focusedItem, WAIT).not.toBeNull()
      expect(await focusedItem()).not.toBe(firstId)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('keeps other people’s names and the suggestion tooltip off the words being read', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[4] as string
    const { kp2mi: kp2miUser, kemlu: kemluUser } = seeded.users
    if (!kp2miUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [kp2miUser, kemluUser])
    const [kp2mi, kemlu] = people.pages as [Page, Page]
    try {
      await openCard(kp2mi, cardId)
      await openCard(kemlu, cardId)
      // Kemlu suggests a word; while Kemlu types, KP2MI sees Kemlu's name at the caret.
      await kemlu.getByTestId('mode-switch').click()
      await selectWord(kemlu, 'Perwakilan')
      const label = kp2mi.locator(
        `.collaboration-carets__caret[data-user-id="${kemluUser.id}"] .collaboration-carets__label`,
      )
      const opacity = () =>
        label.evaluate(
          (element) => element.ownerDocument.defaultView?.getComputedStyle(element).opacity,
        )
      // Typing for about three seconds: a loaded machine's poll must still see the name shown.
      const typing = kemlu.keyboard.type('Kedutaan Besar Republik Indonesia', { delay: 90 })
      await expect.poll(opacity, WAIT).toBe('1')
      await typing
      await waitSaved(kemlu)
      // Still, the name fades: left above the caret it covered the line before.
      await expect.poll(opacity, WAIT).toBe('0')

      // The tooltip of the suggestion shows in the editor's bar, not over the text.
      const mark = answer(kp2mi).locator('[data-suggestion-id]').first()
      await mark.hover()
      const tooltip = kp2mi.getByTestId('suggestion-tooltip')
      await tooltip.waitFor(WAIT)
      const tip = await tooltip.boundingBox()
      const bar = await kp2mi.getByTestId('editor-bar').boundingBox()
      if (!tip || !bar) throw new Error('not shown')
      expect(tip.y).toBeGreaterThanOrEqual(bar.y - 1)
      expect(tip.y + tip.height).toBeLessThanOrEqual(bar.y + bar.height + 1)
      // And the words pointed at stay uncovered.
      const pointed = await mark.boundingBox()
      if (!pointed) throw new Error('not shown')
      expect(pointed.y).toBeGreaterThanOrEqual(tip.y + tip.height)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('on a phone: a compact header that stays, the answer first, and the review panel a sheet where a suggester withdraws their suggestion without scrolling', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[5] as string
    const { kemlu: kemluUser } = seeded.users
    if (!kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [kemluUser])
    const [phone] = people.pages as [Page]
    const screen = { width: 390, height: 844 }
    try {
      await phone.setViewportSize(screen)
      await openCard(phone, cardId)
      const header = phone.locator('.app-header')
      const headerBox = await header.boundingBox()
      if (!headerBox) throw new Error('no header')
      expect(headerBox.height).toBeLessThanOrEqual(64)
      // The answer starts on the first screen.
      const answerBox = await answer(phone).boundingBox()
      expect(answerBox?.y ?? screen.height).toBeLessThan(screen.height * 0.6)

      await phone.getByTestId('mode-switch').click()
      await selectWord(phone, 'administratif')
      await phone.keyboard.type('tata usaha', { delay: 10 })
      await waitSaved(phone)
      // Scrolled down the answer, the header is still there.
      await phone.mouse.wheel(0, 700)
      await expect.poll(async () => (await header.boundingBox())?.y, WAIT).toBe(0)

      // The review panel is a bar at the bottom of the screen; opened, it shows the suggestion
      // and its Withdraw button on this screen.
      const toggle = phone.getByTestId('review-sheet-toggle')
      const bar = await toggle.boundingBox()
      if (!bar) throw new Error('no sheet bar')
      expect(bar.y + bar.height).toBeLessThanOrEqual(screen.height + 1)
      expect(bar.y).toBeGreaterThan(screen.height - 80)
      await toggle.click()
      const withdraw = phone
        .getByTestId('panel-suggestion')
        .first()
        .getByTestId('withdraw-suggestion')
      await withdraw.waitFor(WAIT)
      const button = await withdraw.boundingBox()
      if (!button) throw new Error('no withdraw button')
      expect(button.y).toBeGreaterThanOrEqual(0)
      expect(button.y + button.height).toBeLessThanOrEqual(screen.height)
      await withdraw.click()
      await expect.poll(() => phone.getByTestId('panel-suggestion').count(), WAIT).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('goes from suggestion to suggestion with the keyboard, and between the text and the panel', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[6] as string
    const { kp2mi: kp2miUser, kemlu: kemluUser } = seeded.users
    if (!kp2miUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [kp2miUser, kemluUser])
    const [kp2mi, kemlu] = people.pages as [Page, Page]
    try {
      await suggestReplacements(kemlu, cardId, [
        ['prosedural', 'resmi'],
        ['Perlindungan', 'Pelindungan'],
      ])
      await openCard(kp2mi, cardId)
      const items = kp2mi.getByTestId('panel-suggestion')
      await expect.poll(() => items.count(), WAIT).toBe(2)
      const ids = await items.evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('data-suggestion-id')),
      )
      const activeId = () =>
        kp2mi
          .locator('[data-testid="panel-suggestion"][data-active="true"]')
          .getAttribute('data-suggestion-id')
      await answer(kp2mi).focus()
      await kp2mi.keyboard.press('Control+Home')
      await kp2mi.keyboard.press('Control+Alt+ArrowDown')
      await expect.poll(activeId, WAIT).toBe(ids[0])
      await kp2mi.keyboard.press('Control+Alt+ArrowDown')
      await expect.poll(activeId, WAIT).toBe(ids[1])
      await kp2mi.keyboard.press('Control+Alt+ArrowUp')
      await expect.poll(activeId, WAIT).toBe(ids[0])

      // To the item in the panel, and back to the text.
      const focusedIn = () =>
        kp2mi.locator('body').evaluate((body) => {
          const focused = body.ownerDocument.activeElement
          if (focused?.classList.contains('ProseMirror')) return 'text'
          return (
            focused
              ?.closest('[data-testid="panel-suggestion"]')
              ?.getAttribute('data-suggestion-id') ?? 'elsewhere'
          )
        })
      await kp2mi.keyboard.press('Control+Alt+Enter')
      await expect.poll(focusedIn, WAIT).toBe(ids[0])
      await kp2mi.keyboard.press('Control+Alt+Enter')
      await expect.poll(focusedIn, WAIT).toBe('text')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
