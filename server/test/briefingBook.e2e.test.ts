/**
 * The briefing book in Chromium: a member exports the deck from the dashboard and watches the
 * progress until the Word file is saved; on a card, the Word and PDF files download from the
 * export menu; printing the card page gives the card, not the screen around it; an editor
 * imports a Word draft into a card and sees it in the answer.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Document, Packer, Paragraph, TextRun } from 'docx'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { pdfText, popplerAvailable } from '../src/testing/pdfTools.ts'
import { browserAvailable } from './helpers/browser.ts'
import { signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answer, openCard, WAIT } from './helpers/editorPage.ts'

/** Where this file's tests save downloads and write files; removed when they are done. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-briefing-e2e-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))
let saved = 0

/** Saves what a click downloads; its suggested file name and its path. */
async function downloadOf(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  const file = path.join(scratch, `download-${++saved}`)
  await download.saveAs(file)
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file), file }
}

describe.skipIf(!browserAvailable())('the briefing book in the browser', () => {
  const suite = useBrowserSuite()

  it('exports the deck with its progress shown, and a card as Word and PDF', async () => {
    const { seeded, server, browser } = suite
    const viewer = seeded.users.viewer
    if (!viewer) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [viewer])
    const [page] = people.pages as [Page]
    try {
      await page.goto(`${server.httpUrl}/decks/${encodeURIComponent(seeded.deckId)}`)
      const menu = page.getByTestId('deck-export')
      await menu.locator('summary').click()
      const saved = await downloadOf(page, () => page.getByTestId('deck-export-wordReview').click())
      expect(saved.name).toMatch(/^CMW-IDN-\d{4}-kartu-v1\.docx$/)
      expect(saved.bytes.subarray(0, 2).toString()).toBe('PK')
      await expect
        .poll(() => page.getByTestId('deck-export-status').textContent(), WAIT)
        .toContain(saved.name)
      await menu.locator('summary').click()

      const cardId = seeded.cardIds[0] as string
      await openCard(page, cardId)
      await page.getByTestId('card-export').locator('summary').click()
      const word = await downloadOf(page, () => page.getByTestId('card-export-wordClean').click())
      expect(word.name).toMatch(/\.docx$/)
      expect(word.bytes.subarray(0, 2).toString()).toBe('PK')
      const pdf = await downloadOf(page, () => page.getByTestId('card-export-pdf').click())
      expect(pdf.name).toMatch(/\.pdf$/)
      expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
      if (popplerAvailable()) {
        // The first key message, as the editor shows it, is on the cue card.
        const keyMessage = (await answer(page).locator('li').first().textContent()) ?? ''
        const firstWords = keyMessage.trim().split(/\s+/).slice(0, 4).join(' ')
        expect(pdfText(pdf.file).replace(/\s+/g, ' ')).toContain(firstWords)
      }
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })

  it('prints the card page as the card, without the screen around it', async () => {
    const { seeded, server, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editor])
    const [page] = people.pages as [Page]
    try {
      const cardId = seeded.cardIds[0] as string
      await openCard(page, cardId)
      await page.emulateMedia({ media: 'print' })
      for (const hidden of ['review-panel', 'card-export', 'editor-status']) {
        const locator = page.getByTestId(hidden)
        if ((await locator.count()) > 0)
          expect(await locator.first().isVisible(), hidden).toBe(false)
      }
      expect(await answer(page).isVisible()).toBe(true)
      if (popplerAvailable()) {
        const file = path.join(scratch, 'card.pdf')
        fs.writeFileSync(file, await page.pdf({ format: 'A4' }))
        const text = pdfText(file)
        expect(text).not.toContain('Ekspor')
        const firstItem = (await answer(page).locator('li').first().textContent()) ?? ''
        expect(text.replace(/\s+/g, ' ')).toContain(
          firstItem.trim().split(/\s+/).slice(0, 5).join(' '),
        )
      }
    } finally {
      await people.close()
    }
  })

  it('imports a Word draft into the card after its answer', async () => {
    const { seeded, server, browser } = suite
    const editor = seeded.users.kp2mi
    if (!editor) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [editor])
    const [page] = people.pages as [Page]
    try {
      const cardId = seeded.cardIds[1] as string
      await openCard(page, cardId)
      const draft = await Packer.toBuffer(
        new Document({
          sections: [
            {
              children: [
                new Paragraph({
                  children: [
                    new TextRun('Draf dari Word: '),
                    new TextRun({ text: 'perlindungan', bold: true }),
                    new TextRun(' pekerja migran.'),
                  ],
                }),
              ],
            },
          ],
        }),
      )
      const file = path.join(scratch, 'draf.docx')
      fs.writeFileSync(file, draft)
      await page.getByTestId('card-import').locator('summary').click()
      await page.getByTestId('card-import-file').setInputFiles(file)
      await page.getByTestId('card-import-submit').click()
      await expect
        .poll(() => page.getByTestId('card-import-status').textContent(), WAIT)
        .toContain('Diimpor')
      await expect.poll(() => answer(page).textContent(), WAIT).toContain('Draf dari Word')
      expect(await answer(page).locator('strong', { hasText: 'perlindungan' }).count()).toBe(1)

      // A file that is not Word changes nothing and says why.
      const junk = path.join(path.dirname(file), 'junk.docx')
      fs.writeFileSync(junk, 'bukan berkas word')
      await page.getByTestId('card-import-file').setInputFiles(junk)
      await page.getByTestId('card-import-submit').click()
      await expect
        .poll(() => page.getByTestId('card-import-status').textContent(), WAIT)
        .toContain('tidak ada yang berubah')
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
