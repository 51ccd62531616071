/**
 * A DocumentStore that delegates to a real one, but whose loads and appends a test can hold back
 * (gates) or make fail, to play out races deterministically.
 */
import type { DocumentStore, StoredDocument } from '../store/types.ts'

export type Gate = { readonly opened: Promise<void>; open(): void }

export function gate(): Gate {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

export class ControlledStore implements DocumentStore {
  readonly calls = { load: 0, append: 0, compact: 0 }
  /** Loads that returned (successfully or not). */
  loadsFinished = 0
  /** While set, loads and appends wait until the gate opens. */
  loadGate: Gate | null = null
  appendGate: Gate | null = null
  /** While set, loads and appends throw this once their gate has opened. */
  loadError: Error | null = null
  appendError: Error | null = null

  constructor(readonly inner: DocumentStore) {}

  async loadDocument(name: string): Promise<StoredDocument> {
    this.calls.load++
    try {
      await this.loadGate?.opened
      if (this.loadError) throw this.loadError
      return await this.inner.loadDocument(name)
    } finally {
      this.loadsFinished++
    }
  }

  async appendUpdates(name: string, updates: readonly Uint8Array[]): Promise<number> {
    this.calls.append++
    await this.appendGate?.opened
    if (this.appendError) throw this.appendError
    return this.inner.appendUpdates(name, updates)
  }

  async compact(name: string, snapshot: Uint8Array, throughSeq: number): Promise<void> {
    this.calls.compact++
    return this.inner.compact(name, snapshot, throughSeq)
  }

  listDocumentNames(): Promise<string[]> {
    return this.inner.listDocumentNames()
  }
}
