/**
 * One's own account, in Chromium: a person changes their password on the account page (reached
 * from the header). Their other browser, with a card open, is signed out at once (4401, named);
 * this one stays signed in; the old password no longer signs in, the new one does. The form checks
 * what it can before sending and puts the server's refusals beside their field, in the person's
 * language. A disabled account is told so on the sign-in page.
 */
import { UnauthorizedReason } from '@kartu/protocol'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable, waitForServiceWorkerControl } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { kartu } from './helpers/cli.ts'
import { openCard, WAIT, waitSaved } from './helpers/editorPage.ts'
import { recordPageTimeline } from './helpers/pageTimeline.ts'

const NEW_PASSWORD = 'a new and longer secret'

const isFocused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((element) => element === element.ownerDocument.activeElement)

/** Fills the sign-in form on a fresh page and submits it. */
async function trySignIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByTestId('signin-email').fill(email)
  await page.getByTestId('signin-password').fill(password)
  await page.getByTestId('signin-submit').click()
}

describe.skipIf(!browserAvailable())('one’s own account in the browser', () => {
  const suite = useBrowserSuite()

  it('a password change signs out the other browser at once, keeps this one, and takes the new password', async () => {
    const { seeded, server, browser } = suite
    const user = seeded.users.kp2mi
    if (!user) throw new Error('seed is missing users')
    const cardId = seeded.cardIds[0] as string
    // The same person in two browsers: two sessions.
    const people = await signInPeople(browser, server.httpUrl, [user, user])
    const [here, elsewhere] = people.pages as [Page, Page]
    const others = await browser.newContext()
    try {
      const timeline = recordPageTimeline(elsewhere)
      await openCard(elsewhere, cardId)
      // The worker's first control refetches the page's REST data; met by the password change,
      // its 401 would send this browser to the sign-in page before the socket's 4401 arrives.
      await waitForServiceWorkerControl(elsewhere)

      // From the header to the account page.
      await here.getByTestId('account-link').click()
      await here.waitForURL('**/account')
      await here.getByRole('heading', { level: 1, name: 'Akun Anda' }).waitFor()
      const current = here.getByLabel('Kata sandi saat ini')
      const next = here.getByLabel('Kata sandi baru', { exact: true })
      const confirm = here.getByLabel('Ulangi kata sandi baru')
      expect(await current.getAttribute('autocomplete')).toBe('current-password')
      expect(await next.getAttribute('autocomplete')).toBe('new-password')
      expect(await confirm.getAttribute('autocomplete')).toBe('new-password')
      const submit = here.getByTestId('password-submit')

      // Checked before sending, the first problem focused: nothing typed yet...
      await submit.click()
      expect(await here.getByTestId('password-current-error').textContent()).toBe(
        'Masukkan kata sandi Anda saat ini.',
      )
      expect(await isFocused(current)).toBe(true)
      expect(await current.getAttribute('aria-invalid')).toBe('true')
      // ...a new password that is too short...
      await current.fill(user.password)
      await next.fill('pendek')
      await confirm.fill('pendek')
      await submit.click()
      expect(await here.getByTestId('password-next-error').textContent()).toContain(
        'minimal 8 karakter',
      )
      expect(await isFocused(next)).toBe(true)
      expect(await here.getByTestId('password-current-error').count()).toBe(0)
      // ...and a confirmation that does not match (sent from the keyboard).
      await next.fill(NEW_PASSWORD)
      await confirm.fill(`${NEW_PASSWORD}!`)
      await confirm.press('Enter')
      expect(await here.getByTestId('password-confirm-error').textContent()).toBe(
        'Kedua isian kata sandi baru tidak sama.',
      )
      expect(await isFocused(confirm)).toBe(true)

      // The server refuses a wrong current password: said beside it, in Indonesian.
      await current.fill('not the password')
      await confirm.fill(NEW_PASSWORD)
      await submit.click()
      await here.getByTestId('password-current-error').waitFor(WAIT)
      expect(await here.getByTestId('password-current-error').textContent()).toBe(
        'Kata sandi saat ini salah.',
      )
      expect(await isFocused(current)).toBe(true)
      expect(await here.getByTestId('password-result').textContent()).toBe('')
      // Nothing changed: the other browser is still connected.
      expect(await elsewhere.getByTestId('sync-closed').count()).toBe(0)

      // The right one: the change is announced, and the other browser is signed out within 5 s.
      await current.fill(user.password)
      await submit.click()
      const result = here.getByTestId('password-result')
      await expect.poll(() => result.textContent(), WAIT).toContain('Kata sandi Anda telah diganti')
      const changedAt = Date.now()
      timeline.mark('the password change is announced here')
      expect(await result.getAttribute('role')).toBe('status')
      expect(await result.textContent()).toContain('Perangkat dan sesi lain telah dikeluarkan')
      expect(await current.inputValue()).toBe('')

      const closed = elsewhere.getByTestId('sync-closed')
      await closed.waitFor({ timeout: 5000 }).catch((error: unknown) => {
        throw new Error(`no 4401 banner in the other browser:\n${timeline.text()}`, {
          cause: error,
        })
      })
      expect(Date.now() - changedAt).toBeLessThan(5000)
      expect(await closed.getAttribute('data-code')).toBe('4401')
      expect(await closed.getAttribute('data-reason')).toBe(UnauthorizedReason.SignedOut)
      expect(await closed.textContent()).toContain('Anda telah dikeluarkan dari sesi ini')
      // The card stays on screen with the banner; nothing sent the page away.
      expect(elsewhere.url()).toContain(`/cards/${cardId}`)

      // This browser stays signed in, also after a reload.
      await here.reload()
      await here.getByRole('heading', { level: 1, name: 'Akun Anda' }).waitFor(WAIT)
      await here.goto(`${server.httpUrl}/`)
      await here.getByTestId('card-row').first().waitFor(WAIT)

      // The old password no longer signs in; the new one does.
      const fresh = await others.newPage()
      await trySignIn(fresh, server.httpUrl, user.email, user.password)
      await fresh.getByTestId('signin-error').waitFor(WAIT)
      expect(await fresh.getByTestId('signin-error').textContent()).toBe(
        'Surel atau kata sandi salah.',
      )
      await fresh.getByTestId('signin-password').fill(NEW_PASSWORD)
      await fresh.getByTestId('signin-submit').click()
      await fresh.getByTestId('card-row').first().waitFor(WAIT)

      // The signed-out browser signs in again and is back on its card: from its banner, or from
      // the sign-in page the app opened by itself once a background refresh met the 401 (the
      // card's lists refresh every 30 s; which comes first depends on how long the steps above
      // took).
      const banner = elsewhere.getByTestId('sync-sign-in')
      const onSignIn = () => new URL(elsewhere.url()).pathname === '/sign-in'
      await expect.poll(async () => onSignIn() || (await banner.isVisible()), WAIT).toBe(true)
      if (!onSignIn()) await banner.click()
      await elsewhere.waitForURL('**/sign-in')
      await elsewhere.getByTestId('signin-password').fill(NEW_PASSWORD)
      await elsewhere.getByTestId('signin-email').fill(user.email)
      await elsewhere.getByTestId('signin-submit').click()
      await elsewhere.waitForURL(`**/cards/${cardId}`)
      await waitSaved(elsewhere)
      expect(await elsewhere.getByTestId('sync-closed').count()).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await others.close()
      await people.close()
    }
  })

  it('a disabled account is told so on the sign-in page, in both languages', async () => {
    const { seeded, server, browser } = suite
    const user = seeded.users.commenter
    if (!user) throw new Error('seed is missing users')
    const disabled = await kartu(seeded.dataDir, 'user', 'disable', '--email', user.email)
    expect(disabled.code).toBe(0)
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await trySignIn(page, server.httpUrl, user.email, user.password)
      const error = page.getByTestId('signin-error')
      await error.waitFor(WAIT)
      expect(await error.textContent()).toBe(
        'Akun ini dinonaktifkan. Hubungi admin Kartu di instansi Anda.',
      )
      expect(await error.getAttribute('role')).toBe('alert')
      await page.getByTestId('language-switch').selectOption('en')
      await expect
        .poll(() => error.textContent(), WAIT)
        .toBe('This account is disabled. Ask the Kartu administrator of your ministry.')
      // A wrong password still gets the plain answer: only the right one learns of the account.
      await page.getByTestId('signin-password').fill('not the password')
      await page.getByTestId('signin-submit').click()
      await expect.poll(() => error.textContent(), WAIT).toBe('Wrong email or password.')
    } finally {
      await context.close()
      await kartu(seeded.dataDir, 'user', 'enable', '--email', user.email)
    }
  })
})
