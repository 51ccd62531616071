/**
 * Keeps credentials out of the log. A personal access token travels in the URL of a websocket
 * upgrade (`?token=kartu_...`), and Fastify logs every request's URL at info; the session cookie
 * and bearer tokens travel in headers, which a careless `log.info({ headers })` would print.
 * Three layers, so that one mistake in our code or a framework message does not leak:
 *
 * 1. the `req` serializer writes the URL with the token parameter's value replaced;
 * 2. pino's `redact` censors the credential headers wherever a logged object carries them;
 * 3. `hooks.streamWrite` scrubs every finished line of anything shaped like a credential
 *    (`token=...`, `kartu_session=...`, `Bearer ...`, `kartu_` tokens): Fastify itself puts the
 *    raw URL into some messages, for example the FST_ERR_BAD_URL error's.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import { TOKEN_PREFIX } from '../auth/secrets.ts'
import type { Config } from '../config.ts'

export const REDACTED = '[redacted]'

export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>

/** Query parameters whose value is a credential (compared after decoding, case-insensitively). */
const SECRET_PARAMETERS = new Set(['token', 'access_token'])

/**
 * `name=value` pairs that carry a credential, in a URL, a cookie header or an error message,
 * also when the `=` is percent-encoded (a URL inside another). The value stops before anything
 * that ends it in a URL, a cookie list or a JSON string, so that a scrubbed JSON line stays valid.
 */
const SECRET_PAIR = new RegExp(`(token|${SESSION_COOKIE})(=|%3D)[^&;#\\s"'\\\\]*`, 'gi')
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi
/** A personal access token wherever it appears: the prefix and its 43 base64url characters. */
const ACCESS_TOKEN = new RegExp(`${TOKEN_PREFIX}[A-Za-z0-9_-]{20,}`, 'g')

/** Replaces anything shaped like a credential in free text (messages, stacks, whole lines). */
export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_PAIR, `$1$2${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(ACCESS_TOKEN, `${TOKEN_PREFIX}${REDACTED}`)
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase()
  } catch {
    // A badly encoded name: compare it as it stands.
    return name.toLowerCase()
  }
}

/**
 * The request URL as it may be logged: the value of every credential parameter replaced, whatever
 * the spelling of its name (`%74oken` is parsed as `token`), and never decoded, so that a badly
 * encoded URL is redacted too.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?')
  if (queryAt === -1) return redactSecrets(url)
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equalsAt = pair.indexOf('=')
      const name = equalsAt === -1 ? pair : pair.slice(0, equalsAt)
      return SECRET_PARAMETERS.has(decodedName(name)) ? `${name}=${REDACTED}` : pair
    })
    .join('&')
  return redactSecrets(`${url.slice(0, queryAt)}?${query}`)
}

/** Paths censored wherever a logged object carries them: request or response headers, keys. */
const SECRET_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  'token',
  '*.token',
  'password',
  '*.password',
]

/** Fastify's `logger` option: the level, and the three layers above. */
export function loggerOptions(level: Config['logLevel']): LoggerOptions {
  return {
    level,
    serializers: {
      // Fastify's own fields, with the URL redacted. Whatever else is logged as `req` (a raw
      // IncomingMessage, a plain object) is reduced to the same fields, never its headers.
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    redact: {
      paths: SECRET_PATHS,
      censor: REDACTED,
    },
    hooks: { streamWrite: redactSecrets },
  }
}
