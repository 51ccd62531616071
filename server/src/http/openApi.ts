/**
 * The API's description, generated from the routes' zod schemas (never written by hand): the
 * OpenAPI document at /api/docs/json (and /api/docs/yaml), and Swagger UI's page at /api/docs.
 * Registered before the routes, whose schemas @fastify/swagger collects as they are added.
 *
 * Swagger UI's page loads its scripts and styles from /api/docs/static/ (no inline script), so
 * it runs under the app's Content-Security-Policy unchanged; its call to the public validator
 * (an image from validator.swagger.io, which img-src refuses) is turned off.
 */
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'
import { SecurityScheme } from '../api/routeSchemas.ts'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import { TOKEN_PREFIX } from '../auth/secrets.ts'

export const DOCS_PREFIX = '/api/docs'

/** A route as registered, for the test that every /api route is in the document. */
export type RegisteredRoute = { method: string; url: string; hidden: boolean }

/**
 * Registers the document and its page; returns the list of routes added after it, filled in
 * as they are added.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<readonly RegisteredRoute[]> {
  const routes: RegisteredRoute[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const hidden = route.schema?.hide === true
    for (const method of methods) routes.push({ method, url: route.url, hidden })
  })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kartu API',
        version: '1',
        description:
          'Decks of cue cards, their cards and members, and the signed-in account. Every error ' +
          'answers `{ error: { code, message, issues? } }`; `issues` lists what was wrong with ' +
          'a request that does not match its schema (400, code `invalid_request`). The cards’ ' +
          'answers are edited over the collaboration websocket (/collab/), not described here.',
      },
      components: {
        securitySchemes: {
          [SecurityScheme.Bearer]: {
            type: 'http',
            scheme: 'bearer',
            description: `A personal access token, \`Authorization: Bearer ${TOKEN_PREFIX}...\`, issued by an administrator with \`kartu token issue\`.`,
          },
          [SecurityScheme.Session]: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'The browser’s session, from POST /api/auth/sign-in. A request that changes ' +
              'something with it must carry an Origin of the app.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { validatorUrl: null },
  })
  return routes
}
