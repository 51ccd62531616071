/**
 * What the parts of one Word file share while its body is written: the w:id values (one
 * sequence for tracked changes and comments, so that no two of them share an id, which Word
 * answers with a repair prompt), the comments, and the numbered lists the numbering part must
 * define.
 */
import { AlignmentType, type ICommentOptions, type ILevelsOptions, LevelFormat } from 'docx'

/** A tracked change as Word records it: its own w:id, who, and when (ISO 8601, no fraction). */
export type Change = { id: number; author: string; date: string }

/** Bullet list levels: Word's own sequence of bullet characters. */
const BULLETS = ['•', '◦', '▪'] as const
export const BULLET_LIST = 'kartu-bullet'

/** HTML's list `type` (the answer's ordered list attribute) as Word's number format. */
const ORDERED_FORMATS = {
  '1': { format: LevelFormat.DECIMAL, name: 'decimal' },
  a: { format: LevelFormat.LOWER_LETTER, name: 'lower-letter' },
  A: { format: LevelFormat.UPPER_LETTER, name: 'upper-letter' },
  i: { format: LevelFormat.LOWER_ROMAN, name: 'lower-roman' },
  I: { format: LevelFormat.UPPER_ROMAN, name: 'upper-roman' },
} as const
type OrderedType = keyof typeof ORDERED_FORMATS

/** Word's nine list levels; the answer nests deeper only in theory, and is clamped. */
export const LIST_LEVELS = 9
/** Indent of a list level's text, in twips; continuation paragraphs of an item use it too. */
export function listIndent(level: number): number {
  return 720 * (level + 1)
}

export class DocumentState {
  readonly comments: ICommentOptions[] = []
  private nextId = 1
  private nextListInstance = 1
  private readonly ordered = new Map<string, { type: OrderedType; start: number }>()

  /** A w:id no other tracked change or comment of the file has. */
  takeId(): number {
    return this.nextId++
  }

  /** A new list of `reference`: its numbering starts again. */
  takeListInstance(): number {
    return this.nextListInstance++
  }

  /** The numbering reference of an ordered list with this `type` and `start`. */
  orderedList(type: unknown, start: unknown): string {
    const format: OrderedType =
      typeof type === 'string' && Object.hasOwn(ORDERED_FORMATS, type) ? (type as OrderedType) : '1'
    const first = typeof start === 'number' && Number.isInteger(start) && start >= 0 ? start : 1
    const reference = `kartu-ordered-${ORDERED_FORMATS[format].name}-${first}`
    this.ordered.set(reference, { type: format, start: first })
    return reference
  }

  /** The numbering part's definitions: bullets, and every ordered list style used. */
  numbering(): Array<{ reference: string; levels: ILevelsOptions[] }> {
    const levels = (level: (index: number) => Omit<ILevelsOptions, 'level' | 'style'>) =>
      Array.from({ length: LIST_LEVELS }, (_, index) => ({
        level: index,
        alignment: AlignmentType.LEFT,
        ...level(index),
        style: { paragraph: { indent: { left: listIndent(index), hanging: 360 } } },
      }))
    return [
      {
        reference: BULLET_LIST,
        levels: levels((index) => ({
          format: LevelFormat.BULLET,
          text: BULLETS[index % BULLETS.length],
        })),
      },
      ...[...this.ordered].map(([reference, { type, start }]) => ({
        reference,
        levels: levels((index) => ({
          format: ORDERED_FORMATS[type].format,
          text: `%${index + 1}.`,
          start,
        })),
      })),
    ]
  }
}

/** A moment as Word writes w:date: ISO 8601 in UTC, without the fraction of a second. */
export function wordDate(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z')
}
