/**
 * Which process serves a data folder. `serve` writes its process id to `kartu.pid` in the data
 * folder and removes it when it stops; commands that must not run beside a server (`restore`,
 * `doctor --repair`: a running server keeps loaded cards in memory and would write its own copy
 * over theirs) ask first. A file left by a killed server names a process that no longer exists,
 * and is ignored.
 */
import fs from 'node:fs'
import path from 'node:path'

const LOCK_FILE = 'kartu.pid'

/** Records this process as the data folder's server; returns the function that forgets it. */
export function holdServeLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE)
  fs.writeFileSync(file, `${process.pid}\n`)
  let released = false
  const release = () => {
    if (released) return
    released = true
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file)
    } catch {
      // Already gone.
    }
  }
  process.once('exit', release)
  return release
}

/** The process id of a live server on this data folder (not this process), or null. */
export function runningServer(dataDir: string): number | null {
  let pid: number
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim())
  } catch {
    return null
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}
