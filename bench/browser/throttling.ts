/**
 * The slow device and network the client scenario runs on, applied through CDP to every page and
 * every service worker before it runs a line (auto-attach, waiting for the debugger): a worker's
 * fetches share the person's slow link with the page, so they are throttled too.
 */
import type { Cdp, CdpEvent } from './cdp.ts'

export type ClientProfile = {
  name: string
  /** Emulation.setCPUThrottlingRate: the page's main thread runs this many times slower. */
  cpuSlowdown: number
  /** Added to every request's response (ms). */
  latencyMs: number
  downloadBitsPerSecond: number
  uploadBitsPerSecond: number
}

/**
 * Chrome DevTools' "Slow 3G" figures (400 ms, 400 kbit/s each way) and Lighthouse's mobile CPU
 * slowdown (4x).
 */
export const SLOW_3G_4X_CPU: ClientProfile = {
  name: 'Slow 3G, 4x CPU slowdown',
  cpuSlowdown: 4,
  latencyMs: 400,
  downloadBitsPerSecond: 400_000,
  uploadBitsPerSecond: 400_000,
}

export type TargetKind = 'page' | 'service_worker'

export type AttachedTarget = { sessionId: string; kind: TargetKind; url: string }

/**
 * Throttles every page and service worker of the browser from now on; `onAttached` runs for each
 * (its Network domain is enabled, so the caller sees its requests) before the target is let run.
 */
export async function throttleEveryTarget(
  cdp: Cdp,
  profile: ClientProfile,
  onAttached: (target: AttachedTarget) => void,
): Promise<void> {
  const setUp = async (event: CdpEvent): Promise<void> => {
    if (event.method !== 'Target.attachedToTarget') return
    const sessionId = event.params.sessionId as string
    const info = event.params.targetInfo as { type: string; url: string }
    const kind: TargetKind = info.type === 'service_worker' ? 'service_worker' : 'page'
    onAttached({ sessionId, kind, url: info.url })
    try {
      await cdp.send('Network.enable', {}, sessionId)
      await cdp.send(
        'Network.emulateNetworkConditions',
        {
          offline: false,
          latency: profile.latencyMs,
          // Bytes per second.
          downloadThroughput: profile.downloadBitsPerSecond / 8,
          uploadThroughput: profile.uploadBitsPerSecond / 8,
        },
        sessionId,
      )
      if (kind === 'page') {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown }, sessionId)
      }
    } finally {
      // Always let it run, set up or not: a target left waiting would hang the scenario.
      if (event.params.waitingForDebugger === true) {
        await cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {})
      }
    }
  }
  cdp.onEvent((event) => {
    setUp(event).catch((error: unknown) => {
      process.stderr.write(`  throttling a target failed: ${(error as Error).message}\n`)
    })
  })
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: true,
    flatten: true,
    filter: [
      { type: 'page', exclude: false },
      { type: 'service_worker', exclude: false },
      { exclude: true },
    ],
  })
}
