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
import {
  cardBriefingSchema,
  cardSchema,
  clusterSchema,
  deckMembershipSchema,
  deckSchema,
  errorResponseSchema,
  memberSchema,
  ministrySchema,
  userSchema,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from 'fastify-type-provider-zod'
import { z } from 'zod'
import { SecurityScheme } from '../api/routeSchemas.ts'
import { SESSION_COOKIE } from '../auth/Auth.ts'
import { TOKEN_PREFIX } from '../auth/secrets.ts'

export const DOCS_PREFIX = '/api/docs'

/**
 * The shapes the document names (components/schemas) and refers to wherever a route uses them,
 * so that a program generating its types from the document gets `Card`, not an anonymous object
 * per route. A registry of our own, not zod's global one, so that building the app twice in one
 * process (the tests) does not register an id twice. A shape a request takes in is named with
 * "Input" after it, where it differs (defaults are optional there).
 */
const namedSchemas = z.registry<{ id: string }>()
for (const [id, schema] of [
  ['Error', errorResponseSchema],
  ['User', userSchema],
  ['Ministry', ministrySchema],
  ['Cluster', clusterSchema],
  ['DeckMembership', deckMembershipSchema],
  ['Deck', deckSchema],
  ['CardBriefing', cardBriefingSchema],
  ['Card', cardSchema],
  ['Member', memberSchema],
] as const) {
  namedSchemas.add(schema, { id })
}

const withNamedSchemas = createJsonSchemaTransformObject({ schemaRegistry: namedSchemas })

/**
 * Drops the components nothing refers to: each named shape gets an output and an input form, and
 * most are only ever answered, never taken in.
 */
function withoutUnusedSchemas<T extends object>(document: T): T {
  const copy = structuredClone(document)
  const schemas = (copy as { components?: { schemas?: Record<string, unknown> } }).components
    ?.schemas
  if (!schemas) return copy
  const routesText = JSON.stringify({ ...copy, components: null })
  // Until nothing changes: a component may be used only by another one that went.
  for (let changed = true; changed; ) {
    changed = false
    for (const name of Object.keys(schemas)) {
      const ref = `"#/components/schemas/${name}"`
      const usedByAnother = Object.entries(schemas).some(
        ([other, schema]) => other !== name && JSON.stringify(schema).includes(ref),
      )
      if (!routesText.includes(ref) && !usedByAnother) {
        delete schemas[name]
        changed = true
      }
    }
  }
  return copy
}

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
    transform: createJsonSchemaTransform({ schemaRegistry: namedSchemas }),
    transformObject: (document) => withoutUnusedSchemas(withNamedSchemas(document)),
  })
  await app.register(fastifySwaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { validatorUrl: null },
  })
  return routes
}
