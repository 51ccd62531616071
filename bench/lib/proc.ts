/**
 * CPU time and memory of another process on this machine, read from /proc (Linux). CPU is
 * utime + stime in clock ticks (CLK_TCK, 100 on Linux), so resolution is 10 ms: measure windows
 * of seconds, not single edits.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

let ticksPerSecond: number | null = null

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/**
 * User and system (kernel: sockets, fsync) CPU time of `pid` so far, in milliseconds; of several
 * processes (the nodes of one server), their sum.
 */
export function cpuSplitMs(pid: number | readonly number[]): { user: number; system: number } {
  if (typeof pid !== 'number') {
    const sum = { user: 0, system: 0 }
    for (const one of pid) {
      const { user, system } = cpuSplitMs(one)
      sum.user += user
      sum.system += system
    }
    return sum
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
  const toMs = (ticks: string | undefined) => (Number(ticks) * 1000) / clockTicks()
  return { user: toMs(fields[11]), system: toMs(fields[12]) }
}

/** User + system CPU time of `pid` so far, in milliseconds. */
export function cpuMs(pid: number): number {
  const { user, system } = cpuSplitMs(pid)
  return user + system
}

function statusField(pid: number, name: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/** Resident set size of `pid` now, in bytes (of several processes, their sum). */
export function rssBytes(pid: number | readonly number[]): number {
  if (typeof pid !== 'number') return pid.reduce((sum, one) => sum + rssBytes(one), 0)
  return statusField(pid, 'VmRSS')
}

/** Peak resident set size of `pid`, in bytes. */
export function peakRssBytes(pid: number): number {
  return statusField(pid, 'VmHWM')
}

/**
 * CPU time of `pid` so far per thread kind, in milliseconds: "main" (the event loop) and the
 * others by their name (V8's garbage collection and compiler helpers, libuv's pool, ...). The
 * process figure counts them all; this says where it goes.
 */
export function cpuByThreadMs(pid: number | readonly number[]): Record<string, number> {
  const byThread: Record<string, number> = {}
  if (typeof pid !== 'number') {
    for (const one of pid) {
      for (const [name, ms] of Object.entries(cpuByThreadMs(one))) {
        byThread[name] = (byThread[name] ?? 0) + ms
      }
    }
    return byThread
  }
  let tasks: string[] = []
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`)
  } catch {
    return byThread
  }
  for (const tid of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name =
        Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks()
      byThread[name] = (byThread[name] ?? 0) + ms
    } catch {
      // The thread ended between the listing and the read: its time is in no one's count now.
    }
  }
  return byThread
}
