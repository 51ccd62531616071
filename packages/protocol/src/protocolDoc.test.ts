/**
 * docs/protocol.md's tables of close codes and refusal codes say what the enums say: every code
 * documented with its number and name, nothing documented that the enum lacks. The tables are
 * what other clients are written from; a code added to the enum and not to the doc, or left in
 * the doc after it went, fails here.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CloseCode, RejectCode } from './wire.ts'

const doc = readFileSync(
  fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)),
  'utf8',
)

/** The rows of the first table after `heading`: its cells, without header and separator. */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(heading)
  if (start < 0) throw new Error(`docs/protocol.md has no "${heading}"`)
  const lines = doc.slice(start).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
  }
  return rows
}

describe('docs/protocol.md', () => {
  it('lists every close code of CloseCode with its number and name, and no other', () => {
    const documented = tableAfter('## Close codes').map(([code, name]) => `${code} ${name}`)
    const enumerated = Object.entries(CloseCode).map(([name, code]) => `${code} ${name}`)
    expect(documented.sort()).toEqual(enumerated.sort())
  })

  it('lists every refusal code of RejectCode, and no other', () => {
    const documented = tableAfter('### Rejected').map(([code]) => code?.replaceAll('`', ''))
    expect(documented.sort()).toEqual(Object.values(RejectCode).sort())
  })

  it('marks no documented code as not sent or reserved', () => {
    const rows = [...tableAfter('## Close codes'), ...tableAfter('### Rejected')]
    const unsent = rows.filter((cells) => /\b(not sent|reserved)\b/i.test(cells.join(' ')))
    expect(unsent).toEqual([])
  })
})
