/**
 * Reads the audit log of a data folder (while the server runs: SQLite WAL allows a reader).
 */
import { openTestStorage } from '../../src/testing/testStore.ts'

export async function auditActions(
  dataDir: string,
): Promise<
  Array<{ action: string; subject: string; actorUserId: string | null; details: unknown }>
> {
  const storage = await openTestStorage(dataDir)
  try {
    const records = await storage.repository.listAudit(0, 100_000)
    return records.map((r) => ({
      action: r.action,
      subject: r.subject,
      actorUserId: r.actorUserId,
      details: JSON.parse(r.details) as unknown,
    }))
  } finally {
    await storage.close()
  }
}
