/**
 * The y-websocket server (@y/websocket-server), as its own bin/server.js runs it, with a
 * persistence binding that only loads each document's start state (what y-leveldb's bindState
 * would do) and stores nothing. With a binding, a document is unloaded when its last client
 * leaves, as with any persistence. No authentication, no validation, no storage.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setPersistence, setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { storedState } from './state.ts'

setPersistence({
  provider: null,
  bindState: (name: string, doc: Y.Doc) => {
    Y.applyUpdate(doc, storedState(name))
  },
  writeState: async () => {},
})

const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
