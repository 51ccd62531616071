/**
 * The signed-in person's own account: changing their password. The current password is asked
 * again (a session left open on a shared laptop must not be enough), and wrong guesses count
 * against the same limits as sign-ins.
 */
import { passwordChangeRequestSchema } from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { signInFailedEvent } from '../audit/auditEvents.ts'
import { identify } from '../http/requestAuth.ts'
import type { Services } from '../services.ts'
import { HttpError, sendTooManyAttempts } from './errors.ts'
import { requireUser, signedInFirst } from './guards.ts'
import { errorResponses, noContent, signedIn } from './routeSchemas.ts'

export function registerAccountRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.post(
    '/api/me/password',
    {
      preValidation: signedInFirst(services),
      schema: {
        summary: 'Change one’s own password; the other sessions of the account end.',
        tags: ['account'],
        security: signedIn,
        body: passwordChangeRequestSchema,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const body = request.body
      const attempt = await services.signInLimiter.begin(user.email, request.ip)
      if (!attempt.ok) {
        return sendTooManyAttempts(
          reply,
          attempt.retryAfterSec,
          'Too many wrong passwords. Try again later.',
        )
      }
      if (!(await services.auth.checkPassword(user.email, body.currentPassword))) {
        await services.audit.append(signInFailedEvent({ email: user.email, address: request.ip }))
        throw new HttpError(400, 'wrong_password', 'The current password is not right.')
      }
      await services.signInLimiter.succeeded(attempt.ticket)
      const identity = await identify(services, request)
      // This browser stays signed in; every other session of the person ends (and its sockets).
      const keepSessionHash =
        identity?.credential.kind === 'session' ? identity.credential.secretHash : undefined
      const { sessionsEnded } = await services.accounts.setPassword({
        actorUserId: user.id,
        userId: user.id,
        password: body.newPassword,
        keepSessionHash,
      })
      request.log.info({ userId: user.id, sessionsEnded }, 'password changed')
      return reply.code(204).send(null)
    },
  )
}
