/**
 * Sign in, sign out, and who am I. Sign-ins are rate-limited per account and per address
 * (auth/SignInLimiter.ts) and, like sign-outs, recorded in the audit log.
 */
import { type MeResponse, meResponseSchema, signInRequestSchema } from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  signInEvent,
  signInFailedEvent,
  signInThrottledEvent,
  signOutEvent,
} from '../audit/auditEvents.ts'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'
import { HttpError, sendTooManyAttempts } from './errors.ts'
import { requireUser, signedInFirst } from './guards.ts'
import { errorResponses, noContent, signedIn } from './routeSchemas.ts'

async function meResponse(services: Services, user: UserRecord): Promise<MeResponse> {
  const { repository } = services.storage
  const ministries = await repository.listMinistries()
  return {
    user: { id: user.id, email: user.email, name: user.name, ministryId: user.ministryId },
    ministry: ministries.find((m) => m.id === user.ministryId) ?? null,
    decks: await repository.listDecksOf(user.id),
  }
}

export function registerAuthRoutes(app: FastifyInstance, services: Services): void {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: services.config.secureCookies,
  }

  const api = app.withTypeProvider<ZodTypeProvider>()

  api.post(
    '/api/auth/sign-in',
    {
      schema: {
        summary: 'Sign in with email and password: sets the session cookie.',
        description:
          'Limited per account and per address: over the limit, 429 with Retry-After. ' +
          'Other programs use a personal access token instead.',
        tags: ['auth'],
        body: signInRequestSchema,
        response: { 200: meResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body
      const address = request.ip
      // Checked before the password, which is then not looked at: over the limit, a right
      // password and a wrong one get the same answer.
      const attempt = await services.signInLimiter.begin(body.email, address)
      if (!attempt.ok) {
        request.log.warn({ email: body.email, address, scope: attempt.scope }, 'sign-in throttled')
        await services.audit.append(
          signInThrottledEvent({ email: body.email, address, scope: attempt.scope }),
        )
        return sendTooManyAttempts(
          reply,
          attempt.retryAfterSec,
          `Too many failed sign-ins. Try again in ${Math.ceil(attempt.retryAfterSec / 60)} min.`,
        )
      }
      const user = await services.auth.checkPassword(body.email, body.password)
      if (!user) {
        request.log.info({ email: body.email, address }, 'failed sign-in')
        await services.audit.append(signInFailedEvent({ email: body.email, address }))
        throw new HttpError(401, 'invalid_credentials', 'Wrong email or password.')
      }
      await services.signInLimiter.succeeded(attempt.ticket)
      if (user.disabledAt !== null) {
        // Said only to whoever knows the password: the account exists, and is refused.
        request.log.info({ userId: user.id, address }, 'sign-in to a disabled account')
        await services.audit.append(signInFailedEvent({ email: body.email, address }))
        throw new HttpError(403, 'account_disabled', 'This account is disabled.')
      }
      const secret = await services.auth.startSession(user.id)
      // Recorded before the cookie is handed out: a sign-in that cannot be audited fails.
      await services.audit.append(signInEvent({ userId: user.id, email: user.email, address }))
      reply.setCookie(SESSION_COOKIE, secret, {
        ...cookieOptions,
        maxAge: Math.floor(services.config.sessionMaxMs / 1000),
      })
      request.log.info({ userId: user.id }, 'signed in')
      return meResponse(services, user)
    },
  )

  api.post(
    '/api/auth/sign-out',
    {
      schema: {
        summary: 'End this browser’s session and clear its cookie.',
        tags: ['auth'],
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const secret = request.cookies[SESSION_COOKIE]
      const userId = secret ? await services.auth.endSession(secret) : null
      if (userId) {
        // The session's open websockets close now (4401), not at the next poll.
        await services.permissions.refresh()
        await services.audit.append(signOutEvent({ userId, address: request.ip }))
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions)
      return reply.code(204).send(null)
    },
  )

  api.get(
    '/api/me',
    {
      preValidation: signedInFirst(services),
      schema: {
        summary: 'Who is signed in: the account, its ministry and its decks.',
        tags: ['auth'],
        security: signedIn,
        response: { 200: meResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      return meResponse(services, user)
    },
  )
}
