/**
 * buildApp(config): the whole server as a Fastify instance, plugins registered in an explicit
 * order. It never listens; main.ts and the tests do.
 */
import fs from 'node:fs'
import path from 'node:path'
import fastifyCookie from '@fastify/cookie'
import fastifyMultipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import { UnauthorizedReason } from '@kartu/protocol'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { ZodError } from 'zod'
import { registerAccountRoutes } from './api/accountRoutes.ts'
import { registerAuthRoutes } from './api/authRoutes.ts'
import { registerDeckRoutes } from './api/deckRoutes.ts'
import { HttpError } from './api/errors.ts'
import { registerExportRoutes } from './api/exportRoutes.ts'
import { registerImportRoutes } from './api/importRoutes.ts'
import { registerInboxRoutes } from './api/inboxRoutes.ts'
import { registerMemberRoutes } from './api/memberRoutes.ts'
import { healthResponseSchema, readinessResponseSchema } from './api/routeSchemas.ts'
import { registerSearchRoutes } from './api/searchRoutes.ts'
import { registerSignOffRoutes } from './api/signOffRoutes.ts'
import { registerUnsubscribeRoutes } from './api/unsubscribeRoutes.ts'
import { registerVersionRoutes } from './api/versionRoutes.ts'
import { AuditLog } from './audit/AuditLog.ts'
import { Auth, CredentialState } from './auth/Auth.ts'
import { signInLimiterFor } from './auth/SharedSignInLimiter.ts'
import { BriefingBook } from './briefing/briefingBook.ts'
import { CardContentReader } from './briefing/cardContent.ts'
import { DOCX_LIMITS } from './briefing/docxZip.ts'
import { ExportJobs } from './briefing/exportJobs.ts'
import { ExportRunner } from './briefing/exportRunner.ts'
import { DeckWordImport } from './briefing/importDeckFromWord.ts'
import { CardImport } from './briefing/importIntoCard.ts'
import { accessChangesAcrossNodes } from './cluster/accessChanges.ts'
import { ClusterBus } from './cluster/clusterBus.ts'
import { DocumentPlacement } from './cluster/documentPlacement.ts'
import { CollabServer } from './collab/CollabServer.ts'
import { cardStatsRecorder } from './collab/cardStats.ts'
import { auditTrail } from './collab/listeners/auditTrail.ts'
import { PermissionWatcher } from './collab/PermissionWatcher.ts'
import { RoomManager } from './collab/RoomManager.ts'
import type { Config } from './config.ts'
import { DeckActivity } from './history/activity.ts'
import { CardVersions } from './history/cardVersions.ts'
import { EditRecorder } from './history/editRecorder.ts'
import { VersionRecorder } from './history/versionRecorder.ts'
import { VersionRestore } from './history/versionRestore.ts'
import { VisitRecorder } from './history/visitRecorder.ts'
import { cacheControlFor, isAppRoute, isServedFile } from './http/clientFiles.ts'
import { registerCollabTransport } from './http/collabTransport.ts'
import { clientErrorBody, frameworkErrorAnswer, INTERNAL_ERROR } from './http/errorAnswers.ts'
import { loggerOptions } from './http/logRedaction.ts'
import { registerMetricsRoute } from './http/metricsRoute.ts'
import { type RegisteredRoute, registerOpenApi } from './http/openApi.ts'
import { registerOriginCheck } from './http/originCheck.ts'
import { registerSecurityHeaders } from './http/securityHeaders.ts'
import { DueDates } from './inbox/dueDates.ts'
import { Inbox } from './inbox/inbox.ts'
import { Mailer } from './inbox/mailer.ts'
import { threadNotices } from './inbox/threadNotices.ts'
import { KartuMetrics } from './metrics/metrics.ts'
import { DeckSearch } from './search/deckSearch.ts'
import { indexMissingAnswers, searchIndexer } from './search/searchIndexer.ts'
import { Accounts } from './services/accounts.ts'
import { Cards } from './services/cards.ts'
import { Members } from './services/members.ts'
import { SuggestOnlySwitches } from './services/suggestOnly.ts'
import type { Services } from './services.ts'
import { AnswerHashes } from './signoff/answerHashes.ts'
import { clearanceWatcher } from './signoff/clearanceWatcher.ts'
import { SignOff } from './signoff/signOff.ts'
import { openStorage, type Storage } from './store/openStore.ts'

export type BuiltApp = {
  app: FastifyInstance
  services: Services
  /** Every route, as registered (the OpenAPI document's test compares them). */
  routes: readonly RegisteredRoute[]
}

