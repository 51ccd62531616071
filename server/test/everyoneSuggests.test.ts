/**
 * "Everyone suggests", the chair's rakor switch, against a real server with raw clients: while it
 * is on for a card (its own switch or its deck's) an editor's direct edit is refused as a
 * suggester's would be and their suggestion is taken; the chair still edits directly; open
 * connections learn of every change (REST at once, the command line at the next poll); every
 * change is audited; only the chair sets it.
 */
import { type Card, cardDocumentName, type Deck } from '@kartu/protocol'
import { ANSWER_FIELD, answerMarkFormat, SUGGESTIONS_FIELD } from '@kartu/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { auditActions } from './helpers/auditTrail.ts'
import { kartu } from './helpers/cli.ts'
import { waitFor } from './helpers/clients.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

/** An update from a copy of the client's document, changing the answer's first text. */
function editFrom(from: Y.Doc, change: (text: Y.XmlText, doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(from)
  const block = from.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement
  from.transact(() => change(block.get(0) as Y.XmlText, from))
  return Y.encodeStateAsUpdate(from, before)
}

/** A direct edit: words typed into the answer as they are. */
const direct = (words: string) => (text: Y.XmlText) => text.insert(0, words)

/** The same words as a suggestion: marked as an insertion, with its metadata entry. */
const suggestion = (words: string, id: string) => (text: Y.XmlText, doc: Y.Doc) => {
  text.insert(0, words, answerMarkFormat('insertion', { id }))
  doc.getMap(SUGGESTIONS_FIELD).set(id, { kind: 'insert', createdAt: Date.now() })
}

const answerOf = (client: RawClient) => client.doc.getXmlFragment(ANSWER_FIELD).toString()

describe('"everyone suggests" through the server', () => {
  let seeded: Seeded
  let server: ServerProcess
  const open: RawClient[] = []
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    for (const client of open) client.close()
    await server?.stop()
  })
  const connect = async (cardIndex: number, user: string) => {
    const url = `${server.wsUrl}/${cardDocumentName(seeded.cardIds[cardIndex] as string)}`
    const client = await connectRaw(url, seeded.users[user]?.token as string)
    open.push(client)
    await client.synced()
    return client
  }
  const patch = (user: string, path: string, body: unknown) =>
    fetch(`${server.httpUrl}${path}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${seeded.users[user]?.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    })
  const cardPath = (index: number) => `/api/cards/${seeded.cardIds[index]}`
  const deckPath = () => `/api/decks/${seeded.deckId}`

  /** Sends an update and waits until the server took it (a witness has it) or refused it. */
  const send = async (
    sender: RawClient,
    witness: RawClient,
    change: (text: Y.XmlText, doc: Y.Doc) => void,
    words: string,
  ): Promise<'taken' | string> => {
    const refusals = sender.rejected.length
    sender.sendUpdate(editFrom(sender.doc, change))
    await waitFor(
      () => sender.rejected.length > refusals || answerOf(witness).includes(words),
      5_000,
      `the server's answer to "${words}"`,
    )
    return sender.rejected[refusals]?.code ?? 'taken'
  }

  // Open connections learn of the switch (REST at once, the command line at the next poll of
  // the permission watcher). A liveness bound, not a speed target: shared machines are slow.
  const learns = (client: RawClient, on: boolean): Promise<void> =>
    waitFor(() => client.permissions.at(-1)?.suggestOnly === on, 20_000, `suggestOnly ${on}`)

  it('on for a card: an editor’s direct edit is refused and their suggestion taken, the chair edits directly; off: the editor edits directly again', async () => {
    const editor = await connect(2, 'kp2mi')
    const chair = await connect(2, 'chair')
    const witness = await connect(2, 'viewer')
    expect(editor.permissions.at(-1)).toEqual({ role: 'editor', locked: false, suggestOnly: false })
    expect(await send(editor, witness, direct('langsung-sebelum '), 'langsung-sebelum')).toBe(
      'taken',
    )

    const response = await patch('chair', cardPath(2), { suggestOnly: true })
    expect(response.status).toBe(200)
    const { card } = (await response.json()) as { card: Card }
    expect(card.suggestOnly).toBe(true)
    await learns(editor, true)
    await learns(chair, true)
    // The role stays what it is: the switch changes how an editor's update is judged.
    expect(editor.permissions.at(-1)).toEqual({ role: 'editor', locked: false, suggestOnly: true })

    expect(await send(editor, witness, direct('langsung-ditolak '), 'langsung-ditolak')).toBe(
      'text_change_not_allowed',
    )
    expect(answerOf(witness)).not.toContain('langsung-ditolak')
    // Refused once, the raw client's copy holds what the server does not: start a fresh one.
    const editorAgain = await connect(2, 'kp2mi')
    expect(editorAgain.permissions[0]?.suggestOnly).toBe(true)
    expect(
      await send(editorAgain, witness, suggestion('usulan-editor ', 's-editor'), 'usulan-editor'),
    ).toBe('taken')
    expect(witness.doc.getMap(SUGGESTIONS_FIELD).has('s-editor')).toBe(true)
    expect(await send(chair, witness, direct('ketua-langsung '), 'ketua-langsung')).toBe('taken')

    expect((await patch('chair', cardPath(2), { suggestOnly: false })).status).toBe(200)
    await learns(editorAgain, false)
    expect(await send(editorAgain, witness, direct('langsung-lagi '), 'langsung-lagi')).toBe(
      'taken',
    )
    expect(editorAgain.rejected).toEqual([])
    expect(chair.rejected).toEqual([])
  })

  it('on for the deck: every card of it, also one opened afterwards; the card’s own switch stays off', async () => {
    const editor = await connect(3, 'kemlu')
    const witness = await connect(3, 'viewer')
    const response = await patch('chair', deckPath(), { suggestOnly: true })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { deck: Deck }).deck.suggestOnly).toBe(true)
    await learns(editor, true)
    expect(await send(editor, witness, direct('dek-ditolak '), 'dek-ditolak')).toBe(
      'text_change_not_allowed',
    )
    // A card no one had open: the switch holds from the first message.
    const other = await connect(4, 'kemlu')
    const otherWitness = await connect(4, 'viewer')
    expect(other.permissions[0]).toEqual({ role: 'editor', locked: false, suggestOnly: true })
    expect(await send(other, otherWitness, direct('dek-ditolak-juga '), 'dek-ditolak-juga')).toBe(
      'text_change_not_allowed',
    )
    const fresh = await connect(4, 'kemlu')
    expect(await send(fresh, otherWitness, suggestion('usulan-dek ', 's-deck'), 'usulan-dek')).toBe(
      'taken',
    )
    const chair = await connect(4, 'chair')
    expect(await send(chair, otherWitness, direct('ketua-dek '), 'ketua-dek')).toBe('taken')
    // The card's own switch is not the deck's.
    const read = await fetch(`${server.httpUrl}${cardPath(4)}`, {
      headers: { authorization: `Bearer ${seeded.users.kemlu?.token}` },
    })
    expect(((await read.json()) as { card: Card }).card.suggestOnly).toBe(false)

    expect((await patch('chair', deckPath(), { suggestOnly: false })).status).toBe(200)
    await learns(fresh, false)
    expect(await send(fresh, otherWitness, direct('dek-langsung '), 'dek-langsung')).toBe('taken')
    expect(fresh.rejected).toEqual([])
  })

  it('set from the command line while the server runs, open connections follow', async () => {
    const editor = await connect(5, 'kp2mi')
    const result = await kartu(
      seeded.dataDir,
      'suggest-only',
      'on',
      '--card',
      seeded.cardIds[5] as string,
    )
    expect(result.code).toBe(0)
    await learns(editor, true)
    expect((await kartu(seeded.dataDir, 'suggest-only', 'off', '--deck', seeded.deckId)).code).toBe(
      0,
    )
    // The deck's switch was off already: nothing changes, nothing is recorded.
    expect(editor.permissions.at(-1)?.suggestOnly).toBe(true)
    expect(
      (await kartu(seeded.dataDir, 'suggest-only', 'off', '--card', seeded.cardIds[5] as string))
        .code,
    ).toBe(0)
    await learns(editor, false)
    const missing = await kartu(seeded.dataDir, 'suggest-only', 'on', '--card', 'no-such-card')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no card no-such-card')
  })

  it('only the chair sets it: 403 for other members, 404 for someone who is not one', async () => {
    for (const user of ['kp2mi', 'suggester', 'commenter']) {
      expect((await patch(user, cardPath(6), { suggestOnly: true })).status).toBe(403)
      expect((await patch(user, deckPath(), { suggestOnly: true })).status).toBe(403)
    }
    const removed = await fetch(
      `${server.httpUrl}/api/decks/${seeded.deckId}/members/${seeded.users.viewer?.id}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${seeded.users.chair?.token}` } },
    )
    expect(removed.status).toBe(204)
    expect((await patch('viewer', cardPath(6), { suggestOnly: true })).status).toBe(404)
    expect((await patch('viewer', deckPath(), { suggestOnly: true })).status).toBe(404)
    expect((await patch('chair', deckPath(), { suggestOnly: 'yes' })).status).toBe(400)
    expect((await patch('chair', deckPath(), {})).status).toBe(400)
    const read = await fetch(`${server.httpUrl}${cardPath(6)}`, {
      headers: { authorization: `Bearer ${seeded.users.chair?.token}` },
    })
    expect(((await read.json()) as { card: Card }).card.suggestOnly).toBe(false)
  })

  it('every change is on the audit log, with who made it and for what', async () => {
    const changes = (await auditActions(seeded.dataDir)).filter(
      (entry) => entry.action === 'suggest_only.changed',
    )
    const card = (index: number) => `card:${seeded.cardIds[index]}`
    const chair = seeded.users.chair?.id
    expect(changes.map((entry) => [entry.subject, entry.actorUserId, entry.details])).toEqual([
      [card(2), chair, { suggestOnly: true }],
      [card(2), chair, { suggestOnly: false }],
      [`deck:${seeded.deckId}`, chair, { suggestOnly: true }],
      [`deck:${seeded.deckId}`, chair, { suggestOnly: false }],
      [card(5), null, { suggestOnly: true, via: 'cli' }],
      [card(5), null, { suggestOnly: false, via: 'cli' }],
    ])
    const trail = await auditActions(seeded.dataDir)
    const refused = trail.filter(
      (entry) =>
        entry.action === 'update.refused' &&
        (entry.details as { code: string }).code === 'text_change_not_allowed',
    )
    expect(refused.length).toBeGreaterThanOrEqual(3)
  })
})
