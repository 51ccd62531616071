/**
 * A real word processor for tests: LibreOffice Writer, headless, converts exported files (to
 * PDF, to check what a reader sees; to .docx, to check what survives another program saving
 * them), and poppler's pdftotext reads the PDF back.
 *
 * Each conversion runs with a profile directory of its own: two soffice processes sharing a
 * profile wait on each other's lock, or one hands its files to the other and exits at once.
 * One call converts many files, since each start of soffice costs seconds.
 *
 * Missing tools skip the tests that need them, loudly, on a developer's machine; under CI
 * (CI=true, where .ci/run installs them) they fail.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** A cold start of soffice and a few files; far above what one book takes. */
const CONVERSION_TIMEOUT_MS = 120_000

function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, command)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // Not in this directory.
    }
  }
  return null
}

/**
 * Whether soffice and pdftotext are installed. When they are not: under CI=true, throws (a
 * test that silently skips in CI tests nothing); elsewhere warns and returns false.
 */
export function hasWordProcessor(): boolean {
  const missing = ['soffice', 'pdftotext'].filter((command) => findOnPath(command) === null)
  if (missing.length === 0) return true
  const message = `${missing.join(' and ')} not found: the LibreOffice tests of the Word export cannot run (install libreoffice-writer and poppler-utils, as .ci/run does)`
  if (process.env.CI === 'true') throw new Error(message)
  console.warn(`\n*** SKIPPED: ${message} ***\n`)
  return false
}

function run(
  command: string,
  args: readonly string[],
  timeout: number,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`))
        else resolve({ stdout, stderr })
      },
    )
  })
}

/**
 * Converts `inputs` with LibreOffice into `outDir` (which must not be where the inputs are, when
 * converting .docx to .docx); the paths written, in the order of the inputs. Throws when one is
 * missing: LibreOffice reports a file it could not load on stderr and still exits 0.
 */
export async function convertWithLibreOffice(
  inputs: string | readonly string[],
  to: 'pdf' | 'docx',
  outDir: string,
): Promise<string[]> {
  const files = typeof inputs === 'string' ? [inputs] : [...inputs]
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kartu-soffice-'))
  try {
    fs.mkdirSync(outDir, { recursive: true })
    const { stdout, stderr } = await run(
      'soffice',
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--convert-to',
        to === 'docx' ? 'docx:MS Word 2007 XML' : 'pdf',
        '--outdir',
        outDir,
        ...files,
      ],
      CONVERSION_TIMEOUT_MS,
    )
    return files.map((file) => {
      const output = path.join(outDir, `${path.parse(file).name}.${to}`)
      if (!fs.existsSync(output)) {
        throw new Error(`LibreOffice wrote no ${output}\n${stdout}\n${stderr}`)
      }
      return output
    })
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
}
