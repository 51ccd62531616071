/**
 * The minutes of a rakor as a Word file, read back from its parts.
 */
import type { Element } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { writeMinutesDocx } from './docxExport.ts'
import { EXPORTED_AT, minutes, readDocx, wordElements, wordText } from './docxFixtures.ts'

async function minutesDocument(value = minutes()) {
  const docx = readDocx(await writeMinutesDocx(value))
  const document = docx.xml('word/document.xml')
  if (!document) throw new Error('no word/document.xml')
  return { docx, document }
}

function rowsOf(table: Element): string[][] {
  return wordElements(table, 'tr').map((row) =>
    wordElements(row, 'tc').map((cell) => wordText(cell)),
  )
}

describe('writeMinutesDocx', () => {
  it('heads the minutes with the deck, the session and its window, who closed it and the ministries present', async () => {
    const { document } = await minutesDocument()
    const body = wordText(document)
    for (const part of [
      'Notulen rakor',
      'Kartu Jawaban Dialog CMW 2026',
      'Sesi: Rakor hari 1 <pagi> & siang',
      // 02:00 UTC is 09:00 in Jakarta; five hours later, 14:00.
      'Waktu: 10 Maret 2026 09:00 – 10 Maret 2026 14:00',
      'Ditutup oleh: Ketua Rakor (KemenHAM)',
      'Tanggal ekspor / Exported: 12 Maret 2026',
      'K/L yang hadir',
    ]) {
      expect(body).toContain(part)
    }
    const present = wordElements(document, 'p')
      .filter((p) => wordElements(p, 'numPr').length > 0)
      .map((p) => wordText(p))
    // The ministries present are the first bulleted list (the sign-off entries are the second).
    expect(present.slice(0, 4)).toEqual([
      'KP2MI — Kementerian Pelindungan Pekerja Migran Indonesia',
      'Kemlu — Kementerian Luar Negeri',
      'Kemnaker — Kementerian Ketenagakerjaan',
      'KemenHAM — Kementerian Hak Asasi Manusia',
    ])
    expect(present).toHaveLength(6)
  })

  it('lists each decision with time, card, kind, text, outcome, reason, proposer and decider', async () => {
    const { document } = await minutesDocument()
    const [table] = wordElements(document, 'tbl')
    if (!table) throw new Error('no table of decisions')
    const [header, ...rows] = rowsOf(table)
    expect(header).toEqual([
      'Waktu',
      'Kartu',
      'Jenis',
      'Teks',
      'Hasil',
      'Alasan',
      'Diusulkan oleh',
      'Diputuskan oleh',
    ])
    expect(rows[0]).toEqual([
      '10 Maret 2026 09:20',
      'CC-01',
      'penambahan',
      'secara konsisten',
      'diterima',
      'diterima dengan perubahan',
      'Siti Rahma (KP2MI)',
      'Ketua Rakor (KemenHAM)',
    ])
    expect(rows.map((row) => row[2])).toEqual([
      'penambahan',
      'penghapusan',
      'penggantian',
      'paragraf baru',
      'penggabungan paragraf',
      'perubahan format',
      'pemindahan',
    ])
    expect(rows.map((row) => row[4])).toEqual([
      'diterima',
      'ditolak',
      'diterima',
      'ditarik',
      'diterima',
      'ditolak',
      'diterima',
    ])
    expect(rows[1]?.[6]).toBe('Budi Santoso (Kemlu)')
    // A proposer no longer known by name: the id the decision recorded.
    expect(rows[6]?.[6]).toBe('u-gone')
    expect(rows[6]?.[5]).toBe('ditunda ke ibu kota <capital> & seterusnya')
    // The header row repeats on every page the table runs over.
    const [firstRow] = wordElements(table, 'tr')
    expect(firstRow && wordElements(firstRow, 'tblHeader')).toHaveLength(1)
  })

  it('lists the clearances and finals of the session, with an override’s reason', async () => {
    const { document } = await minutesDocument()
    const text = wordText(document)
    expect(text).toContain('Persetujuan K/L dan final')
    expect(text).toContain('CC-01: KP2MI menyetujui teks (Siti')
    expect(text).toContain(
      'CC-01: ditetapkan final oleh Ketua Rakor (KemenHAM); tanpa persetujuan Kemlu, alasan: Kemlu setuju lisan <rakor> & tertulis menyusul',
    )
  })

  it('says so when the session took no decisions and no ministry is recorded', async () => {
    const { document } = await minutesDocument({
      ...minutes(),
      decisions: [],
      ministries: [],
      signOff: [],
    })
    expect(wordText(document)).toContain(
      'Tidak ada persetujuan atau penetapan final dalam sesi ini.',
    )
    expect(wordElements(document, 'tbl')).toHaveLength(0)
    expect(wordText(document)).toContain('Tidak ada keputusan dalam sesi ini.')
    expect(wordText(document)).toContain('Tidak tercatat.')
  })

  it('prints the session still open as running up to the export, on landscape pages with the marking', async () => {
    const open = minutes()
    open.session = { name: '', from: null, to: EXPORTED_AT, closedBy: null }
    const { docx, document } = await minutesDocument(open)
    const body = wordText(document)
    expect(body).toContain('Waktu: s.d. 12 Maret 2026 10:30')
    expect(body).toContain('Ditutup oleh: —')
    const [size] = wordElements(document, 'pgSz')
    expect(size?.getAttributeNS(size.namespaceURI, 'orient')).toBe('landscape')
    expect(Number(size?.getAttributeNS(size.namespaceURI, 'w'))).toBeGreaterThan(
      Number(size?.getAttributeNS(size.namespaceURI, 'h')),
    )
    const footer = docx.xml('word/footer1.xml')
    expect(footer && wordText(footer)).toContain('TERBATAS')
    expect(docx.names.filter((name) => name.includes('comments'))).toEqual([])
  })
})