/** The close reason a connection gets when its credential no longer holds (close code 4401). */
const CLOSE_REASONS: Record<Exclude<CredentialState, 'valid'>, UnauthorizedReason> = {
  ended: UnauthorizedReason.SignedOut,
  expired: UnauthorizedReason.SessionExpired,
  revoked: UnauthorizedReason.TokenRevoked,
  disabled: UnauthorizedReason.AccountDisabled,
}

export async function buildApp(config: Config, storage?: Storage): Promise<BuiltApp> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    frameworkErrors: frameworkErrorAnswer(config),
    bodyLimit: 1024 * 1024,
    // Closing idle keep-alive sockets lets app.close() finish promptly on SIGTERM.
    forceCloseConnections: 'idle',
    // Behind a reverse proxy, request.ip (rate limits, audit) comes from X-Forwarded-For.
    trustProxy: config.trustProxy,
  })
  const store =
    storage ??
    (await openStorage({
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
      node: config.cluster && {
        nodeId: config.cluster.nodeId,
        nodeUrl: config.cluster.nodeUrl,
        ttlMs: config.cluster.leaseTtlMs,
      },
    }))
  const audit = new AuditLog(store.repository, { logger: app.log })
  const cardStats = cardStatsRecorder(store.repository, app.log)
  const editRecorder = new EditRecorder(store.repository, app.log)
  const versions = new CardVersions(
    store.repository,
    store.documents,
    app.log,
    config.versionBudgetBytes,
    editRecorder,
  )
  const versionRecorder = new VersionRecorder(versions, app.log, config.versionQuietMs)
  const visitRecorder = new VisitRecorder(versions, store.repository, app.log)
  // Several nodes: what every node must hear at once (inbox events, access changes, sign-in
  // failures) goes through Redis; none of it is needed for correctness (decision 0018).
  const bus = config.cluster
    ? new ClusterBus({
        redisUrl: config.cluster.redisUrl,
        nodeId: config.cluster.nodeId,
        logger: app.log,
      })
    : null
  const inbox = new Inbox(store.inbox, store.repository, store.signOff, app.log, bus)
  const answerHashes = new AnswerHashes(store.signOff, store.repository, inbox)
  const clearances = clearanceWatcher(answerHashes, app.log)
  const searchIndex = searchIndexer(store.search, app.log)
  // Several nodes (decision 0018): a room loads here only under this node's lease.
  const placement =
    config.cluster && store.leases
      ? new DocumentPlacement(store.leases, app.log, config.cluster.leaseTtlMs)
      : null
  // What operators watch (GET /metrics): measured only when someone may read it.
  const metrics =
    config.metricsToken === null
      ? null
      : new KartuMetrics({ node: config.cluster?.nodeId ?? 'single' })
  const rooms = new RoomManager({
    ...(placement ? { gate: placement } : {}),
    store: store.documents,
    logger: app.log,
    compactAfterUpdates: config.compactAfterUpdates,
    unloadDelayMs: config.roomUnloadDelayMs,
    listeners: [
      auditTrail(audit),
      cardStats,
      editRecorder,
      versionRecorder,
      visitRecorder,
      clearances,
      searchIndex,
      ...(metrics ? [metrics.updateCounter] : []),
    ],
    perRoom: (context) => {
      const notices = threadNotices(context, inbox, store.repository)
      return notices ? [notices] : []
    },
    limits: {
      maxUpdateBytes: config.maxUpdateBytes,
      docWarnBytes: config.docWarnBytes,
      docMaxBytes: config.docMaxBytes,
      presenceMaxStateBytes: config.presenceMaxStateBytes,
      presenceMaxRoomBytes: config.presenceMaxRoomBytes,
      presenceFlushMs: config.presenceFlushMs,
    },
    ...(config.testRefuseText === null ? {} : { testRefuseText: config.testRefuseText }),
    ...(metrics ? { observer: metrics.roomObserver } : {}),
  })
  placement?.attach(rooms)
  placement?.start()
  const auth = new Auth(store.repository, {
    sessionIdleMs: config.sessionIdleMs,
    sessionMaxMs: config.sessionMaxMs,
  })
  const permissions = new PermissionWatcher(
    rooms,
    store.repository,
    app.log,
    config.permissionRefreshMs,
    async (credential, userId) => {
      const state = await auth.check(credential, userId)
      return state === CredentialState.Valid ? null : CLOSE_REASONS[state]
    },
  )
  // Changes of access made through the API reach open connections at once, not at the next poll,
  // on every node.
  const afterAccessChange = accessChangesAcrossNodes(bus, () => permissions.refresh())
  const cardImport = new CardImport(rooms, versions, store.repository)
  const cards = new Cards(store.repository, audit, { afterAccessChange })
  const signOff = new SignOff(
    store.repository,
    store.signOff,
    store.documents,
    versions,
    cards,
    audit,
    inbox,
    answerHashes,
    app.log,
  )
  const dueDates = new DueDates(
    store.signOff,
    inbox,
    { timeZone: config.timeZone, intervalMs: 3_600_000 },
    app.log,
  )
  const services: Services = {
    config,
    cluster:
      placement && config.cluster
        ? { placement, secret: config.cluster.secret, connectTimeoutMs: 2000 }
        : null,
    storage: store,
    auth,
    signInLimiter: signInLimiterFor(
      {
        windowMs: config.signInWindowMs,
        maxFailuresPerAccount: config.signInMaxFailuresPerAccount,
        maxFailuresPerAddress: config.signInMaxFailuresPerAddress,
      },
      bus,
      app.log,
    ),
    audit,
    rooms,
    collab: new CollabServer(
      rooms,
      app.log,
      {
        maxMessagesPerSecond: config.maxMessagesPerSecond,
        maxMessageBytes: config.maxMessageBytes,
        maxBufferedMessages: 1000,
      },
      {
        // Typing on an open card is use of the session: its idle expiry counts from the last edit.
        onEdit: (participant) => {
          if (participant.credential) {
            auth.touch(participant.credential).catch((error: unknown) => {
              app.log.warn({ err: error }, 'could not record the session’s last use')
            })
          }
        },
      },
    ),
    cardStats,
    versions,
    restore: new VersionRestore(rooms, versions, store.repository, audit),
    activity: new DeckActivity(store.repository, editRecorder),
    permissions,
    accounts: new Accounts(store.repository, audit, { afterAccessChange }),
    members: new Members(store.repository, audit, { afterAccessChange }),
    cards,
    cardImport,
    deckWordImport: new DeckWordImport(cards, cardImport, store.repository),
    suggestOnly: new SuggestOnlySwitches(store.repository, audit, {
      afterChange: afterAccessChange,
    }),
    briefing: new BriefingBook(store.repository, new CardContentReader(store.documents, app.log), {
      marking: config.exportMarking,
      timeZone: config.timeZone,
    }),
    exportRunner: new ExportRunner(
      {
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        marking: config.exportMarking,
        timeZone: config.timeZone,
      },
      app.log,
    ),
    signOff,
    inbox,
    inboxStreams: new Set(),
    dueDates,
    search: new DeckSearch(store.search),
    // E-mail only with KARTU_SMTP_URL: without it, no mailer, no mail and no error.
    mailer:
      config.smtpUrl === null
        ? null
        : new Mailer(
            { inbox: store.inbox, users: store.repository, decks: store.repository },
            {
              smtpUrl: config.smtpUrl,
              from: config.mailFrom,
              origin: config.publicOrigins[0] ?? `http://localhost:${config.port}`,
              mentionDelayMs: config.mailMentionDelayMs,
              digestIntervalMs: config.mailDigestIntervalMs,
              retryMs: config.mailRetryMs,
            },
            app.log,
          ),
    exportJobs: new ExportJobs({ ttlMs: 10 * 60_000, perUser: 2 }, (error, job) => {
      app.log.error({ err: error, job: job.id, deck: job.deckId }, 'deck export failed')
    }),
  }
  if (metrics) {
    metrics.countLive({
      connections: () => services.collab.connectionCount,
      rooms: () => rooms.size,
    })
    if (services.cluster) services.cluster.observer = metrics.forwardObserver
  }
  services.permissions.start()
  dueDates.start()
  services.mailer?.start()
  // Answers never indexed (a database from before search): in the background, a batch at a time.
  indexMissingAnswers(store.search, store.documents, app.log).catch((error: unknown) => {
    app.log.warn({ err: error }, 'answers not indexed for search')
  })

  // Requests are validated, and answers serialized, by the routes' zod schemas.
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      return reply
        .code(error.statusCode)
        .send({ error: { code: error.code, message: error.message } })
    }
    // A request that does not match its route's schema: each issue's path, dotted ('a.0.b'),
    // and zod's message, which names what was expected and never repeats the value sent.
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message: 'The request is not valid.',
          issues: error.validation.map((issue) => ({
            path: issue.instancePath.split('/').slice(1).join('.'),
            message: issue.message ?? 'Invalid input.',
          })),
        },
      })
    }
    if (error instanceof ZodError) {
      return reply.code(400).send({
        error: {
          code: 'invalid_request',
          message: 'The request is not valid.',
          issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      })
    }
    const status = (error as { statusCode?: number }).statusCode
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send(clientErrorBody(status, (error as { code?: string }).code))
    }
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).send(INTERNAL_ERROR)
  })

  // Order matters: cookies before anything that authenticates and before the Origin check;
  // websocket before its routes.
  await app.register(fastifyCookie)
  // Word in (api/importRoutes.ts): one .docx per request, no larger than the import reads.
  await app.register(fastifyMultipart, {
    limits: { fileSize: DOCX_LIMITS.maxCompressedBytes, files: 2, fields: 4 },
  })
  await registerSecurityHeaders(app, config)
  registerOriginCheck(app, config)
  await app.register(fastifyWebsocket, {
    // ws closes a frame over maxPayload itself, with 1009, which y-websocket retries for ever.
    // So ws takes up to four times the limit and the collaboration server refuses what is over
    // it with 4413, which clients do not retry; only frames past the ceiling still get 1009.
    options: { maxPayload: config.maxMessageBytes * 4 },
    // Replaces the plugin's own preClose (which closes every socket with no code): ours stores
    // every room first and closes the sockets with 4503, so clients know to reconnect.
    preClose: async () => {
      services.permissions.stop()
      services.dueDates.stop()
      // Open event streams would hold the server open: they end, and the tabs reconnect.
      for (const stream of services.inboxStreams) stream.end()
      await services.collab.close()
      app.websocketServer.close()
    },
  })

  // Before the routes: it collects their schemas as they are added.
  const routes = await registerOpenApi(app)
  const typed = app.withTypeProvider<ZodTypeProvider>()
  typed.get(
    '/healthz',
    {
      schema: {
        summary: 'The process is up.',
        tags: ['health'],
        response: { 200: healthResponseSchema },
      },
    },
    async () => ({ ok: true as const }),
  )
  typed.get(
    '/readyz',
    {
      schema: {
        summary: 'The server takes requests: open rooms, connections (and Redis, clustered).',
        tags: ['health'],
        response: { 200: readinessResponseSchema },
      },
    },
    async () => ({
      ok: true as const,
      rooms: rooms.size,
      connections: services.collab.connectionCount,
      // Reported, not required: without Redis the nodes still serve, live notices wait.
      ...(bus ? { redis: bus.state } : {}),
    }),
  )
  registerAuthRoutes(app, services)
  registerAccountRoutes(app, services)
  registerDeckRoutes(app, services)
  registerMemberRoutes(app, services)
  registerVersionRoutes(app, services)
  registerSignOffRoutes(app, services)
  registerInboxRoutes(app, services)
  registerSearchRoutes(app, services)
  registerUnsubscribeRoutes(app, services)
  registerExportRoutes(app, services)
  registerImportRoutes(app, services)
  registerCollabTransport(app, services)
  registerMetricsRoute(app, config.metricsToken, metrics)

  const hasClient = fs.existsSync(path.join(config.clientDir, 'index.html'))
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: config.clientDir,
      allowedPath: isServedFile,
      // The build writes a brotli and a gzip copy of each text file (client/build/precompress.ts):
      // served to browsers that accept them, they are a fifth of the bytes on a slow link.
      preCompressed: true,
      setHeaders: (reply, filePath) => {
        reply.header('Cache-Control', cacheControlFor(path.relative(config.clientDir, filePath)))
      },
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url
    if (request.method === 'GET' && hasClient && isAppRoute(url)) {
      // The client routes (/decks/..., /cards/...) are the SPA's: serve its entry page.
      return reply.sendFile('index.html')
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'Not found.' } })
  })

  // Shutdown order: stop taking connections (Fastify), close rooms after storing them, then
  // write pending statistics and close the database last.
  app.addHook('onClose', async () => {
    // First: what other nodes say now would reach rooms and streams that are closing, and read
    // the storage, which closes below.
    await bus?.close()
    await cardStats.flush()
    await clearances.flush()
    await searchIndex.flush()
    // Who changed what goes to disk before the versions that name them are taken.
    await editRecorder.flush()
    await visitRecorder.flush()
    // After the rooms were stored: every card changed since its last version gets one now.
    await versionRecorder.flush()
    // The export worker reads the store through its own connection: stopped before it closes.
    await services.exportRunner.close()
    // A pass in flight reads and marks inbox items: it ends before the database closes.
    await services.mailer?.close()
    // The rooms are stored and gone: their leases end, so other nodes take them at once.
    await placement?.stop()
    if (!storage) await store.close()
  })

  return { app, services, routes }
}
