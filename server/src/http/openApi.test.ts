/**
 * The API's description is generated from the routes' schemas, and those schemas hold: every
 * /api route is in the OpenAPI document with its request and answer shapes, a request that does
 * not match answers 400 with the issues, and an answer that does not match its schema is never
 * sent.
 */
import {
  type Card,
  cardResponseSchema,
  errorResponseSchema,
  meResponseSchema,
} from '@kartu/protocol'
import { serializerCompiler } from 'fastify-type-provider-zod'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SecurityScheme } from '../api/routeSchemas.ts'
import { type BuiltApp, buildApp } from '../app.ts'
import { configFrom } from '../config.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { DOCS_PREFIX } from './openApi.ts'

type Operation = {
  parameters?: { in: string; name: string; required?: boolean }[]
  requestBody?: { content: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object }> }>
  security?: Record<string, string[]>[]
}
type Document = {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Operation>>
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string }>
    schemas: Record<string, object>
  }
}

/** `/api/decks/:deckId` as OpenAPI writes it: `/api/decks/{deckId}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

const OPEN_ROUTES = new Set([
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-out',
  // The link in every e-mail: its token is the key (api/unsubscribeRoutes.ts).
  'GET /api/unsubscribe',
])

/** Routes whose request has no body: what they do is all in their path. */
const BODYLESS = new Set(['POST /api/auth/sign-out', 'POST /api/cards/:cardId/clearances'])

describe('the OpenAPI document', () => {
  let temp: TempStorage
  let built: BuiltApp
  let document: Document
  let token: string

  beforeAll(async () => {
    temp = await openTempStorage()
    const config = configFrom({ KARTU_LOG_LEVEL: 'silent', KARTU_DATA_DIR: temp.dir })
    built = await buildApp(config, temp.storage)
    await built.app.ready()
    const { repository } = temp.storage
    await repository.upsertMinistry({
      id: 'KP2MI',
      short: 'KP2MI',
      nameId: 'Kementerian P2MI',
      nameEn: 'Ministry of Migrant Workers',
      aliases: [],
      color: '#123456',
    })
    await repository.createUser({
      id: 'u1',
      email: 'u1@kartu.test',
      name: 'Satu',
      ministryId: 'KP2MI',
      passwordHash: null,
    })
    token = (await built.services.auth.issueToken('u1', 'test')).token
    const answer = await built.app.inject({ url: `${DOCS_PREFIX}/json` })
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['content-type']).toMatch(/^application\/json/)
    document = answer.json()
  })
  afterAll(async () => {
    await built?.app.close()
    await temp?.cleanup()
  })

  it('is OpenAPI 3 with the two credentials as security schemes', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/)
    expect(document.info.title).toBe('Kartu API')
    expect(document.components.securitySchemes[SecurityScheme.Bearer]).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    })
    expect(document.components.securitySchemes[SecurityScheme.Session]).toMatchObject({
      type: 'apiKey',
    })
  })

  it('names the shared shapes, and every reference in it resolves', () => {
    const schemas = document.components.schemas
    expect(schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'] } },
    })
    expect(schemas.Card).toMatchObject({ type: 'object', properties: { briefing: {} } })
    const refs = [
      ...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ]
    expect(refs.length).toBeGreaterThan(0)
    for (const [, name] of refs) expect(schemas[name as string], name).toBeDefined()
    // And nothing is named that nothing uses.
    for (const name of Object.keys(schemas)) {
      expect(JSON.stringify(document), name).toContain(`"#/components/schemas/${name}"`)
    }
  })

  it('describes every /api route the app has, with its parameters, body and answers', () => {
    const apiRoutes = built.routes.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith(DOCS_PREFIX) && r.method !== 'HEAD',
    )
    // A guard against a vacuous pass: the routes of today.
    expect(apiRoutes.length).toBeGreaterThanOrEqual(13)
    for (const route of apiRoutes) {
      const name = `${route.method} ${route.url}`
      expect(route.hidden, name).toBe(false)
      const operation = document.paths[openApiPath(route.url)]?.[route.method.toLowerCase()]
      expect(operation, `${name} is not in the OpenAPI document`).toBeDefined()
      if (!operation) continue
      // Each path parameter is described.
      for (const [, param] of route.url.matchAll(/:([A-Za-z0-9_]+)/g)) {
        expect(
          operation.parameters?.some((p) => p.in === 'path' && p.name === param && p.required),
          `${name}: parameter ${param}`,
        ).toBe(true)
      }
      // A body for the methods that take one (sign-out and clearing a card take none): JSON, or
      // a file upload.
      if (['POST', 'PUT', 'PATCH'].includes(route.method) && !BODYLESS.has(name)) {
        const content = operation.requestBody?.content
        expect(
          content?.['application/json']?.schema ?? content?.['multipart/form-data']?.schema,
          name,
        ).toBeDefined()
      }
      // A success answer, with a JSON schema unless it has no body, and the error shape.
      const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status))
      expect(success, name).toHaveLength(1)
      const status = success[0] as string
      if (status !== '204') {
        // JSON, or a file of its media type (the briefing book's exports).
        const content = operation.responses[status]?.content ?? {}
        const described = Object.values(content).map((entry) => entry?.schema)
        expect(described.length, name).toBeGreaterThan(0)
        for (const schema of described) expect(schema, name).toBeDefined()
      }
      for (const errors of ['4XX', '5XX']) {
        const schema = operation.responses[errors]?.content?.['application/json']?.schema
        expect(schema, `${name} ${errors}`).toEqual({ $ref: '#/components/schemas/Error' })
      }
      if (!OPEN_ROUTES.has(name)) {
        expect(operation.security, name).toEqual([
          { [SecurityScheme.Bearer]: [] },
          { [SecurityScheme.Session]: [] },
        ])
      }
    }
  })

  it('is served with the Swagger UI page, under the app’s security headers', async () => {
    const page = await built.app.inject({ url: `${DOCS_PREFIX}/` })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    // No inline script: the page's scripts are files, which the CSP's script-src 'self' allows.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self';")
  })

  it('answers a request that does not match its schema with 400 and the issues', async () => {
    const unsigned = await built.app.inject({
      method: 'PATCH',
      url: '/api/cards/c1',
      payload: { timeBudgetSec: 'long' },
    })
    // Who is asking comes first: no description of the route to a caller who is not signed in.
    expect(unsigned.statusCode).toBe(401)
    expect(unsigned.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in first.' } })

    const invalid = await built.app.inject({
      method: 'PATCH',
      url: '/api/cards/c1',
      headers: { authorization: `Bearer ${token}` },
      payload: { timeBudgetSec: 'long', articles: ['ok', 7] },
    })
    expect(invalid.statusCode).toBe(400)
    const body = errorResponseSchema.parse(invalid.json())
    expect(body.error.code).toBe('invalid_request')
    expect(body.error.message).toBe('The request is not valid.')
    expect(body.error.issues?.map((i) => i.path).sort()).toEqual(['articles.1', 'timeBudgetSec'])

    const me = await built.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(me.statusCode).toBe(200)
    expect(meResponseSchema.parse(me.json()).user.email).toBe('u1@kartu.test')
  })
})

