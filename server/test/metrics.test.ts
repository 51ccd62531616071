/**
 * What operators watch, against the real server: GET /metrics is not there without
 * KARTU_METRICS_TOKEN, wants that token as a bearer when it is set, and then counts what people
 * do (connections, updates, commits, Persisted, refusals) in text a Prometheus scraper reads.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { parsePrometheusText, type Sample, sampleValue } from '../src/testing/prometheusText.ts'
import { connectClient, firstText, type TestClient, waitFor } from './helpers/clients.ts'
import { connectRaw, type RawClient } from './helpers/rawClient.ts'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

const TOKEN = 'metrics-scraper-token-0123456789'

describe('GET /metrics', () => {
  let plain: ServerProcess
  let measured: ServerProcess
  let seeded: Seeded
  const clients: TestClient[] = []
  const raws: RawClient[] = []

  beforeAll(async () => {
    const [plainSeed, measuredSeed] = await Promise.all([seed(), seed()])
    seeded = measuredSeed
    ;[plain, measured] = await Promise.all([
      startServer(plainSeed.dataDir),
      startServer(measuredSeed.dataDir, { KARTU_METRICS_TOKEN: TOKEN }),
    ])
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const raw of raws) raw.close()
    await Promise.all([plain?.stop(), measured?.stop()])
  })

  const get = (server: ServerProcess, authorization?: string) =>
    fetch(`${server.httpUrl}/metrics`, authorization ? { headers: { authorization } } : {})

  async function scrape(): Promise<Sample[]> {
    const response = await get(measured, `Bearer ${TOKEN}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    return parsePrometheusText(await response.text())
  }

  it('is not found without KARTU_METRICS_TOKEN, whatever the request bears', async () => {
    expect((await get(plain)).status).toBe(404)
    expect((await get(plain, `Bearer ${TOKEN}`)).status).toBe(404)
  })

  it('wants the token as a bearer when it is set', async () => {
    const missing = await get(measured)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    expect((await get(measured, 'Bearer not-the-metrics-token-at-all')).status).toBe(401)
    expect((await get(measured, TOKEN)).status).toBe(401)
    expect((await get(measured, `Bearer ${TOKEN}`)).status).toBe(200)
  })

  it('counts a person’s edit: the connection, the update, its commit and its Persisted', async () => {
    const cardId = seeded.cardIds[0] as string
    const client = connectClient(
      measured.wsUrl,
      cardDocumentName(cardId),
      seeded.users.kp2mi?.token as string,
    )
    clients.push(client)
    await client.synced()
    firstText(client.doc).insert(0, 'Diukur: ')
    await client.saved()

    const samples = await scrape()
    expect(sampleValue(samples, 'kartu_connections', { node: 'single' })).toBeGreaterThanOrEqual(1)
    expect(sampleValue(samples, 'kartu_rooms')).toBeGreaterThanOrEqual(1)
    expect(sampleValue(samples, 'kartu_updates_total')).toBeGreaterThanOrEqual(1)
    expect(sampleValue(samples, 'kartu_commit_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(sampleValue(samples, 'kartu_persisted_seconds_count')).toBeGreaterThanOrEqual(1)
    // One process, no relays; and prom-client's process metrics beside Kartu's own.
    expect(sampleValue(samples, 'kartu_forwarded_connections')).toBe(0)
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('counts a refused update by its code', async () => {
    const readOnly = (samples: Sample[]) =>
      sampleValue(samples, 'kartu_refusals_total', { code: 'read_only' }) ?? 0
    const before = readOnly(await scrape())
    const url = `${measured.wsUrl}/${cardDocumentName(seeded.cardIds[1] as string)}`
    const viewer = await connectRaw(url, seeded.users.viewer?.token as string)
    raws.push(viewer)
    await viewer.synced()
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(viewer.doc))
    const state = Y.encodeStateVector(copy)
    firstText(copy).insert(0, 'tidak boleh ')
    viewer.sendUpdate(Y.encodeStateAsUpdate(copy, state))
    // The edit is the connection's second update (seq 2): the first is its answer to the
    // server's SyncStep1, which a reader's connection has refused too (read_only) since before
    // metrics, so the counter rises by every refusal this connection was sent.
    await waitFor(() => viewer.rejected.some((r) => r.seq === 2), 5_000, 'the refusal')
    expect(viewer.rejected.every((r) => r.code === 'read_only')).toBe(true)
    expect(readOnly(await scrape())).toBe(before + viewer.rejected.length)
  })

  it('answers text every line of which a Prometheus scraper reads', async () => {
    const response = await get(measured, `Bearer ${TOKEN}`)
    const text = await response.text()
    const samples = parsePrometheusText(text)
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? \S+$/)
    }
    for (const sample of samples) expect(sample.labels.node, sample.name).toBe('single')
    for (const name of [
      'kartu_connections',
      'kartu_rooms',
      'kartu_forwarded_connections',
      'kartu_updates_total',
      'kartu_commit_seconds',
      'kartu_persisted_seconds',
      'kartu_refusals_total',
      'kartu_forward_connect_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `)
    }
    // The token is a secret: the server's log never holds it.
    expect(measured.output()).not.toContain(TOKEN)
  })
})
