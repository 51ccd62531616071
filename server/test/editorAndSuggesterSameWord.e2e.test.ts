/**
 * A ministry suggests a new word while an editor retypes the same word, in two browsers, both
 * typing at full speed (as in the rakor where "pengasuh" became a suggestion "pe → perawat" whose
 * acceptance read "ngasuh anakperawat"). Nothing is refused, everyone converges, and whatever
 * the chair decides gives whole words: rejecting gives the editor's text; accepting gives the
 * ministry's word in place of the editor's, or next to it.
 */
import { cardDocumentName } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  asIfAllRejected,
  collectSuggestions,
  decideSuggestions,
  getAnswerSchema,
} from '@kartu/schema'
import { stateOf } from '@kartu/schema/testing'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { answerText, openCard, selectWord, WAIT, waitSaved } from './helpers/editorPage.ts'
import { connectRaw } from './helpers/rawClient.ts'

/** Words of the first demo card's answer: the ministry's word and the editor's for each. */
const ROUNDS = [
  { word: 'mendasar', ministry: 'signifikan', editor: 'fundamental' },
  { word: 'berubah', ministry: 'bergeser', editor: 'berganti' },
  { word: 'Kerangka', ministry: 'Landasan', editor: 'Struktur' },
]

/** Every way the rounds may read once the ministry's suggestions are accepted. */
function acceptedForms(base: string): string[] {
  let forms = [base]
  for (const { ministry, editor } of ROUNDS) {
    forms = forms.flatMap((form) =>
      [ministry, `${editor}${ministry}`, `${ministry}${editor}`].map((word) =>
        form.replace(editor, word),
      ),
    )
  }
  return forms
}

describe.skipIf(!browserAvailable())('a ministry and an editor on the same word at once', () => {
  const suite = useBrowserSuite()

  it('refuses nothing, converges, and every decision gives whole words', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[0] as string
    const { chair: chairUser, kemlu: editorUser, suggester: ministryUser } = seeded.users
    if (!chairUser || !editorUser || !ministryUser) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [
      chairUser,
      editorUser,
      ministryUser,
    ])
    const { pages, errors } = people
    const [chair, editor, ministry] = pages as [Page, Page, Page]
    try {
      for (const page of pages) await openCard(page, cardId)
      await expect
        .poll(() => ministry.getByTestId('mode-switch').getAttribute('data-mode'), WAIT)
        .toBe('suggesting')
      await expect
        .poll(() => editor.getByTestId('mode-switch').getAttribute('data-mode'), WAIT)
        .toBe('editing')
      // The answer as the server holds it, read with the engine.
      const reader = await connectRaw(
        `${server.wsUrl}/${cardDocumentName(cardId)}`,
        chairUser.token,
      )
      try {
        await reader.synced()
        const answer = () =>
          yXmlFragmentToProseMirrorRootNode(
            reader.doc.getXmlFragment(ANSWER_FIELD),
            getAnswerSchema(),
          )
        const start = answer()
        const earlier = new Set(collectSuggestions(start).map((span) => span.id))

        for (const round of ROUNDS) {
          await Promise.all([selectWord(ministry, round.word), selectWord(editor, round.word)])
          await Promise.all([
            ministry.keyboard.type(round.ministry, { delay: 15 }),
            editor.keyboard.type(round.editor, { delay: 15 }),
          ])
          await Promise.all([waitSaved(ministry), waitSaved(editor)])
          await expectNoRejection(pages)
          const texts = () => Promise.all(pages.map((page) => answerText(page)))
          await expect.poll(async () => new Set(await texts()).size, WAIT).toBe(1)
        }
        const chairText = await answerText(chair)
        await expect.poll(async () => answer().textContent.length, WAIT).toBeGreaterThan(0)
        await expect
          .poll(
            () => chairText.replace(/\s+/g, '') === answer().textContent.replace(/\s+/g, ''),
            WAIT,
          )
          .toBe(true)

        // Every decision gives whole words. Suggestions the card had before stay rejected.
        const final = answer()
        let edited = asIfAllRejected(start).textContent
        for (const { word, editor: typed } of ROUNDS) edited = edited.replace(word, typed)
        expect(asIfAllRejected(final).textContent).toBe(edited)
        const ministrys = [...new Set(collectSuggestions(final).map((span) => span.id))].filter(
          (id) => !earlier.has(id),
        )
        expect(ministrys.length).toBeGreaterThan(0)
        const accepted = asIfAllRejected(
          decideSuggestions(stateOf(final), { accept: ministrys }).doc,
        ).textContent
        expect(acceptedForms(edited)).toContain(accepted)
      } finally {
        reader.close()
      }
      expect(errors).toEqual([])
    } finally {
      await people.close()
    }
  }, 240_000)
})
