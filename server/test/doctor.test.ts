/**
 * Cards stored before the schema guard (written here straight into the SQLite file, as an old
 * server would have stored them): the server raises an ALERT when it loads one, `pnpm kartu
 * doctor` lists them, and `--repair` (refused while a server runs) rewrites them as an audited
 * server change that keeps every character of text, after which the editor's own reading of the
 * answer (y-prosemirror) finds nothing to delete.
 */
import { cardDocumentName } from '@kartu/protocol'
import { ANSWER_FIELD, getAnswerSchema, textOfAnswer } from '@kartu/schema'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { restoreDocument } from '../src/collab/restoreDocument.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { kartu } from './helpers/cli.ts'
import { waitFor } from './helpers/clients.ts'
import { connectRaw } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const quiet = { info() {}, warn() {}, error() {}, debug() {} }

async function storedText(dataDir: string, cardId: string): Promise<string> {
  const storage = await openTestStorage(dataDir)
  try {
    const name = cardDocumentName(cardId)
    const doc = restoreDocument(name, await storage.documents.loadDocument(name), quiet)
    const text = textOfAnswer(doc.getXmlFragment(ANSWER_FIELD))
    doc.destroy()
    return text
  } finally {
    await storage.close()
  }
}

/** Appends, under a fresh clientID, what an unchecked client could once store. */
async function poison(dataDir: string, cardId: string, attack: (answer: Y.XmlFragment) => void) {
  const storage = await openTestStorage(dataDir)
  try {
    const name = cardDocumentName(cardId)
    const doc = restoreDocument(name, await storage.documents.loadDocument(name), quiet)
    const before = Y.encodeStateVector(doc)
    doc.clientID = 424_242
    doc.transact(() => attack(doc.getXmlFragment(ANSWER_FIELD)))
    await storage.documents.appendUpdates(name, [Y.encodeStateAsUpdate(doc, before)])
    doc.destroy()
  } finally {
    await storage.close()
  }
}

describe('cards stored before the schema guard', () => {
  let seeded: Seeded
  let server: ServerProcess | null = null
  const poisoned: string[] = []
  const textBefore = new Map<string, string>()

  beforeAll(async () => {
    seeded = await seed()
    const [first, second] = seeded.cardIds as [string, string]
    await poison(seeded.dataDir, first, (answer) => {
      const block = answer.get(0) as Y.XmlElement
      block.setAttribute('onclick', 'alert(1)')
      const frame = new Y.XmlElement('iframe')
      answer.insert(1, [frame])
      frame.insert(0, [new Y.XmlText('teks di dalam iframe')])
      const loose = new Y.XmlText()
      answer.insert(2, [loose])
      loose.insert(0, 'Teks lepas langsung di jawaban.')
    })
    await poison(seeded.dataDir, second, (answer) => {
      const last = answer.get(answer.length - 1) as Y.XmlElement
      const inner = new Y.XmlElement('paragraph')
      last.insert(1, [inner])
      inner.insert(0, [new Y.XmlText('paragraf di dalam paragraf')])
      const text = last.get(0) as Y.XmlText
      text.format(0, 5, { link: { href: 'javascript:alert(1)' } })
    })
    poisoned.push(first, second)
    for (const id of poisoned) textBefore.set(id, await storedText(seeded.dataDir, id))
    server = await startServer(seeded.dataDir)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('the server raises an ALERT when it loads one, and not for a sound card', async () => {
    const running = server as ServerProcess
    const open = async (cardId: string) => {
      const client = await connectRaw(
        `${running.wsUrl}/${cardDocumentName(cardId)}`,
        seeded.users.chair?.token as string,
      )
      await client.synced()
      return client
    }
    const sound = await open(seeded.cardIds[5] as string)
    const bad = await open(poisoned[0] as string)
    const room = cardDocumentName(poisoned[0] as string)
    await waitFor(
      () => running.output().includes('ALERT: a stored card does not fit its schema'),
      5_000,
      'the alert',
    )
    const alerts = running
      .output()
      .split('\n')
      .filter((line) => line.includes('does not fit its schema'))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toContain(room)
    sound.close()
    bad.close()
  })

  it('`doctor` lists them (exit 1); `--repair` refuses to run beside the server', async () => {
    const listed = await kartu(seeded.dataDir, 'doctor')
    expect(listed.code).toBe(1)
    expect(listed.stdout).toContain(`2 of ${seeded.cardIds.length} cards do not fit`)
    expect(listed.stdout).toContain('unknown element "iframe"')
    expect(listed.stdout).toContain('unknown attribute "onclick" on heading')
    expect(listed.stdout).toContain('unknown mark "link"')
    const refused = await kartu(seeded.dataDir, 'doctor', '--repair')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('stop it before doctor --repair')
  })

  it('`doctor --repair` keeps every character and leaves cards the editor reads whole', async () => {
    await server?.stop()
    server = null
    const repaired = await kartu(seeded.dataDir, 'doctor', '--repair')
    expect(repaired.code).toBe(0)
    expect(repaired.stdout).toContain('were repaired')
    for (const id of poisoned) {
      expect(await storedText(seeded.dataDir, id)).toBe(textBefore.get(id))
    }
    const again = await kartu(seeded.dataDir, 'doctor')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`All ${seeded.cardIds.length} cards fit their schema.`)
    const trail = await auditActions(seeded.dataDir)
    const repairs = trail.filter((entry) => entry.action === 'document.repaired')
    expect(repairs.map((entry) => entry.subject).sort()).toEqual(
      poisoned.map((id) => cardDocumentName(id)).sort(),
    )

    // Served again: no alert, and y-prosemirror (what every editor runs) deletes nothing.
    server = await startServer(seeded.dataDir)
    for (const id of poisoned) {
      const client = await connectRaw(
        `${server.wsUrl}/${cardDocumentName(id)}`,
        seeded.users.viewer?.token as string,
      )
      await client.synced()
      const deleted: unknown[] = []
      client.doc.on('update', (update: Uint8Array) => deleted.push(update))
      const node = yXmlFragmentToProseMirrorRootNode(
        client.doc.getXmlFragment(ANSWER_FIELD),
        getAnswerSchema(),
      )
      node.check()
      expect(deleted).toEqual([])
      expect(node.textContent.replace(/\s/g, '')).toBe(
        (textBefore.get(id) as string).replace(/\s/g, ''),
      )
      client.close()
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.output()).not.toContain('does not fit its schema')
  })
})
