/**
 * The metrics of one app: its own registry with the node label, the live figures read at each
 * scrape, and what a real room and a real relay report through the observers.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RejectCode, Role } from '@kartu/protocol'
import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import type { DocumentPlacement } from '../cluster/documentPlacement.ts'
import { Room } from '../collab/Room.ts'
import type { AppliedUpdate } from '../collab/roomListener.ts'
import { relayForwarded, routeConnection } from '../http/forwardedConnection.ts'
import type { LeaseHolder } from '../store/postgres/DocumentLeases.ts'
import {
  edit,
  participant,
  recordingLogger,
  syncUpdate,
  TEST_ROOTS,
  waitFor,
} from '../testing/collabFixtures.ts'
import { parsePrometheusText, type Sample, sampleValue } from '../testing/prometheusText.ts'
import { RecordingSocket } from '../testing/RecordingSocket.ts'
import { openTempStorage, type TempStorage } from '../testing/tempStorage.ts'
import { KartuMetrics } from './metrics.ts'

/** An update as a room tells its listeners once applied (what it holds is not read here). */
function applied(): AppliedUpdate {
  return {
    documentName: 'card:c1',
    doc: new Y.Doc(),
    participant: participant('e', Role.Editor),
    update: new Uint8Array(),
    newClients: [],
    decisions: [],
    blockLocks: [],
  }
}

async function scrape(metrics: KartuMetrics): Promise<Sample[]> {
  return parsePrometheusText(await metrics.text())
}

