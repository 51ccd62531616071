/**
 * The next day of one ministry, in Chromium: the day before, the chair assigned a card to Kemlu
 * (lead) and KP2MI, KP2MI cleared it and asked Kemlu a question in a comment. Kemlu signs in,
 * sees the unread count in the header (and it grows live when KP2MI writes again), opens the
 * inbox, follows the mention to the exact thread on the card, clears the card for Kemlu, and the
 * dashboard's "waiting for my clearance" no longer lists it. Then KP2MI's clearance is of an
 * earlier text once Kemlu edits; KP2MI's inbox says so, and its link opens what changed since.
 * And the chair names a ministry's focal person on the members page.
 */
import { randomUUID } from 'node:crypto'
import { type CardResponse, cardDocumentName, type InboxResponse } from '@kartu/protocol'
import { answerMarkFormat, CommentField, THREADS_FIELD, ThreadField } from '@kartu/schema'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { dayIn } from '../src/inbox/dueDates.ts'
import { callAs, userOf } from './helpers/api.ts'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { connectClient, firstText, type TestClient } from './helpers/clients.ts'
import { answer, WAIT, waitSaved } from './helpers/editorPage.ts'

/** KP2MI's question to Kemlu: a comment on the first words of the answer, mentioning Kemlu. */
function askKemlu(client: TestClient, threadId: string, body: string, length: number): void {
  const doc = client.doc
  doc.transact(() => {
    firstText(doc).format(0, length, answerMarkFormat('comment', { threadId }))
    const thread = new Y.Map<unknown>()
    const start = (firstText(doc).toDelta() as Array<{ insert: unknown }>)[0]?.insert
    thread.set(ThreadField.Quote, typeof start === 'string' ? start.slice(0, length) : '')
    thread.set(ThreadField.CreatedAt, Date.now())
    thread.set(ThreadField.Resolved, false)
    const mentions = new Y.Array<string>()
    mentions.push(['KEMLU'])
    thread.set(ThreadField.Mentions, mentions)
    const comments = new Y.Array<Y.Map<unknown>>()
    const first = new Y.Map<unknown>()
    first.set(CommentField.Id, randomUUID())
    first.set(CommentField.Body, body)
    first.set(CommentField.CreatedAt, Date.now())
    comments.push([first])
    thread.set(ThreadField.Comments, comments)
    doc.getMap(THREADS_FIELD).set(threadId, thread)
  })
}

