/**
 * The return visit of scenario 8: the person comes back to the card they opened, in a new page of
 * the same browser (the service worker and caches warm), each time after another ministry wrote in
 * it: with the since-last-visit highlights switched off (the person's setting), and on, when the
 * answer opens with that ministry's words highlighted (issue 14). The difference between
 * "highlights shown" and "editable" without them is what the highlights cost on opening a card;
 * both visits have the same change to fetch and sync, so that is all that differs.
 */
import { ANSWER_FIELD } from '@kartu/schema'
import type { BrowserContext } from 'playwright-core'
import * as Y from 'yjs'
import { LightClient } from '../clients/wire.ts'
import type { DemoServer } from './demoServer.ts'
import { MARKS_GLOBAL, type PageMarks, readMarks } from './pageMarks.ts'

/** One figure per pair of return visits (the two are alternated: see RETURN_PAIRS). */
export type ReturnVisit = {
  /** Navigation to the card -> editable and synced, highlights switched off. */
  withoutEditableMs: number[]
  /** Navigation to the card -> editable, and -> the change highlighted, highlights on. */
  withEditableMs: number[]
  highlightsShownMs: number[]
}

/** The client's setting (card/history/SinceVisit.tsx highlightSetting). */
const HIGHLIGHT_SETTING = 'kartu:since-visit-highlights'

/**
 * Pairs of return visits per sample, alternated (without, with, without, ...): two page loads
 * differ by more than the highlights cost, so each side is a median of several.
 */
const RETURN_PAIRS = 3

const STEP_TIMEOUT_MS = 120_000

/** The first text of the answer (imported cards start with a heading). */
function firstText(doc: Y.Doc): Y.XmlText {
  const walk = (node: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) return child
      if (child instanceof Y.XmlElement) {
        const found = walk(child)
        if (found) return found
      }
    }
    return null
  }
  const text = walk(doc.getXmlFragment(ANSWER_FIELD))
  if (!text) throw new Error('the card has no text')
  return text
}

/** Waits until the person's visit of the card, after `after`, is recorded (written on leaving). */
async function visitRecorded(
  server: DemoServer,
  token: string,
  cardId: string,
  after: number,
): Promise<{ changes: number }> {
  const start = Date.now()
  for (;;) {
    const response = await fetch(
      `${server.baseUrl}/api/cards/${encodeURIComponent(cardId)}/changes?since=last-visit`,
      { headers: { authorization: `Bearer ${token}` } },
    )
    const body = (await response.json()) as { visitedAt: number | null; changes: unknown[] }
    if (body.visitedAt !== null && body.visitedAt >= after) return { changes: body.changes.length }
    if (Date.now() - start > 30_000) throw new Error('the visit was not recorded')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Another ministry writes a sentence at the end of the card's first paragraph, until stored. */
async function changeAsAnother(server: DemoServer, token: string, cardId: string): Promise<void> {
  let persisted = 0
  const client = new LightClient({
    protocol: 'kartu',
    baseUrl: server.baseUrl.replace(/^http/, 'ws'),
    docName: `card:${cardId}`,
    token,
    keepDoc: true,
    onPersisted: (seq) => {
      persisted = Math.max(persisted, seq)
    },
  })
  await client.connect()
  try {
    const doc = client.doc as Y.Doc
    const before = Y.encodeStateVector(doc)
    const text = firstText(doc)
    text.insert(text.length, ' Kalimat tambahan dari kementerian lain.')
    const seq = client.sendUpdate(Y.encodeStateAsUpdate(doc, before))
    const start = Date.now()
    while (persisted < seq) {
      if (client.rejected > 0) throw new Error('the change was refused')
      if (Date.now() - start > 30_000) throw new Error('the change was not stored')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    await client.close()
  }
}

/** Opens the card in a new page; the marks of that page once `wanted` are all set. */
async function openAgain(
  context: BrowserContext,
  url: string,
  wanted: ReadonlyArray<keyof PageMarks>,
  highlights: boolean,
): Promise<{ marks: PageMarks; leftAt: number }> {
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  await page.addInitScript({
    content: `localStorage.setItem(${JSON.stringify(HIGHLIGHT_SETTING)}, ${JSON.stringify(highlights ? 'on' : 'off')})`,
  })
  try {
    await page.goto(url, { waitUntil: 'commit' })
    for (const mark of wanted) {
      await page.waitForFunction(
        ([name, key]) =>
          (globalThis as unknown as Record<string, PageMarks | undefined>)[name]?.[key] !==
          undefined,
        [MARKS_GLOBAL, mark] as const,
        { polling: 50, timeout: STEP_TIMEOUT_MS },
      )
    }
    const marks = await page.evaluate(readMarks, MARKS_GLOBAL)
    if (!marks) throw new Error('the page has no marks')
    return { marks, leftAt: Date.now() }
  } finally {
    // Leaving: the server records this visit.
    await page.close()
  }
}

/**
 * The two return visits. `leave` closes the page of the first visit; `demoToken` is the person's
 * (to see their visit recorded), `otherToken` another ministry's editor.
 */
export async function returnVisits(input: {
  server: DemoServer
  context: BrowserContext
  cardUrl: string
  cardId: string
  leave: () => Promise<void>
  demoToken: string
  otherToken: string
}): Promise<ReturnVisit> {
  const { server, context, cardUrl, cardId, demoToken, otherToken } = input
  const left = Date.now()
  await input.leave()
  await visitRecorded(server, demoToken, cardId, left)
  const since = (mark: number | undefined, of: PageMarks) => {
    if (mark === undefined) throw new Error('a mark is missing')
    return mark - of.navigationStart
  }
  const figures: ReturnVisit = { withoutEditableMs: [], withEditableMs: [], highlightsShownMs: [] }
  for (let pair = 0; pair < RETURN_PAIRS; pair++) {
    await changeAsAnother(server, otherToken, cardId)
    const without = await openAgain(context, cardUrl, ['cardEditable'], false)
    if (without.marks.sinceVisitShown !== undefined)
      throw new Error('highlights switched off shown')
    figures.withoutEditableMs.push(since(without.marks.cardEditable, without.marks))
    await visitRecorded(server, demoToken, cardId, without.leftAt)

    await changeAsAnother(server, otherToken, cardId)
    const withThem = await openAgain(context, cardUrl, ['cardEditable', 'sinceVisitShown'], true)
    figures.withEditableMs.push(since(withThem.marks.cardEditable, withThem.marks))
    figures.highlightsShownMs.push(since(withThem.marks.sinceVisitShown, withThem.marks))
    await visitRecorded(server, demoToken, cardId, withThem.leftAt)
  }
  return figures
}
