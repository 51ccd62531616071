/**
 * Ministries are shared by every deck (a person belongs to one ministry whatever the deck): a
 * deck import that would rename or recolour one that another deck uses is refused with a clear
 * message, and writes nothing; an import whose ministries match, or are new, goes through.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_DECK_FILE } from '../src/demo/demoAccounts.ts'
import { openTestStorage } from '../src/testing/testStore.ts'
import { auditActions } from './helpers/auditTrail.ts'
import { kartu, lastLine } from './helpers/cli.ts'
import { makeDataDir } from './helpers/seed.ts'

type DeckFile = {
  title: string
  ministries: Array<{ id: string; short: string; name_id: string; color?: string }>
  cards: unknown[]
}

describe('a deck import never changes another deck’s data', () => {
  const dataDir = makeDataDir()
  const files = makeDataDir()
  afterAll(() => {
    for (const dir of [dataDir, files]) fs.rmSync(dir, { recursive: true, force: true })
  })
  const deck = JSON.parse(fs.readFileSync(DEMO_DECK_FILE, 'utf8')) as DeckFile
  const write = (name: string, content: DeckFile) => {
    const file = path.join(files, name)
    fs.writeFileSync(file, JSON.stringify(content))
    return file
  }
  const state = async () => {
    const storage = await openTestStorage(dataDir)
    try {
      return {
        ministries: await storage.repository.listMinistries(),
        documents: (await storage.documents.listDocumentNames()).length,
      }
    } finally {
      await storage.close()
    }
  }

  it('imports a first deck, and a second one that names the same ministries the same way', async () => {
    const first = await kartu(dataDir, 'deck', 'import', DEMO_DECK_FILE)
    expect(first.code).toBe(0)
    const again = await kartu(
      dataDir,
      'deck',
      'import',
      write('same.json', { ...deck, title: 'Deck 2' }),
    )
    expect(again.code).toBe(0)
    expect(lastLine(again.stdout)).not.toBe(lastLine(first.stdout))
  })

  it('refuses a deck that renames or recolours a ministry, with what differs, writing nothing', async () => {
    const before = await state()
    const renamed: DeckFile = {
      ...deck,
      title: 'Deck 3',
      ministries: deck.ministries.map((m) =>
        m.id === 'KP2MI' ? { ...m, short: 'BP2MI', color: '#ff00ff' } : m,
      ),
    }
    const refused = await kartu(dataDir, 'deck', 'import', write('renamed.json', renamed))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('KP2MI: short name "BP2MI" in the file, "KP2MI" in Kartu')
    expect(refused.stderr).toContain('KP2MI: colour "#ff00ff" in the file')
    expect(refused.stderr).not.toMatch(/\n\s+at /) // a message for a person, not a stack trace
    const after = await state()
    expect(after).toEqual(before)
  })

  it('adds a new ministry, and records each import in the audit log', async () => {
    const extended: DeckFile = {
      ...deck,
      title: 'Deck 4',
      ministries: [...deck.ministries, { id: 'BAPPENAS', short: 'Bappenas', name_id: 'Bappenas' }],
    }
    expect((await kartu(dataDir, 'deck', 'import', write('new.json', extended))).code).toBe(0)
    expect((await state()).ministries.map((m) => m.id)).toContain('BAPPENAS')
    const imports = (await auditActions(dataDir)).filter((e) => e.action === 'deck.imported')
    expect(imports.map((e) => (e.details as { title: string }).title)).toEqual([
      deck.title,
      'Deck 2',
      'Deck 4',
    ])
  })
})