describe.skipIf(!browserAvailable())('the next day of one ministry, in the browser', () => {
  const suite = useBrowserSuite()
  const clients: TestClient[] = []
  afterAll(() => {
    for (const client of clients) client.destroy()
  })

  it('goes from the inbox to the thread, clears the card, and the work list follows', async () => {
    const { seeded, server, browser } = suite
    const chair = userOf(seeded, 'chair')
    const kp2mi = userOf(seeded, 'kp2mi')
    const kemlu = userOf(seeded, 'kemlu')
    // CC-12: no card of Kemlu before the chair assigns it.
    const cardId = seeded.cardIds[11] as string
    const call = (user: typeof chair, method: string, path: string, body?: unknown) =>
      callAs(server, user, method, path, body)

    // The day before: assigned, cleared by KP2MI, a question for Kemlu.
    const tomorrow = dayIn('Asia/Jakarta', Date.now() + 86_400_000)
    const assigned = await call(chair, 'PUT', `/api/cards/${cardId}/assignment`, {
      leadMinistryId: 'KEMLU',
      contributingMinistryIds: ['KP2MI'],
      dueDate: tomorrow,
    })
    expect(assigned.status).toBe(200)
    const { card } = (await assigned.json()) as CardResponse
    expect((await call(kp2mi, 'POST', `/api/cards/${cardId}/clearances`)).status).toBe(201)
    const writer = connectClient(server.wsUrl, cardDocumentName(cardId), kp2mi.token)
    clients.push(writer)
    await writer.synced()
    askKemlu(writer, 't-besok', 'Mohon @Kemlu cek angka penempatan 2025.', 5)
    await writer.saved()

    const people = await signInPeople(browser, server.httpUrl, [kemlu])
    const page = people.pages[0] as Page
    try {
      await page.setViewportSize({ width: 1280, height: 720 })
      await page.goto(`${server.httpUrl}/decks/${encodeURIComponent(seeded.deckId)}`)
      const bell = page.getByTestId('inbox-link')
      const unread = page.getByTestId('inbox-unread')
      // The assignment and the mention.
      await expect.poll(() => unread.textContent(), WAIT).toBe('2')
      expect(await bell.getAttribute('aria-label')).toContain('2')
      // The dashboard lists the card as waiting for Kemlu.
      await page
        .getByTestId('work-list-filter')
        .and(page.locator('[data-filter="waiting"]'))
        .click()
      const row = page.locator(`[data-testid="card-row"][data-card-id="${cardId}"]`)
      await expect.poll(() => row.count(), WAIT).toBe(1)

      // KP2MI writes again while Kemlu looks: the count grows without a reload.
      askKemlu(writer, 't-lagi', 'Satu lagi untuk @Kemlu.', 3)
      await writer.saved()
      await expect.poll(() => unread.textContent(), WAIT).toBe('3')

      await bell.click()
      await page.waitForURL(/\/inbox/, WAIT)
      const mention = page
        .getByTestId('inbox-item')
        .and(page.locator('[data-kind="mention"]'))
        .filter({ hasText: 'cek angka penempatan' })
      await expect.poll(() => mention.count(), WAIT).toBe(1)
      expect(await mention.textContent()).toContain(card.ref)
      expect(
        await page.getByTestId('inbox-item').and(page.locator('[data-kind="assigned"]')).count(),
      ).toBe(1)

      // Following the mention: the card, with that thread chosen in the review panel.
      await mention.getByRole('link').click()
      await page.waitForURL(new RegExp(`/cards/${cardId}\\?thread=t-besok`), WAIT)
      const thread = page.locator('[data-testid="thread"][data-thread-id="t-besok"]')
      await expect.poll(() => thread.getAttribute('data-active'), WAIT).toBe('true')
      expect(await thread.textContent()).toContain('cek angka penempatan 2025')
      await expect.poll(() => unread.textContent(), WAIT).toBe('2')

      // Kemlu clears the card as it stands.
      const kemluRow = page.locator('[data-testid="sign-off-row"][data-ministry-id="KEMLU"]')
      await expect.poll(() => kemluRow.getAttribute('data-state'), WAIT).toBe('missing')
      await page.getByTestId('sign-off-clear').click()
      await expect.poll(() => kemluRow.getAttribute('data-state'), WAIT).toBe('cleared')
      const progress = page.getByTestId('sign-off-progress')
      expect(await progress.textContent()).toContain('2 dari 2')
      // The decision log has both clearances and the assignment among its entries.
      const log = page.getByTestId('decision-log')
      const clearances = log.locator('[data-testid="sign-off-entry"][data-kind="clearance"]')
      await expect.poll(() => clearances.count(), WAIT).toBe(2)
      expect(await clearances.first().textContent()).toContain('Kemlu menyetujui teks')
      expect(
        await log.locator('[data-testid="sign-off-entry"][data-kind="assignment"]').count(),
      ).toBe(1)

      // The work list no longer waits for Kemlu on this card.
      await page.goto(`${server.httpUrl}/decks/${encodeURIComponent(seeded.deckId)}?filter=waiting`)
      await expect.poll(() => page.getByTestId('card-row').count(), WAIT).toBeGreaterThan(0)
      expect(await row.count()).toBe(0)

      // Kemlu then edits the answer: KP2MI's clearance is of an earlier text, and KP2MI is told.
      await page.goto(`${server.httpUrl}/cards/${cardId}`)
      await answer(page).click()
      await page.keyboard.press('Control+End')
      await page.keyboard.type(' Data 2025 diperbarui Kemlu.', { delay: 5 })
      await waitSaved(page)
      const kp2miRow = page.locator('[data-testid="sign-off-row"][data-ministry-id="KP2MI"]')
      await expect
        .poll(() => kp2miRow.getAttribute('data-state'), { timeout: 20_000 })
        .toBe('stale')
      const inbox = (await (await call(kp2mi, 'GET', '/api/me/inbox')).json()) as InboxResponse
      const stale = inbox.items.filter((i) => i.kind === 'clearance_stale' && i.cardId === cardId)
      expect(stale).toHaveLength(1)
      expect(people.errors).toEqual([])

      // KP2MI follows that item: the card opens on what changed since the text it cleared.
      const others = await signInPeople(browser, server.httpUrl, [kp2mi])
      try {
        const kp2miPage = others.pages[0] as Page
        await kp2miPage.setViewportSize({ width: 1280, height: 720 })
        await kp2miPage.goto(`${server.httpUrl}/inbox`)
        const item = kp2miPage
          .getByTestId('inbox-item')
          .and(kp2miPage.locator('[data-kind="clearance_stale"]'))
        await expect.poll(() => item.count(), WAIT).toBe(1)
        await item.getByRole('link').click()
        await kp2miPage.waitForURL(new RegExp(`/cards/${cardId}\\?compare=`), WAIT)
        const compared = kp2miPage.getByTestId('sign-off').getByTestId('version-compare')
        await expect.poll(() => compared.count(), WAIT).toBe(1)
        await expect
          .poll(() => compared.textContent(), WAIT)
          .toContain('Data 2025 diperbarui Kemlu.')
        // The heading of what changed has the focus, where the eye goes.
        const heading = compared.getByTestId('compare-title')
        await expect
          .poll(() => heading.evaluate((el) => el === el.ownerDocument.activeElement), WAIT)
          .toBe(true)
        expect(others.errors).toEqual([])
      } finally {
        await others.close()
      }
    } finally {
      await people.close()
    }
  })
  it('lets the chair name a ministry’s focal person on the members page', async () => {
    const { seeded, server, browser } = suite
    const chair = userOf(seeded, 'chair')
    const kp2mi = userOf(seeded, 'kp2mi')
    const people = await signInPeople(browser, server.httpUrl, [chair, kp2mi])
    const [chairPage, kp2miPage] = people.pages as [Page, Page]
    try {
      const membersUrl = `${server.httpUrl}/decks/${encodeURIComponent(seeded.deckId)}/members`
      await chairPage.goto(membersUrl)
      const row = chairPage
        .locator('[data-testid="member-row"]')
        .filter({ hasText: 'kp2mi@kartu.test' })
      await row.getByTestId('member-focal').check()
      await expect
        .poll(async () => {
          const response = await callAs(
            server,
            chair,
            'GET',
            `/api/decks/${seeded.deckId}/focal-persons`,
          )
          return JSON.stringify(await response.json())
        }, WAIT)
        .toBe(JSON.stringify({ focalPersons: [{ ministryId: 'KP2MI', userIds: [kp2mi.id] }] }))
      // Others see who it is, and cannot change it.
      await kp2miPage.goto(membersUrl)
      const own = kp2miPage
        .locator('[data-testid="member-row"]')
        .filter({ hasText: 'kp2mi@kartu.test' })
      await expect.poll(() => own.getByTestId('member-focal-badge').count(), WAIT).toBe(1)
      expect(await kp2miPage.getByTestId('member-focal').count()).toBe(0)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
