/**
 * Per-person connection limit and message size limit, against a real server process.
 */
import { cardDocumentName } from '@kartu/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type Seeded, seed } from './helpers/seed.ts'
import { type ServerProcess, startServer } from './helpers/serverProcess.ts'

function open(url: string): Promise<{ socket: WebSocket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.on('open', () => resolve({ socket, status: 101 }))
    socket.on('unexpected-response', (_req, res) =>
      resolve({ socket, status: res.statusCode ?? 0 }),
    )
    socket.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error)
    })
  })
}

describe('connection limits', () => {
  let seeded: Seeded
  let server: ServerProcess
  beforeAll(async () => {
    seeded = await seed()
    server = await startServer(seeded.dataDir, {
      KARTU_MAX_CONNECTIONS_PER_USER: '2',
      KARTU_MAX_MESSAGE_BYTES: '4096',
    })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses a third connection of one person with 429, not another person’s', async () => {
    const url = (user: string) =>
      `${server.wsUrl}/${cardDocumentName(seeded.cardIds[0] as string)}?token=${seeded.users[user]?.token}`
    const first = await open(url('kp2mi'))
    const second = await open(url('kp2mi'))
    const third = await open(url('kp2mi'))
    const other = await open(url('kemlu'))
    expect([first.status, second.status, third.status, other.status]).toEqual([101, 101, 429, 101])
    for (const { socket } of [first, second, third, other]) socket.terminate()
  })

  it('closes a socket that sends a message over the size limit with 4413, which clients do not retry', async () => {
    const { socket } = await open(
      `${server.wsUrl}/${cardDocumentName(seeded.cardIds[1] as string)}?token=${seeded.users.kp2mi?.token}`,
    )
    const code = await new Promise<number>((resolve) => {
      socket.on('close', (closeCode) => resolve(closeCode))
      socket.send(new Uint8Array(10_000))
    })
    expect(code).toBe(4413)
  })
})
