/**
 * Runs `pnpm kartu ...` against a data folder, as an operator would (compiled when the build is
 * current, else under tsx: testing/kartuProcess.ts).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { kartuProcessArgs } from '../../src/testing/kartuProcess.ts'
import { testStoreEnv } from '../../src/testing/testStore.ts'

const run = promisify(execFile)

export type CliResult = { code: number; stdout: string; stderr: string }

/** Runs the CLI; resolves with its exit code and output whatever the code. */
export async function kartu(dataDir: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...kartuProcessArgs(), ...args], {
      env: { ...process.env, KARTU_DATA_DIR: dataDir, ...(await testStoreEnv(dataDir)) },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    if (typeof failed.code !== 'number') throw error
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

export const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? ''

/** `pnpm kartu member remove`: takes a person out of the seeded deck, as an operator would. */
export function removeFromDeck(
  seeded: { dataDir: string; deckId: string },
  email: string,
): Promise<CliResult> {
  return kartu(seeded.dataDir, 'member', 'remove', '--deck', seeded.deckId, '--email', email)
}
