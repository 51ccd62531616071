/**
 * Hocuspocus (@hocuspocus/server 4.x) with its defaults, an onLoadDocument hook that loads each
 * document's start state, and no extension: no authentication hook, no validation, no storage
 * (with a storage extension, onStoreDocument would run debounced: 2 s, at most 10 s).
 */
import { Server } from '@hocuspocus/server'
import * as Y from 'yjs'
import { storedState } from './state.ts'

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  async onLoadDocument({ documentName, document }) {
    Y.applyUpdate(document, storedState(documentName))
  },
})
await server.listen()
process.stdout.write(`listening ${server.address.port}\n`)
