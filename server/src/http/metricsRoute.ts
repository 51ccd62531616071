/**
 * `GET /metrics`: the Prometheus text of metrics/metrics.ts, for the operators' scraper. Never
 * public: what it tells (load, latencies, refusals) helps an attacker time an attack. So it is
 * served only when KARTU_METRICS_TOKEN is set, and only to a request that bears that token
 * (`Authorization: Bearer …`, 401 otherwise); without the setting it answers 404, as any unknown
 * path does.
 *
 * Registered even without the setting: otherwise the client's fallback would answer the path
 * with the app's page (200), which a scraper would read as a server without metrics.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { KartuMetrics } from '../metrics/metrics.ts'

export const METRICS_PATH = '/metrics'

const NOT_FOUND = { error: { code: 'not_found', message: 'Not found.' } }
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'The metrics token is needed.' } }

/** Compared as digests: equal lengths for timingSafeEqual, whatever length was sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** Whether an Authorization header is `Bearer <the token>` (the scheme in any case). */
export function bearsToken(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return false
  return timingSafeEqual(digest(match[1]), expected)
}

/** `metrics` is null exactly when `token` is: nothing is measured when no one may read it. */
export function registerMetricsRoute(
  app: FastifyInstance,
  token: string | null,
  metrics: KartuMetrics | null,
): void {
  const expected = token === null ? null : digest(token)
  // Not in the API's description: it is the operators', not the API's users'.
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (expected === null || metrics === null) return reply.code(404).send(NOT_FOUND)
    if (!bearsToken(request.headers.authorization, expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send(UNAUTHORIZED)
    }
    const text = await metrics.text()
    return reply
      .header('content-type', metrics.contentType)
      .header('cache-control', 'no-store')
      .send(text)
  })
}
