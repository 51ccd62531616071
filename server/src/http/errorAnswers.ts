/**
 * What the API answers for errors raised by Fastify or a plugin rather than by our routes: a
 * fixed code and message per kind of error. Never the error's own message: Fastify's messages
 * quote the request (FST_ERR_BAD_URL repeats the URL, and with it a `?token=`; a media type error
 * repeats the Content-Type), and an answer is no place for what the caller sent.
 */
import { STATUS_CODES } from 'node:http'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { securityHeaderSetter } from './securityHeaders.ts'

export type ErrorBody = { error: { code: string; message: string } }

const BAD_URL = { code: 'bad_url', message: 'The address is not valid.' }
const INVALID_JSON = { code: 'invalid_json', message: 'The request body is not valid JSON.' }

/** Fastify's own error codes (lib/errors.js) that a request can provoke. */
const FRAMEWORK_ERRORS: Readonly<Record<string, ErrorBody['error']>> = {
  FST_ERR_BAD_URL: BAD_URL,
  FST_ERR_INVALID_URL: BAD_URL,
  FST_ERR_MAX_PARAM_LENGTH: BAD_URL,
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_JSON,
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_JSON,
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'The request body must be JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_body',
    message: 'The request body does not match its length.',
  },
  FST_ERR_VALIDATION: { code: 'invalid_request', message: 'The request is not valid.' },
  FST_ERR_NOT_FOUND: { code: 'not_found', message: 'Not found.' },
}

/** Codes for the statuses an unknown error may carry; its message is the status's name. */
const STATUS_ERRORS: Readonly<Record<number, string>> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  414: 'bad_url',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
}

/** The body for a 4xx error that is not one of ours (not an HttpError, not a ZodError). */
export function clientErrorBody(statusCode: number, errorCode: string | undefined): ErrorBody {
  const known = errorCode === undefined ? undefined : FRAMEWORK_ERRORS[errorCode]
  if (known) return { error: known }
  return {
    error: {
      code: STATUS_ERRORS[statusCode] ?? 'bad_request',
      message: `${STATUS_CODES[statusCode] ?? 'Bad Request'}.`,
    },
  }
}

export const INTERNAL_ERROR: ErrorBody = { error: { code: 'internal', message: 'Internal error.' } }

type FrameworkErrorHandler = (
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) => void

/**
 * Fastify's `frameworkErrors` option: answers the errors Fastify meets before routing (a URL it
 * cannot decode, a parameter too long, a failing route constraint). No hook runs for these, so the
 * security headers are set here.
 */
export function frameworkErrorAnswer(config: Config): FrameworkErrorHandler {
  const setSecurityHeaders = securityHeaderSetter(config)
  return (error, request, reply) => {
    setSecurityHeaders(request, reply)
    const status = error.statusCode ?? 400
    if (status >= 500) {
      request.log.error({ code: error.code }, 'request failed before routing')
      reply.code(500).send(INTERNAL_ERROR)
      return
    }
    // The code only: the error's message quotes the URL (the log scrubs it too, but need not).
    request.log.info({ code: error.code, statusCode: status }, 'request refused before routing')
    reply.code(status).send(clientErrorBody(status, error.code))
  }
}
