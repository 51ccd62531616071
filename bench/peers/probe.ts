/**
 * Loaded into every benchmarked server process (`node --expose-gc --import .../probe.ts`), Kartu's
 * real CLI included: answers the driver's memory questions over the IPC channel, after a full
 * garbage collection so that figures are what is retained, not garbage not yet collected.
 * It does nothing else and costs nothing while the clients run.
 */
type MemoryQuestion = { type: 'memory'; id: number }

if (process.send) {
  process.on('message', (message: MemoryQuestion) => {
    if (message?.type !== 'memory') return
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    gc?.()
    const usage = process.memoryUsage()
    process.send?.({
      type: 'memory',
      id: message.id,
      heapUsed: usage.heapUsed,
      external: usage.external,
      rss: usage.rss,
    })
  })
  // The channel must not keep a server alive that was asked to stop.
  process.channel?.unref()
}
