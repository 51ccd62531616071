/**
 * A card's briefing (speaker, key data, follow-up questions, sensitivities, references) read from
 * the fields a deck import kept beside the card (`extra`, the deck file's own names). The file
 * is someone else's format: each field is read on its own, and one that does not have the
 * expected shape is left out rather than failing the card.
 */
import { type BriefingSpeaker, type CardBriefing, EMPTY_BRIEFING } from '@kartu/protocol'
import { z } from 'zod'

/** A deck's speaker entry, as in the deck file (`speakers`). */
export const speakerFileSchema = z.object({
  id: z.string().min(1),
  role_id: z.string().default(''),
  role_en: z.string().default(''),
  ministry: z.string().nullable().default(null),
  note: z.string().default(''),
})
export type SpeakerFile = z.infer<typeof speakerFileSchema>

/** The speaker as kept with an imported card: resolved from the deck's list at import. */
const keptSpeakerSchema = z.object({
  role: z.string(),
  ministry: z.string().nullable(),
  note: z.string().default(''),
})

const keyDataSchema = z.array(
  z.object({
    label: z.string(),
    value: z.union([z.string(), z.number()]).transform(String),
    unit: z.string().default(''),
    source_ministry: z.string().nullable().default(null),
    as_of: z.string().nullable().default(null),
    confirmed: z.boolean().default(false),
  }),
)

const followUpsSchema = z.array(
  z.object({
    text_id: z.string().optional(),
    text: z.string().optional(),
    hint_id: z.string().default(''),
  }),
)

const textsSchema = z.array(z.string())

/** The deck's speaker `id` as kept with a card (null when the deck does not list it). */
export function keptSpeaker(
  id: unknown,
  speakers: readonly SpeakerFile[],
): z.infer<typeof keptSpeakerSchema> | null {
  if (typeof id !== 'string') return null
  const speaker = speakers.find((candidate) => candidate.id === id)
  if (!speaker) return { role: id, ministry: null, note: '' }
  return {
    role: speaker.role_id || speaker.role_en || id,
    ministry: speaker.ministry,
    note: speaker.note,
  }
}

function read<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value)
  return parsed.success ? parsed.data : fallback
}

function speakerOf(value: unknown): BriefingSpeaker | null {
  // Cards imported before speakers were resolved keep the deck's speaker id only.
  if (typeof value === 'string') return { role: value, ministry: null, note: '' }
  return read(keptSpeakerSchema.nullable(), value ?? null, null)
}

export function briefingOf(extra: Record<string, unknown>): CardBriefing {
  return {
    speaker: speakerOf(extra.speaker_detail ?? extra.speaker),
    backupSpeaker: speakerOf(extra.backup_speaker_detail ?? extra.backup_speaker),
    keyData: read(keyDataSchema, extra.key_data, []).map((entry) => ({
      label: entry.label,
      value: entry.value,
      unit: entry.unit,
      sourceMinistry: entry.source_ministry,
      asOf: entry.as_of,
      confirmed: entry.confirmed,
    })),
    followUps: read(followUpsSchema, extra.anticipated_followups, [])
      .map((entry) => ({ question: entry.text_id ?? entry.text ?? '', hint: entry.hint_id }))
      .filter((entry) => entry.question.length > 0),
    sensitivities: read(textsSchema, extra.sensitivities, []),
    references: read(textsSchema, extra.references, []),
  }
}

/** `extra` as stored (JSON text); anything but an object reads as no briefing. */
export function briefingOfStored(text: string): CardBriefing {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return EMPTY_BRIEFING
    return briefingOf(value as Record<string, unknown>)
  } catch {
    return EMPTY_BRIEFING
  }
}
