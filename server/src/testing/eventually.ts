/**
 * Waits until a check holds, polling it: for what a test cannot await directly (a watcher that
 * looks once a second, a socket closed by another node, a row written after a commit). Fails
 * with what it waited for, so that a timeout says which expectation never came true.
 */
export type EventuallyOptions = {
  /** How long to wait before failing (ms). */
  timeoutMs?: number
  /** How long between two checks (ms). */
  intervalMs?: number
}

export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 10_000, intervalMs = 50 }: EventuallyOptions = {},
): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
