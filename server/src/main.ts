/**
 * The process entry: loadConfig() -> buildApp(config) -> listen, and a graceful shutdown on
 * SIGTERM and SIGINT (stop accepting, store every room, close the database, exit).
 */
import { buildApp } from './app.ts'
import type { Config } from './config.ts'
import { holdServeLock } from './dataDirLock.ts'
import { DEMO_ACCOUNTS } from './demo/demoAccounts.ts'

export type ServeOptions = {
  onListening?: (address: string) => void
  /**
   * Log a warning while demo accounts are active (`serve`; not `demo`, which is for trying
   * Kartu on one's own machine): their password was printed on a screen once.
   */
  warnAboutDemoAccounts?: boolean
}

export async function serve(config: Config, options: ServeOptions = {}): Promise<void> {
  const { app, services } = await buildApp(config)
  const releaseLock = holdServeLock(config.dataDir)
  app.addHook('onClose', async () => releaseLock())
  if (options.warnAboutDemoAccounts) {
    const demo = await services.storage.repository.findUsersByEmail(
      DEMO_ACCOUNTS.map((account) => account.email),
    )
    const active = demo.filter((user) => user.disabledAt === null).map((user) => user.email)
    if (active.length > 0) {
      app.log.warn(
        { accounts: active },
        `WARNING: ${active.length} demo accounts are active; anyone who saw the demo password can sign in. ` +
          'Disable each with `pnpm kartu user disable --email E` before others can reach this server.',
      )
    }
  }
  if (config.testRefuseText !== null) {
    app.log.warn(
      { word: config.testRefuseText },
      'WARNING: KARTU_TEST_REFUSE_TEXT is set: updates that write this word into an answer are ' +
        'refused (test_refusal). A setting for tests only; unset it on any server people use.',
    )
  }
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
  options.onListening?.(address)
}
