/**
 * Security headers on every answer: the app page, the static files, the API's JSON and its
 * errors. One set of options serves @fastify/helmet (its onRequest hook covers everything that is
 * routed, including 404s and errors) and the few answers Fastify gives before routing, where no
 * hook runs (a URL it cannot decode: see errorAnswers.ts).
 */
import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import helmet from 'helmet'
import type { Config } from '../config.ts'

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60

/** True when browsers reach Kartu over https (the configured public origin says so). */
export function servesHttps(config: Config): boolean {
  return config.publicOrigins.some((origin) => origin.startsWith('https:'))
}

/** ws://host for http://host, wss://host for https://host. */
function websocketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws')
}

/**
 * The Content-Security-Policy's directives. No inline script and no eval: the built index.html
 * loads only /assets/*.js, and the client turns off zod's generated validators. Inline styles
 * stay allowed: ProseMirror, Tiptap and the collaboration carets set style attributes.
 */
export function contentSecurityPolicyDirectives(config: Config): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    // data: for the favicon, which index.html carries inline.
    imgSrc: ["'self'", 'data:'],
    // 'self' covers the same-origin ws:/wss: websocket in CSP3 browsers; the public origins'
    // websocket forms are listed for browsers whose 'self' does not (older WebKit).
    connectSrc: ["'self'", ...config.publicOrigins.map(websocketOrigin)],
    // The service worker, /sw.js.
    workerSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  }
}

/**
 * The options, in a plain shape that both helmet's own typings and @fastify/helmet's (which
 * carry a second copy of helmet's, with a different `unique symbol`) accept.
 */
export type SecurityHeaderOptions = {
  contentSecurityPolicy: { useDefaults: false; directives: Record<string, string[]> }
  xFrameOptions: { action: 'deny' }
  referrerPolicy: { policy: 'no-referrer' }
  strictTransportSecurity: { maxAge: number; includeSubDomains: boolean } | false
}

export function securityHeaderOptions(config: Config): SecurityHeaderOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: contentSecurityPolicyDirectives(config),
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only over https: a browser that saw it would refuse plain http to this name for a year.
    // Not for subdomains, which may be other services of the same office.
    strictTransportSecurity: servesHttps(config)
      ? { maxAge: ONE_YEAR_SECONDS, includeSubDomains: false }
      : false,
    // Helmet's remaining defaults stay: X-Content-Type-Options nosniff, Cross-Origin-Opener-
    // and -Resource-Policy same-origin, Origin-Agent-Cluster, X-DNS-Prefetch-Control off, and
    // no X-Powered-By.
  }
}

/** Registers the headers for every routed request (pages, files, API, 404 and errors). */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifyHelmet, { global: true, ...securityHeaderOptions(config) })
}

/** Sets the same headers on an answer that no hook sees (Fastify's frameworkErrors). */
export function securityHeaderSetter(
  config: Config,
): (request: FastifyRequest, reply: FastifyReply) => void {
  const setHeaders = helmet(securityHeaderOptions(config))
  return (request, reply) =>
    setHeaders(request.raw, reply.raw, (error) => {
      if (error) throw error
    })
}
