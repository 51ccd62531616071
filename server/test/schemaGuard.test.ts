/**
 * Attacks on the card's shape with raw y-protocols clients against a real server: each attack
 * is sent beside its legal twin, which must be stored and relayed (so a refusal proves the guard
 * and not a broken client). Refused content is not relayed, not stored, and the refusals are
 * audited in aggregate. Sent by the chair, an editor and a suggester alike.
 */
import { cardDocumentName, RejectCode } from '@kartu/protocol'
import { ANSWER_FIELD, answerMarkFormat, SUGGESTIONS_FIELD, THREADS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { restoreDocument } from '../src/collab/restoreDocument.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { waitFor } from './helpers/clients.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

type Change = (doc: Y.Doc) => void

/** The last block of the answer (a paragraph of the imported answer). */
const lastBlock = (doc: Y.Doc) => {
  const answer = doc.getXmlFragment(ANSWER_FIELD)
  return answer.get(answer.length - 1) as Y.XmlElement
}
const lastText = (doc: Y.Doc) => lastBlock(doc).get(0) as Y.XmlText

/** Attack and twin: what each does, and a word the legal twin leaves in the answer. */
const attacks: Array<{
  name: string
  role: 'chair' | 'kp2mi' | 'suggester'
  legal: Change
  attack: Change
  marker: string
}> = [
  {
    name: 'an iframe element',
    role: 'chair',
    legal: (d) => {
      const p = new Y.XmlElement('paragraph')
      d.getXmlFragment(ANSWER_FIELD).push([p])
      p.push([new Y.XmlText('sahbingkai')])
    },
    attack: (d) => {
      const frame = new Y.XmlElement('iframe')
      frame.setAttribute('src', 'https://example.org')
      d.getXmlFragment(ANSWER_FIELD).push([frame])
    },
    marker: 'sahbingkai',
  },
  {
    name: 'onclick and style attributes on a paragraph',
    role: 'chair',
    legal: (d) => lastText(d).insert(0, 'sahpertama '),
    attack: (d) => {
      lastBlock(d).setAttribute('onclick', 'alert(1)')
      lastBlock(d).setAttribute('style', 'display:none')
    },
    marker: 'sahpertama',
  },
  {
    name: 'a link mark with a javascript: href',
    role: 'kp2mi',
    legal: (d) => lastText(d).insert(0, 'sahtebal ', { bold: {} }),
    attack: (d) => lastText(d).insert(0, 'klik ', { link: { href: 'javascript:alert(1)' } }),
    marker: 'sahtebal',
  },
  {
    name: 'a heading level with markup',
    role: 'kp2mi',
    legal: (d) => {
      const h = new Y.XmlElement('heading')
      h.setAttribute('level', 3 as unknown as string)
      d.getXmlFragment(ANSWER_FIELD).push([h])
      h.push([new Y.XmlText('sahjudul')])
    },
    attack: (d) => {
      const h = new Y.XmlElement('heading')
      h.setAttribute('level', '2 onmouseover=alert(1)')
      d.getXmlFragment(ANSWER_FIELD).push([h])
    },
    marker: 'sahjudul',
  },
  {
    name: 'bare text directly in the answer',
    role: 'kp2mi',
    legal: (d) => {
      const p = new Y.XmlElement('paragraph')
      d.getXmlFragment(ANSWER_FIELD).push([p])
      p.push([new Y.XmlText('sahbungkus')])
    },
    attack: (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlText('teks lepas')]),
    marker: 'sahbungkus',
  },
  {
    name: 'a paragraph inside a paragraph',
    role: 'chair',
    legal: (d) => {
      lastBlock(d).push([new Y.XmlElement('hardBreak'), new Y.XmlText('sahbaris')])
    },
    attack: (d) => {
      const inner = new Y.XmlElement('paragraph')
      lastBlock(d).push([inner])
      inner.push([new Y.XmlText('bersarang')])
    },
    marker: 'sahbaris',
  },
  {
    name: 'an unknown mark inside the suggester’s own suggestion',
    role: 'suggester',
    legal: (d) => {
      lastText(d).insert(0, 'sahusul ', answerMarkFormat('insertion', { id: 'ok-1' }))
      d.getMap(SUGGESTIONS_FIELD).set('ok-1', { kind: 'insert', createdAt: 1 })
    },
    attack: (d) => {
      lastText(d).insert(0, 'usul ', {
        ...answerMarkFormat('insertion', { id: 'bad-1' }),
        'highlight--AAAAAAAA': { color: 'red' },
      })
      d.getMap(SUGGESTIONS_FIELD).set('bad-1', { kind: 'insert', createdAt: 1 })
    },
    marker: 'sahusul',
  },
  {
    name: 'a thread with an unknown field and an oversized comment',
    role: 'suggester',
    legal: (d) => {
      const thread = new Y.Map<unknown>()
      d.getMap(THREADS_FIELD).set('thr-ok', thread)
      thread.set('quote', 'sahkomentar')
      thread.set('createdAt', 1)
      thread.set('resolved', false)
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      const first = new Y.Map<unknown>()
      comments.push([first])
      first.set('id', 'cm-1')
      first.set('body', 'Sumber?')
      first.set('createdAt', 1)
    },
    attack: (d) => {
      const thread = new Y.Map<unknown>()
      d.getMap(THREADS_FIELD).set('thr-bad', thread)
      thread.set('quote', 'q')
      thread.set('html', '<img src=x onerror=alert(1)>')
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      const first = new Y.Map<unknown>()
      comments.push([first])
      first.set('id', 'cm-2')
      first.set('body', 'x'.repeat(20_000))
    },
    marker: 'thr-ok',
  },
]