describe('answers are serialized through their schema', () => {
  const card: Card = {
    id: 'c1',
    deckId: 'd1',
    ref: 'CC-01',
    cluster: 'C1',
    questionRef: '',
    question: 'Q?',
    questionId: '',
    articles: [],
    leadMinistry: 'KP2MI',
    contributingMinistries: [],
    status: 'draft',
    timeBudgetSec: 120,
    wordCount: 0,
    openSuggestions: 0,
    openThreads: 0,
    mentionedMinistries: [],
    locked: false,
    suggestOnly: false,
    position: 0,
    dueDate: null,
    clearances: [],
    updatedAt: '2026-01-01T00:00:00.000Z',
    briefing: {
      speaker: null,
      backupSpeaker: null,
      keyData: [],
      followUps: [],
      sensitivities: [],
      references: [],
    },
  }
  const serialize = serializerCompiler({
    schema: cardResponseSchema,
    method: 'GET',
    url: '/api/cards/:cardId',
  })

  it('sends what matches, and no field the schema does not name', () => {
    const sent = JSON.parse(serialize({ card: { ...card, extra: { internal: 1 } }, role: 'chair' }))
    expect(sent).toEqual({ card, role: 'chair' })
  })

  it('refuses an answer that does not match (which the app answers with a 500)', () => {
    const { locked: _, ...withoutLock } = card
    expect(() => serialize({ card: withoutLock, role: 'chair' })).toThrow(
      /doesn't match the schema/,
    )
    expect(() => serialize({ card, role: 'owner' })).toThrow()
  })
})
