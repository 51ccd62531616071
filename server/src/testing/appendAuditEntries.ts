/**
 * A separate process that appends audit entries to a data folder, for the test that several
 * writers at once (the server and the CLI) cannot fork the chain.
 * Usage: node --conditions=kartu-source --import tsx appendAuditEntries.ts DATA_DIR WRITER COUNT START_AT_MS
 */
import { AuditLog } from '../audit/AuditLog.ts'
import { AuditAction } from '../audit/auditEvents.ts'
import { openTestStorage } from './testStore.ts'

const [dataDir, writer, count, startAt] = process.argv.slice(2)
if (!dataDir || !writer || !count || !startAt) {
  throw new Error('usage: DATA_DIR WRITER COUNT START_AT_MS')
}

const storage = await openTestStorage(dataDir)
// Start together: process start-up times differ by more than a whole run of appends.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())))
const audit = new AuditLog(storage.repository)
for (let i = 0; i < Number(count); i++) {
  await audit.append({
    actorUserId: writer,
    action: AuditAction.UpdateRefused,
    subject: `card:${writer}`,
    details: { i },
  })
  // Pause between appends, as a server does between requests: without it one process keeps
  // the write lock and the others (in SQLite's busy back-off) only get it when it is done.
  await new Promise((resolve) => setTimeout(resolve, 1 + (i % 5)))
}
await storage.close()
