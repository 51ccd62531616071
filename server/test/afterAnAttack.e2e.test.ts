/**
 * People opening a card right after someone attacked it: a raw Yjs client with the chair's
 * token sends everything an editor cannot hold (refused by the schema guard); then an editor, a
 * suggester, a commenter and a viewer open the card in Chromium. No paragraph shrank, nothing
 * was refused, and no page opened the card's websocket more than once over 10 s.
 */
import { cardDocumentName, RejectCode } from '@kartu/protocol'
import { ANSWER_FIELD } from '@kartu/schema'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { browserAvailable } from './helpers/browser.ts'
import { expectNoRejection, signInPeople, useBrowserSuite } from './helpers/browserSuite.ts'
import { waitFor } from './helpers/clients.ts'
import { answer, openCard } from './helpers/editorPage.ts'
import { connectRaw } from './helpers/rawClient.ts'

/** The text of each top-level block of the answer, without other people's carets. */
function blockTexts(page: Page): Promise<string[]> {
  return answer(page)
    .locator(':scope > *')
    .evaluateAll((elements) =>
      elements.map((element) => {
        const copy = element.cloneNode(true) as typeof element
        for (const widget of copy.querySelectorAll('[contenteditable="false"]')) widget.remove()
        return String(copy.textContent)
      }),
    )
}

describe.skipIf(!browserAvailable())('opening a card after an attack on its shape', () => {
  const suite = useBrowserSuite()

  it('shows every paragraph whole, to every role, without a refusal or a reconnect loop', async () => {
    const { seeded, server, browser } = suite
    const cardId = seeded.cardIds[2] as string
    const name = cardDocumentName(cardId)
    const attacker = await connectRaw(
      `${server.wsUrl}/${name}`,
      seeded.users.chair?.token as string,
    )
    await attacker.synced()
    const stored = attacker.doc.getXmlFragment(ANSWER_FIELD)
    const textOf = (node: unknown): string =>
      node instanceof Y.XmlText
        ? (node.toDelta() as Array<{ insert: unknown }>)
            .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
            .join('')
        : node instanceof Y.XmlElement
          ? (node.toArray() as unknown[]).map(textOf).join('')
          : ''
    const before = (stored.toArray() as unknown[]).map(textOf)
    expect(before.every((text) => text.length > 0)).toBe(true)
    const attacks: Array<(doc: Y.Doc) => void> = [
      (d) => d.getXmlFragment(ANSWER_FIELD).insert(0, [new Y.XmlElement('iframe')]),
      (d) => (d.getXmlFragment(ANSWER_FIELD).get(1) as Y.XmlElement).setAttribute('onclick', 'x'),
      (d) => {
        const outer = d.getXmlFragment(ANSWER_FIELD).get(2) as Y.XmlElement
        outer.insert(0, [new Y.XmlElement('paragraph')])
      },
      (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlText('teks lepas')]),
      (d) => {
        const last = d.getXmlFragment(ANSWER_FIELD).get(2) as Y.XmlElement
        ;(last.get(0) as Y.XmlText).format(0, 4, { link: { href: 'javascript:alert(1)' } })
      },
    ]
    for (const attack of attacks) {
      const copy = new Y.Doc()
      copy.clientID = attacker.doc.clientID
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(attacker.doc))
      const sv = Y.encodeStateVector(copy)
      copy.transact(() => attack(copy))
      attacker.sendUpdate(Y.encodeStateAsUpdate(copy, sv))
    }
    await waitFor(() => attacker.rejected.length === attacks.length, 10_000, 'the refusals')
    expect(attacker.rejected.every((r) => r.code === RejectCode.SchemaViolation)).toBe(true)
    attacker.close()

    const { kp2mi, suggester, commenter, viewer } = seeded.users
    if (!kp2mi || !suggester || !commenter || !viewer) throw new Error('seed is missing users')
    const people = await signInPeople(browser, server.httpUrl, [
      kp2mi,
      suggester,
      commenter,
      viewer,
    ])
    try {
      const sockets = people.pages.map(() => 0)
      people.pages.forEach((page, index) => {
        page.on('websocket', (socket) => {
          if (socket.url().includes(encodeURIComponent(name)) || socket.url().includes(name)) {
            sockets[index] = (sockets[index] ?? 0) + 1
          }
        })
      })
      for (const page of people.pages) await openCard(page, cardId)
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      for (const page of people.pages) {
        const shown = await blockTexts(page)
        expect(shown).toHaveLength(before.length)
        shown.forEach((text, index) => {
          expect(text.length, `block ${index + 1}`).toBe((before[index] as string).length)
        })
      }
      expect(sockets).toEqual([1, 1, 1, 1])
      await expectNoRejection(people.pages)
      expect(people.errors).toEqual([])
    } finally {
      await people.close()
    }
  })
})
