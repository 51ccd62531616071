import { EMPTY_BRIEFING } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import { briefingOf, briefingOfStored, keptSpeaker } from './cardBriefing.ts'

const speakers = [
  {
    id: 'SPK-HAM',
    role_id: 'Juru bicara KemenHAM',
    role_en: '',
    ministry: 'KEMENHAM',
    note: 'contoh',
  },
]

describe('a card’s briefing from the fields its deck file kept', () => {
  it('reads the speaker, key data, follow-ups, sensitivities and references', () => {
    const briefing = briefingOf({
      speaker_detail: keptSpeaker('SPK-HAM', speakers),
      backup_speaker_detail: keptSpeaker('SPK-UNKNOWN', speakers),
      key_data: [
        {
          label: 'Peraturan turunan',
          value: 12,
          unit: 'peraturan',
          source_ministry: 'KP2MI',
          as_of: '2025-09-30',
          confirmed: true,
        },
      ],
      anticipated_followups: [
        { text_id: 'Mengapa belum terbit?', hint_id: 'Jelaskan harmonisasi.' },
      ],
      sensitivities: ['Angka harus sama dengan laporan.'],
      references: ['UU 18/2017'],
    })
    expect(briefing).toEqual({
      speaker: { role: 'Juru bicara KemenHAM', ministry: 'KEMENHAM', note: 'contoh' },
      backupSpeaker: { role: 'SPK-UNKNOWN', ministry: null, note: '' },
      keyData: [
        {
          label: 'Peraturan turunan',
          value: '12',
          unit: 'peraturan',
          sourceMinistry: 'KP2MI',
          asOf: '2025-09-30',
          confirmed: true,
        },
      ],
      followUps: [{ question: 'Mengapa belum terbit?', hint: 'Jelaskan harmonisasi.' }],
      sensitivities: ['Angka harus sama dengan laporan.'],
      references: ['UU 18/2017'],
    })
  })

  it('leaves out a field of the wrong shape and keeps the others', () => {
    const briefing = briefingOf({
      speaker: 'SPK-HAM',
      key_data: 'not a list',
      anticipated_followups: [{ hint_id: 'no question' }],
      sensitivities: [1, 2],
      references: ['CMW/C/IDN/CO/1'],
    })
    expect(briefing).toEqual({
      ...EMPTY_BRIEFING,
      speaker: { role: 'SPK-HAM', ministry: null, note: '' },
      references: ['CMW/C/IDN/CO/1'],
    })
  })

  it('reads stored text that is not an object, or not JSON, as no briefing', () => {
    expect(briefingOfStored('[1]')).toEqual(EMPTY_BRIEFING)
    expect(briefingOfStored('{broken')).toEqual(EMPTY_BRIEFING)
    expect(briefingOfStored('{}')).toEqual(EMPTY_BRIEFING)
  })
})
