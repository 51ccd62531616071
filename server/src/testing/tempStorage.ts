/**
 * A real SQLite data folder in a fresh temp directory, for unit tests.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openStorage, type Storage } from '../store/openStore.ts'

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-unit-'))
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

export type TempStorage = { dir: string; storage: Storage; cleanup(): Promise<void> }

export function openTempStorage(): TempStorage {
  const dir = makeTempDir()
  const storage = openStorage(dir)
  return {
    dir,
    storage,
    async cleanup() {
      await storage.close()
      removeDir(dir)
    },
  }
}