describe('KartuMetrics', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('labels every sample with its node and reads the live figures at each scrape', async () => {
    const metrics = new KartuMetrics({ node: 'kartu-1', processMetrics: false })
    let connections = 3
    metrics.countLive({ connections: () => connections, rooms: () => 2 })
    let samples = await scrape(metrics)
    expect(sampleValue(samples, 'kartu_connections')).toBe(3)
    expect(sampleValue(samples, 'kartu_rooms')).toBe(2)
    expect(sampleValue(samples, 'kartu_forwarded_connections')).toBe(0)
    expect(samples.length).toBeGreaterThan(0)
    for (const sample of samples) expect(sample.labels.node, sample.name).toBe('kartu-1')
    connections = 1
    samples = await scrape(metrics)
    expect(sampleValue(samples, 'kartu_connections')).toBe(1)
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
  })

  it('keeps each app’s counts apart, and adds the process metrics unless told not to', async () => {
    const one = new KartuMetrics({ node: 'single' })
    const other = new KartuMetrics({ node: 'single' })
    one.updateCounter.updateApplied?.(applied())
    one.roomObserver.refused(RejectCode.ReadOnly)
    const oneSamples = await scrape(one)
    const otherSamples = await scrape(other)
    expect(sampleValue(oneSamples, 'kartu_updates_total')).toBe(1)
    // Handed over at each scrape, the count is never added twice.
    expect(sampleValue(await scrape(one), 'kartu_updates_total')).toBe(1)
    one.updateCounter.updateApplied?.(applied())
    expect(sampleValue(await scrape(one), 'kartu_updates_total')).toBe(2)
    expect(sampleValue(otherSamples, 'kartu_updates_total')).toBe(0)
    expect(sampleValue(oneSamples, 'kartu_refusals_total', { code: 'read_only' })).toBe(1)
    expect(sampleValue(otherSamples, 'kartu_refusals_total', { code: 'read_only' })).toBe(undefined)
    // Before any live figures are given, the gauges say 0 rather than failing the scrape.
    expect(sampleValue(oneSamples, 'kartu_connections')).toBe(0)
    expect(sampleValue(oneSamples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0)
    expect(sampleValue(oneSamples, 'process_resident_memory_bytes')).toBeGreaterThan(0)
    const bare = await scrape(new KartuMetrics({ node: 'single', processMetrics: false }))
    expect(bare.some((sample) => sample.name.startsWith('process_'))).toBe(false)
  })

  it('counts what a real room reports: updates, commits, Persisted and refusals', async () => {
    const temp: TempStorage = await openTempStorage()
    cleanups.push(() => temp.cleanup())
    const metrics = new KartuMetrics({ node: 'single', processMetrics: false })
    const room = await Room.load('card:metrics', {
      store: temp.storage.documents,
      logger: recordingLogger(),
      compactAfterUpdates: 1000,
      allowedRoots: TEST_ROOTS,
      listeners: [metrics.updateCounter],
      observer: metrics.roomObserver,
    })
    cleanups.push(() => room.destroy())
    const socket = new RecordingSocket()
    const editor = room.addConnection(socket, participant('e', Role.Editor))
    const doc = new Y.Doc()
    room.handleMessage(editor, syncUpdate(edit(doc, 'satu ')))
    room.handleMessage(editor, syncUpdate(edit(doc, 'dua ')))
    await room.drain()
    room.handleMessage(editor, syncUpdate(edit(doc, 'tiga')))
    await room.drain()
    expect(socket.persisted().map((p) => p.seq)).toContain(3)
    const viewer = room.addConnection(new RecordingSocket(), participant('v', Role.Viewer))
    room.handleMessage(viewer, syncUpdate(edit(new Y.Doc(), 'tidak')))
    room.handleMessage(viewer, syncUpdate(edit(new Y.Doc(), 'tidak')))

    const samples = await scrape(metrics)
    expect(sampleValue(samples, 'kartu_updates_total')).toBe(3)
    // One measurement per commit batch, not per update: at least the two drained ones.
    const commits = sampleValue(samples, 'kartu_commit_seconds_count') ?? 0
    expect(commits).toBeGreaterThanOrEqual(2)
    expect(commits).toBeLessThanOrEqual(3)
    const persisted = sampleValue(samples, 'kartu_persisted_seconds_count') ?? 0
    expect(persisted).toBeGreaterThanOrEqual(2)
    expect(persisted).toBeLessThanOrEqual(3)
    expect(sampleValue(samples, 'kartu_commit_seconds_sum')).toBeGreaterThan(0)
    // Seconds, not milliseconds: a commit to a temp database takes well under ten seconds.
    expect(sampleValue(samples, 'kartu_persisted_seconds_sum')).toBeLessThan(10 * persisted)
    expect(sampleValue(samples, 'kartu_commit_seconds_bucket', { le: '+Inf' })).toBe(commits)
    expect(sampleValue(samples, 'kartu_refusals_total', { code: RejectCode.ReadOnly })).toBe(2)
  })

  it('counts relays while they are open, and times opening the connection to the holder', async () => {
    const metrics = new KartuMetrics({ node: 'kartu-2', processMetrics: false })
    // Real websockets: one server stands for this node (the person's socket ends there) and for
    // the holder (the internal websocket routeConnection opens ends there too).
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const accepted: WebSocket[] = []
    server.on('connection', (socket) => accepted.push(socket))
    const person = new WebSocket(`ws://127.0.0.1:${port}/collab/card:c1`)
    await waitFor(() => accepted.length === 1, 'the person’s socket')
    // Where the document is: always the other node (the placement's leases are not under test).
    const holder: LeaseHolder = {
      nodeId: 'kartu-1',
      nodeUrl: `http://127.0.0.1:${port}`,
      token: 1,
      expiresAt: Date.now() + 60_000,
    }
    const placement: Pick<DocumentPlacement, 'place' | 'takeOver'> = {
      place: async () => ({ here: false, holder }),
      takeOver: async () => ({ here: false, holder }),
    }
    const log = Fastify({ logger: false }).log
    const upstream = await routeConnection(
      {
        placement: placement as DocumentPlacement,
        secret: 's'.repeat(32),
        connectTimeoutMs: 2000,
        observer: metrics.forwardObserver,
      },
      { documentName: 'card:c1', participant: participant('e', Role.Editor) },
      log,
    )
    expect(upstream).not.toBeNull()
    // As the transport calls it: the observer comes with the socket routeConnection opened.
    relayForwarded(accepted[0] as WebSocket, upstream as WebSocket, log)
    let samples = await scrape(metrics)
    expect(sampleValue(samples, 'kartu_forwarded_connections')).toBe(1)
    expect(sampleValue(samples, 'kartu_forward_connect_seconds_count')).toBe(1)
    expect(sampleValue(samples, 'kartu_forward_connect_seconds_sum')).toBeGreaterThan(0)
    person.close()
    await waitFor(() => upstream?.readyState === WebSocket.CLOSED, 'the relay to close')
    samples = await scrape(metrics)
    expect(sampleValue(samples, 'kartu_forwarded_connections')).toBe(0)
  })

  it('exports every metric the Grafana dashboard queries', async () => {
    const file = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../../docs/grafana/kartu-dashboard.json',
    )
    const dashboard = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>
    }
    const queries = dashboard.panels.flatMap((panel) => panel.targets ?? [])
    expect(queries.length).toBeGreaterThan(10)
    const text = await new KartuMetrics({ node: 'single' }).text()
    const declared = new Set(Array.from(text.matchAll(/^# TYPE (\S+) /gm), (match) => match[1]))
    const queried = new Set(
      queries.flatMap(({ expr }) =>
        Array.from(expr.matchAll(/\b((?:kartu|process|nodejs)_[a-z0-9_]+)/g), (match) =>
          (match[1] as string).replace(/_bucket$/, ''),
        ),
      ),
    )
    expect(queried.size).toBeGreaterThan(8)
    for (const name of queried) expect(declared.has(name), name).toBe(true)
  })
})
