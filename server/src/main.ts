/**
 * The process entry: loadConfig() -> buildApp(config) -> listen, and a graceful shutdown on
 * SIGTERM and SIGINT (stop accepting, store every room, close the database, exit).
 */
import { buildApp } from './app.ts'
import type { Config } from './config.ts'

export async function serve(
  config: Config,
  onListening?: (address: string) => void,
): Promise<void> {
  const { app } = await buildApp(config)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    const deadline = setTimeout(() => {
      app.log.error('shutdown took too long; exiting')
      process.exit(1)
    }, config.shutdownTimeoutMs)
    deadline.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  const address = await app.listen({ port: config.port, host: config.host })
  onListening?.(address)
}
