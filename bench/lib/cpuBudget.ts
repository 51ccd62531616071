/**
 * A fixed CPU budget for one process, through a Linux control group of its own (the `cpu`
 * controller's CFS quota: cgroup v1's cpu.cfs_quota_us, or v2's cpu.max). Scale-out is measured
 * with one per node: on a machine whose few cores the load generator and PostgreSQL share with
 * the nodes, the machine would be the limit of every setup alike; with a budget per node, a node
 * is, as when each runs on a machine of its own.
 *
 * Needs write access to /sys/fs/cgroup (root, or a delegated subtree); `cpuBudgetsAvailable()`
 * says why not when it cannot.
 */
import fs from 'node:fs'
import path from 'node:path'

const V1 = '/sys/fs/cgroup/cpu'
const V2 = '/sys/fs/cgroup'
const PERIOD_US = 10_000

type Layout = { kind: 'v1' | 'v2'; root: string }

function layout(): Layout | null {
  if (fs.existsSync(path.join(V1, 'cpu.cfs_quota_us'))) return { kind: 'v1', root: V1 }
  const controllers = path.join(V2, 'cgroup.controllers')
  if (
    fs.existsSync(controllers) &&
    fs.readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')
  ) {
    return { kind: 'v2', root: V2 }
  }
  return null
}

/** null when budgets can be set here; else the reason. */
export function cpuBudgetsAvailable(): string | null {
  const found = layout()
  if (!found) return 'no cgroup cpu controller at /sys/fs/cgroup'
  const probe = path.join(found.root, `kartu-bench-probe-${process.pid}`)
  try {
    fs.mkdirSync(probe)
    fs.rmdirSync(probe)
    return null
  } catch (error) {
    return `cannot make a control group in ${found.root}: ${(error as Error).message}`
  }
}

export type CpuBudget = {
  /** Puts the process (all its threads) under the budget. */
  add(pid: number): void
  /** Removes the group (its processes must have exited). */
  remove(): void
}

/**
 * A group allowing `cores` of CPU time (0.4: 4 ms in every 10 ms). The period is short so that a
 * node over its budget waits a few milliseconds, not most of 100 ms (the kernel's default period):
 * throttling by long periods would add its own latency to every figure.
 */
export function cpuBudget(name: string, cores: number): CpuBudget {
  const found = layout()
  if (!found) throw new Error('no cgroup cpu controller at /sys/fs/cgroup')
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not a group name: ${name}`)
  const dir = path.join(found.root, name)
  fs.mkdirSync(dir, { recursive: true })
  const quota = Math.round(cores * PERIOD_US)
  if (found.kind === 'v1') {
    fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US))
    fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota))
  } else {
    fs.writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`)
  }
  return {
    add(pid) {
      fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid))
    },
    remove() {
      try {
        fs.rmdirSync(dir)
      } catch (error) {
        // A group still holding a process cannot go; say so rather than leave it unseen.
        process.stderr.write(`could not remove the control group ${dir}: ${String(error)}\n`)
      }
    },
  }
}
