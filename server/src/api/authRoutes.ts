/**
 * Sign in, sign out, and who am I.
 */
import { type MeResponse, signInRequestSchema } from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'
import { HttpError } from './errors.ts'
import { requireUser } from './guards.ts'

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

  app.post('/api/auth/sign-in', async (request, reply) => {
    const body = signInRequestSchema.parse(request.body)
    const user = await services.auth.checkPassword(body.email, body.password)
    if (!user) {
      request.log.info({ email: body.email }, 'failed sign-in')
      throw new HttpError(401, 'invalid_credentials', 'Wrong email or password.')
    }
    const secret = await services.auth.startSession(user.id)
    reply.setCookie(SESSION_COOKIE, secret, {
      ...cookieOptions,
      maxAge: Math.floor(services.config.sessionMaxMs / 1000),
    })
    request.log.info({ userId: user.id }, 'signed in')
    return meResponse(services, user)
  })

  app.post('/api/auth/sign-out', async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE]
    if (secret) await services.auth.endSession(secret)
    reply.clearCookie(SESSION_COOKIE, cookieOptions)
    return reply.code(204).send()
  })

  app.get('/api/me', async (request) => {
    const user = await requireUser(services, request)
    return meResponse(services, user)
  })
}
