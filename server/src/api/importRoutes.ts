/**
 * Word in over REST: a .docx into a card's answer (the chair, or an editor), or into a deck as
 * one new card per question heading (the chair). One file per request, multipart; a file that
 * is not a readable Word document is refused with its reason (422, or 413 when too large) and
 * changes nothing. Every import is audited with who brought the file in.
 */
import {
  cardImportResponseSchema,
  deckImportFromWordResponseSchema,
  type ImportMode,
  importModeSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance, FastifyRequest, FastifySchema, FastifySchemaCompiler } from 'fastify'
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { wordImportedEvent } from '../audit/auditEvents.ts'
import { DOCX_LIMITS, DocxErrorCode, DocxImportError } from '../briefing/docxZip.ts'
import type { Services } from '../services.ts'
import { HttpError } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn } from './routeSchemas.ts'

/** The one file of the request, and its `mode` field (before or after the file). */
async function uploaded(request: FastifyRequest): Promise<{ bytes: Uint8Array; mode: ImportMode }> {
  if (!request.isMultipart()) {
    throw new HttpError(
      415,
      'multipart_expected',
      'Send the .docx as multipart form data (field "file").',
    )
  }
  let mode: ImportMode = 'append'
  let bytes: Uint8Array | null = null
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === 'mode') {
        const parsed = importModeSchema.safeParse(part.value)
        if (!parsed.success)
          throw new HttpError(400, 'invalid_mode', 'mode is "replace" or "append".')
        mode = parsed.data
      }
      continue
    }
    // Every file part is read to its end, so that the request can finish; only the first counts.
    const content = await part.toBuffer()
    if (part.file.truncated) {
      throw new DocxImportError(
        DocxErrorCode.TooLarge,
        `The file is over ${DOCX_LIMITS.maxCompressedBytes} bytes.`,
      )
    }
    if (part.fieldname === 'file' && bytes === null) bytes = new Uint8Array(content)
  }
  if (!bytes)
    throw new HttpError(400, 'file_missing', 'No file: send the .docx in the field "file".')
  return { bytes, mode }
}

/** The upload as the API document describes it (the handler reads the parts itself). */
const uploadBody = (withMode: boolean) =>
  z.object({
    file: z.string().meta({ format: 'binary' }).describe('The Word file (.docx), at most 10 MB.'),
    ...(withMode
      ? { mode: importModeSchema.optional().describe('replace, or append (the default).') }
      : {}),
  })

/**
 * Parameters are validated as everywhere; the multipart body is streamed by the handler, not
 * parsed before it, so there is nothing to validate there (its schema is for the description).
 */
const uploadValidator: FastifySchemaCompiler<FastifySchema> = (route) =>
  route.httpPart === 'body'
    ? (value: unknown) => ({ value })
    : validatorCompiler(route as FastifyRouteSchemaDef<z.ZodType>)

export function registerImportRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services), validatorCompiler: uploadValidator }
  const schema = { security: signedIn, tags: ['briefing book'], consumes: ['multipart/form-data'] }

  api.post(
    '/api/cards/:cardId/import',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Import a Word file into the card’s answer (replace or append): tracked changes become suggestions by their Word authors, comments threads (the chair, or an editor).',
        params: cardParams,
        body: uploadBody(true),
        response: { 200: cardImportResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      await requireCardRole(services, user.id, cardId, [Role.Chair, Role.Editor])
      const { bytes, mode } = await uploaded(request)
      // Read in the briefing worker: a large file's XML must not hold up the rooms.
      const word = await services.exportRunner.readWord(bytes)
      const result = await services.cardImport.importWord({ cardId, userId: user.id, word, mode })
      await services.audit.append(
        wordImportedEvent({
          userId: user.id,
          subject: `card:${cardId}`,
          mode,
          fileBytes: bytes.length,
          paragraphs: result.paragraphs,
          suggestions: result.suggestions,
          threads: result.threads,
        }),
      )
      return result
    },
  )

  api.post(
    '/api/decks/:deckId/import',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Make cards of a Word file, one per question heading, with their answers, suggestions and comments (the chair).',
        params: deckParams,
        body: uploadBody(false),
        response: { 200: deckImportFromWordResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const { bytes } = await uploaded(request)
      const word = await services.exportRunner.readWord(bytes)
      const result = await services.deckWordImport.importDocument({ deckId, userId: user.id, word })
      await services.audit.append(
        wordImportedEvent({
          userId: user.id,
          subject: `deck:${deckId}`,
          mode: 'cards',
          fileBytes: bytes.length,
          suggestions: result.suggestions,
          threads: result.threads,
          cardIds: result.cardIds,
        }),
      )
      return result
    },
  )
}
