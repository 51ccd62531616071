/**
 * The dashboard and the words around the work, tried as new users would: each tab titled for
 * what it shows, questions readable on the dashboard, the header on one row in English, the
 * sign-in lockout said wholly in the person's language, and the reason field's hint not cut off.
 */
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { openCard, suggestReplacements, WAIT } from './helpers/editorPage.ts'

const DECK_TITLE = 'Demo Kartu: Kartu Jawaban Dialog Konstruktif RI - Komite CMW'

/** Whether a text field's placeholder fits in the field, measured in its own font. */
async function placeholderFits(input: Locator): Promise<boolean> {
  return input.evaluate((field) => {
    if (!('placeholder' in field) || typeof field.placeholder !== 'string') return false
    const win = field.ownerDocument.defaultView
    const context = field.ownerDocument.createElement('canvas').getContext('2d')
    if (!win || !context) throw new Error('no window')
    const style = win.getComputedStyle(field)
    context.font = style.font
    const room =
      field.clientWidth -
      Number.parseFloat(style.paddingLeft) -
      Number.parseFloat(style.paddingRight)
    return context.measureText(field.placeholder).width <= room
  })
}

describe.skipIf(!browserAvailable())('the dashboard and the language around the work', () => {
  const suite = useBrowserSuite()

  it('titles each tab for what it shows', async () => {
    const { seeded, server } = suite
    const [first, second] = seeded.cardIds as [string, string]
    const { kp2mi } = seeded.users
    if (!kp2mi) throw new Error('seed is missing users')
    const context = await suite.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${server.httpUrl}/`)
      await expect.poll(() => page.title(), WAIT).toBe('Masuk ke Kartu · Kartu')
      await page.getByTestId('signin-email').fill(kp2mi.email)
      await page.getByTestId('signin-password').fill(kp2mi.password)
      await page.getByTestId('signin-submit').click()
      await page.getByTestId('card-row').first().waitFor(WAIT)
      await expect.poll(() => page.title(), WAIT).toBe(`${DECK_TITLE} · Kartu`)
      await openCard(page, first)
      await expect.poll(() => page.title(), WAIT).toBe(`CC-01 · ${DECK_TITLE} · Kartu`)
      await page.goto(`${server.httpUrl}/cards/${second}`)
      await expect.poll(() => page.title(), WAIT).toBe(`CC-02 · ${DECK_TITLE} · Kartu`)
      await page.goto(`${server.httpUrl}/cards/${second}/present`)
      await expect.poll(() => page.title(), WAIT).toBe('CC-02 (Presentasi) · Kartu')
    } finally {
      await context.close()
    }
  })

  it('gives the questions the width of the screen, and keeps the English header on one row', async () => {
    const { seeded, server } = suite
    const { chair: chairUser } = seeded.users
    if (!chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser])
    const [chair] = people.pages as [Page]
    try {
      await chair.setViewportSize({ width: 1440, height: 900 })
      const question = chair.locator('.card-row__question').first()
      await question.waitFor(WAIT)
      const width = (await question.boundingBox())?.width ?? 0
      // About 70 characters a line over three lines, where the old layout showed about 60 in all.
      expect(width).toBeGreaterThan(500)

      await chair.getByTestId('language-switch').selectOption('en')
      await expect.poll(() => chair.getByTestId('sign-out').textContent(), WAIT).toBe('Sign out')
      for (const path of ['/', `/cards/${seeded.cardIds[0]}`]) {
        await chair.goto(`${server.httpUrl}${path}`)
        await chair.getByTestId('sign-out').waitFor(WAIT)
        const rows = await chair.locator('.app-header').evaluate((header) => {
          const tops = [...header.querySelectorAll('a, button, select, h1')]
            .filter((element) => !element.classList.contains('skip-link'))
            .map((element) => {
              const box = element.getBoundingClientRect()
              return Math.round(box.top + box.height / 2)
            })
          return { spread: Math.max(...tops) - Math.min(...tops), height: header.clientHeight }
        })
        // One row: every item's middle on the same line.
        expect(rows.spread, `header on ${path}`).toBeLessThanOrEqual(6)
        expect(rows.height).toBeLessThan(70)
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('fits the phone header on the screen with nothing over anything, in both languages', async () => {
    const { seeded, server } = suite
    const { chair: chairUser } = seeded.users
    if (!chairUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser])
    const [chair] = people.pages as [Page]
    try {
      await chair.setViewportSize({ width: 390, height: 844 })
      for (const language of ['id', 'en']) {
        await chair.getByTestId('language-switch').selectOption(language)
        for (const path of ['/', `/cards/${seeded.cardIds[0]}`]) {
          await chair.goto(`${server.httpUrl}${path}`)
          await chair.getByTestId('members-link').waitFor(WAIT)
          const boxes = await chair.locator('.app-header').evaluate((header) =>
            [...header.querySelectorAll('a, button, select, h1')]
              .filter((element) => element.getClientRects().length > 0)
              .filter((element) => !element.classList.contains('skip-link'))
              .map((element) => {
                const box = element.getBoundingClientRect()
                const name = element.getAttribute('data-testid') ?? element.className
                return { name, left: box.left, right: box.right, top: box.top, bottom: box.bottom }
              }),
          )
          const where = `${language} ${path}`
          expect(boxes.map((box) => box.name)).toContain('members-link')
          for (const box of boxes) {
            expect(box.left, `${box.name} on ${where}`).toBeGreaterThanOrEqual(0)
            expect(box.right, `${box.name} on ${where}`).toBeLessThanOrEqual(390)
          }
          for (const [index, a] of boxes.entries()) {
            for (const b of boxes.slice(index + 1)) {
              const apart =
                a.right <= b.left + 0.5 ||
                b.right <= a.left + 0.5 ||
                a.bottom <= b.top + 0.5 ||
                b.bottom <= a.top + 0.5
              expect(apart, `${a.name} and ${b.name} overlap on ${where}`).toBe(true)
            }
          }
        }
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('says the sign-in lockout wholly in the person’s language', async () => {
    const { seeded, server } = suite
    const { viewer } = seeded.users
    if (!viewer) throw new Error('seed is missing users')
    const context = await suite.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`${server.httpUrl}/`)
      const error = page.getByTestId('signin-error')
      await page.getByTestId('signin-email').fill(viewer.email)
      // Five wrong passwords for one account, then the sixth attempt is held back.
      for (let attempt = 1; attempt <= 6; attempt++) {
        await page.getByTestId('signin-password').fill(`wrong password ${attempt}`)
        await page.getByTestId('signin-submit').click()
        await expect.poll(() => error.count(), WAIT).toBe(1)
        await expect.poll(() => page.getByTestId('signin-submit').isEnabled(), WAIT).toBe(true)
      }
      await expect
        .poll(() => error.textContent(), WAIT)
        .toMatch(/^Terlalu banyak percobaan masuk yang gagal\. Coba lagi dalam \d+ menit\.$/)
      await page.getByTestId('language-switch').selectOption('en')
      await expect.poll(() => error.textContent(), WAIT).toMatch(/^Too many failed sign-ins\b/)
      expect(await error.textContent()).not.toMatch(/Terlalu|Coba/)
    } finally {
      await context.close()
    }
  })

  it('shows the whole hint in the reason field, in both languages, on the panel and the projector', async () => {
    const { seeded, server } = suite
    const cardId = seeded.cardIds[2] as string
    const { chair: chairUser, kemlu: kemluUser } = seeded.users
    if (!chairUser || !kemluUser) throw new Error('seed is missing users')
    const people = await signInPeople(suite.browser, server.httpUrl, [chairUser, kemluUser])
    const [chair, kemlu] = people.pages as [Page, Page]
    try {
      await suggestReplacements(kemlu, cardId, [['tahun', 'periode']])

      for (const language of ['id', 'en'] as const) {
        await chair.setViewportSize({ width: 1440, height: 900 })
        await chair.goto(`${server.httpUrl}/cards/${cardId}`)
        await chair.getByTestId('language-switch').selectOption(language)
        const panelReason = chair.getByTestId('decision-reason')
        await panelReason.waitFor(WAIT)
        expect(await placeholderFits(panelReason), `panel, ${language}`).toBe(true)
        await chair.setViewportSize({ width: 1280, height: 720 })
        await chair.goto(`${server.httpUrl}/cards/${cardId}/present`)
        const presentReason = chair.getByTestId('decision-reason')
        await presentReason.waitFor(WAIT)
        expect(await placeholderFits(presentReason), `projector, ${language}`).toBe(true)
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
