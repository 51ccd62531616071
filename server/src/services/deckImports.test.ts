import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { DeckImportError } from '../deckImport.ts'
import { demoDeckFile, openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { DeckImports } from './deckImports.ts'

describe('DeckImports', () => {
  let temp: TempStorage
  let imports: DeckImports

  beforeEach(async () => {
    temp = await openTempStorage()
    const { repository, documents } = temp.storage
    imports = new DeckImports(repository, documents, new AuditLog(repository))
  })

  afterEach(async () => {
    await temp.cleanup()
  })

  it('imports a deck with its cards and documents, and records it once with what was stored', async () => {
    const { deckId, cardIds } = await imports.import(demoDeckFile())
    const { repository, documents } = temp.storage
    const deck = await repository.getDeck(deckId)
    expect(deck?.title).toContain('Demo Kartu')
    expect((await repository.listCards(deckId)).map((card) => card.id)).toEqual(cardIds)
    expect(await documents.listDocumentNames()).toContain(`card:${cardIds[0]}`)
    const entries = await repository.listAudit(0, 100)
    expect(entries.map((entry) => [entry.action, entry.subject])).toEqual([
      [AuditAction.DeckImported, `deck:${deckId}`],
    ])
    expect(JSON.parse(entries[0]?.details ?? 'null')).toEqual({
      via: 'cli',
      title: deck?.title,
      cards: cardIds.length,
      ministries: deck?.ministries.map((m) => m.id),
    })
  })

  it('records nothing for a file that is not a deck, or whose ministries conflict', async () => {
    await expect(imports.import({ title: 'no cards' })).rejects.toThrow()
    await imports.import(demoDeckFile())
    const renamed = demoDeckFile() as { ministries: Array<{ short: string }> }
    const [ministry] = renamed.ministries
    if (ministry) ministry.short = `${ministry.short} (renamed)`
    await expect(imports.import(renamed)).rejects.toBeInstanceOf(DeckImportError)
    const actions = (await temp.storage.repository.listAudit(0, 100)).map((entry) => entry.action)
    expect(actions).toEqual([AuditAction.DeckImported])
  })
})
