/**
 * `GET /api/unsubscribe?token=`: the link at the foot of every Kartu e-mail, and in its
 * List-Unsubscribe header (inbox/mailer.ts). It needs no sign-in (the person may be reading mail
 * anywhere): the token, one per person, is the only key, and all it can do is turn that person's
 * e-mail off. The answer is a page in Indonesian and English; an unknown token gets a 404 page
 * that says nothing more (not whether the person exists).
 *
 * A GET changes the settings because that is what a link in a mail can do. A mail scanner that
 * opens links would turn e-mail off too; the page says how to turn it on again, and the inbox in
 * the app is untouched.
 */
import { DEFAULT_NOTIFICATION_SETTINGS } from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { escapeHtml } from '../inbox/mailTemplates.ts'
import type { Services } from '../services.ts'
import { errorResponses } from './routeSchemas.ts'

const unsubscribeQuery = z.object({ token: z.string().min(1).max(200) })

/** An HTML answer, described with its media type. */
const htmlResponse = (description: string) => ({
  description,
  content: { 'text/html': { schema: z.string() } },
})

function page(title: string, paragraphs: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="id"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(title)}</title></head><body><main>`,
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((text, index) =>
      // Every other paragraph is the English one.
      index % 2 === 1 ? `<p lang="en">${escapeHtml(text)}</p>` : `<p>${escapeHtml(text)}</p>`,
    ),
    '</main></body></html>',
    '',
  ].join('\n')
}

const UNSUBSCRIBED = page('E-mail Kartu dimatikan · Kartu e-mail turned off', [
  'Anda tidak akan lagi menerima e-mail dari Kartu. Kotak masuk Anda di Kartu tetap berjalan; e-mail dapat dinyalakan lagi di pengaturan notifikasi.',
  'You will no longer receive e-mail from Kartu. Your inbox in Kartu still works; e-mail can be turned on again in your notification settings.',
])

const UNKNOWN = page('Tautan tidak dikenal · Unknown link', [
  'Tautan berhenti berlangganan ini tidak dikenal.',
  'This unsubscribe link is not known.',
])

export function registerUnsubscribeRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.get(
    '/api/unsubscribe',
    {
      schema: {
        summary:
          'Turn off a person’s e-mail (mentions and digest), from the link in every mail: no sign-in, the token is the key.',
        tags: ['inbox'],
        querystring: unsubscribeQuery,
        response: {
          200: htmlResponse('A page saying, in Indonesian and English, that e-mail is off.'),
          404: htmlResponse('The token is nobody’s.'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { inbox } = services.storage
      const userId = await inbox.findUnsubscribeToken(request.query.token)
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8')
      if (userId === null) return reply.code(404).send(UNKNOWN)
      const settings =
        (await inbox.getNotificationSettings(userId)) ?? DEFAULT_NOTIFICATION_SETTINGS
      await inbox.setNotificationSettings(userId, {
        ...settings,
        emailMentions: false,
        emailDigest: false,
      })
      request.log.info({ userId }, 'e-mail turned off from an unsubscribe link')
      return reply.code(200).send(UNSUBSCRIBED)
    },
  )
}