describe('the card’s shape, attacked with raw clients', () => {
  let seeded: Seeded
  let server: ServerProcess
  const clients: RawClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of clients) client.close()
    await server?.stop()
  })

  const connect = async (cardIndex: number, user: string) => {
    const client = await connectRaw(
      `${server.wsUrl}/${cardDocumentName(seeded.cardIds[cardIndex] as string)}`,
      seeded.users[user]?.token as string,
    )
    clients.push(client)
    await client.synced()
    return client
  }

  /** The update a copy of `client`'s document makes with `change` (under its own clientID). */
  const updateOf = (client: RawClient, change: Change) => {
    const doc = new Y.Doc()
    doc.clientID = client.doc.clientID
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc))
    const before = Y.encodeStateVector(doc)
    doc.transact(() => change(doc))
    const update = Y.encodeStateAsUpdate(doc, before)
    // Keep the client's own copy in step, so the next update builds on what the server has.
    return { update, apply: () => Y.applyUpdate(client.doc, update) }
  }

  const everything = (doc: Y.Doc) =>
    JSON.stringify([
      doc.getXmlFragment(ANSWER_FIELD).toString(),
      doc.getMap(THREADS_FIELD).toJSON(),
      doc.getMap(SUGGESTIONS_FIELD).toJSON(),
    ])

  attacks.forEach((attack, index) => {
    it(`refuses ${attack.name} (${attack.role}); its legal twin is stored and relayed`, async () => {
      const cardIndex = index + 1
      const sender = await connect(cardIndex, attack.role)
      const witness = await connect(cardIndex, 'viewer')

      const legal = updateOf(sender, attack.legal)
      sender.sendUpdate(legal.update)
      legal.apply()
      await waitFor(() => everything(witness.doc).includes(attack.marker), 5_000, 'the legal twin')
      expect(sender.rejected).toEqual([])

      const before = everything(witness.doc)
      const bad = updateOf(sender, attack.attack)
      sender.sendUpdate(bad.update)
      await waitFor(() => sender.rejected.length === 1, 5_000, 'the refusal')
      expect(sender.rejected[0]?.code).toBe(RejectCode.SchemaViolation)
      // A later legal change still reaches the witness, and the attack never did.
      const after = updateOf(sender, (d) => {
        if (attack.role !== 'suggester') lastText(d).insert(0, 'sahkemudian ')
        else {
          lastText(d).insert(0, 'sahkemudian ', answerMarkFormat('insertion', { id: 'later' }))
          d.getMap(SUGGESTIONS_FIELD).set('later', { kind: 'insert', createdAt: 2 })
        }
      })
      // The client's copy never took the refused update: build on what the server has.
      sender.sendUpdate(after.update)
      await waitFor(() => everything(witness.doc).includes('sahkemudian'), 5_000, 'the next edit')
      expect(sender.rejected).toHaveLength(1)
      const withoutLater = JSON.parse(everything(witness.doc)) as [
        string,
        unknown,
        Record<string, unknown>,
      ]
      const beforeParsed = JSON.parse(before) as [string, unknown, Record<string, unknown>]
      // Everything but the later edit is as it was before the attack.
      expect(withoutLater[1]).toEqual(beforeParsed[1])
      expect(Object.keys(withoutLater[2]).filter((k) => k !== 'later')).toEqual(
        Object.keys(beforeParsed[2]),
      )
      expect(withoutLater[0]).not.toMatch(
        /iframe|onclick|javascript|onmouseover|bersarang|highlight/,
      )
    })
  })

  it('stores none of it, and audits the refusals', async () => {
    await server.stop()
    const storage = await openTestStorage(seeded.dataDir)
    const quiet = { info() {}, warn() {}, error() {}, debug() {} }
    try {
      for (const [index, attack] of attacks.entries()) {
        const name = cardDocumentName(seeded.cardIds[index + 1] as string)
        const doc = restoreDocument(name, await storage.documents.loadDocument(name), quiet)
        const stored = everything(doc)
        expect(stored).toContain(attack.marker)
        for (const bad of ['iframe', 'onclick', 'javascript:', 'onmouseover', 'teks lepas']) {
          expect(stored).not.toContain(bad)
        }
        expect(stored).not.toContain('bersarang')
        expect(stored).not.toContain('highlight')
        expect(stored).not.toContain('thr-bad')
        doc.destroy()
      }
    } finally {
      await storage.close()
    }
    const trail = await auditActions(seeded.dataDir)
    const refused = trail.filter(
      (e) =>
        e.action === 'update.refused' &&
        (e.details as { code: string }).code === RejectCode.SchemaViolation,
    )
    expect(refused).toHaveLength(attacks.length)
    server = await startServer(seeded.dataDir)
  })
})
