/**
 * Importing a deck file, as the command line does it (`deck import`, and `demo` for the demo
 * deck): one place that imports the deck and its cards' documents (deckImport.ts) and writes the
 * audit entry once, with the deck's title and ministries as stored.
 */
import type { AuditLog } from '../audit/AuditLog.ts'
import { deckImportedEvent } from '../audit/auditEvents.ts'
import { importDeck } from '../deckImport.ts'
import type { DocumentStore, Repository } from '../store/types.ts'

export class DeckImports {
  constructor(
    private readonly repository: Repository,
    private readonly documents: DocumentStore,
    private readonly audit: AuditLog,
  ) {}

  /** Imports a parsed deck file; a file that does not fit throws DeckImportError, unaudited. */
  async import(file: unknown): Promise<{ deckId: string; cardIds: string[] }> {
    const imported = await importDeck(this.repository, this.documents, file)
    const deck = await this.repository.getDeck(imported.deckId)
    await this.audit.append(
      deckImportedEvent({
        deckId: imported.deckId,
        title: deck?.title ?? '',
        cards: imported.cardIds.length,
        ministries: deck?.ministries.map((m) => m.id) ?? [],
      }),
    )
    return imported
  }
}
