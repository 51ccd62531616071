/**
 * A warning said at most once per interval, with how many were held back since the last one.
 * While Redis is away every publish and every sign-in would log the same line, many times a
 * second; one line every few seconds says as much.
 */
import type { Logger } from '../collab/types.ts'

export type ThrottledWarning = (fields: object, message: string) => void

export function throttledWarning(
  logger: Pick<Logger, 'warn'>,
  intervalMs = 10_000,
  now: () => number = Date.now,
): ThrottledWarning {
  let last = Number.NEGATIVE_INFINITY
  let held = 0
  return (fields, message) => {
    const at = now()
    if (at - last < intervalMs) {
      held++
      return
    }
    last = at
    logger.warn(held > 0 ? { ...fields, alsoSince: held } : fields, message)
    held = 0
  }
}
