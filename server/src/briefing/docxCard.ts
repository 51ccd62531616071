/**
 * One card as the Word book prints it: a heading (in the table of contents), the card's facts
 * (reference, question reference, ministries, speaker, time budget, status), the question in
 * Indonesian and in the Committee's English, then the answer, in review with its suggestions
 * as tracked changes and its open threads as comments, in clean mode as agreed.
 */
import type { BriefingSpeaker, Deck } from '@kartu/protocol'
import { asIfAllRejected, withoutCommentMarks } from '@kartu/schema'
import {
  BorderStyle,
  type FileChild,
  HeadingLevel,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'
import { ExportMode } from './book.ts'
import { Label, ministryLabel, ministryShort, STATUS_LABEL, timeBudgetLabel } from './bookLabels.ts'
import type { CardContent } from './cardContent.ts'
import { answerParagraphs } from './docxAnswer.ts'
import { placeComments } from './docxComments.ts'
import { type DocumentState, wordDate } from './docxState.ts'
import { TEXT_WIDTH } from './docxStyles.ts'
import { textRuns, xmlSafe } from './docxText.ts'

export type CardSectionOptions = {
  deck: Deck
  mode: ExportMode
  state: DocumentState
  /** For suggestions and comments whose time is unknown: the export's. */
  fallbackDate: Date
  /** Each card of a deck on a page of its own, except right after its cluster's heading. */
  pageBreakBefore: boolean
}

const LABEL_WIDTH = 2900

/** The start of the question, cut at a word, for the heading and the table of contents. */
export function excerpt(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= length) return flat
  const cut = flat.slice(0, length)
  const space = cut.lastIndexOf(' ')
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

function speakerLabel(deck: Deck, speaker: BriefingSpeaker | null): string {
  if (!speaker) return Label.none
  const ministry = ministryShort(deck, speaker.ministry)
  const who = ministry ? `${speaker.role} (${ministry})` : speaker.role
  return speaker.note ? `${who}, ${speaker.note}` : who
}

function factRow(label: string, value: string): TableRow {
  return new TableRow({
    cantSplit: true,
    children: [
      new TableCell({
        width: { size: LABEL_WIDTH, type: WidthType.DXA },
        shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EDEFF2' },
        children: [
          new Paragraph({ children: [new TextRun({ text: label, bold: true, size: 18 })] }),
        ],
      }),
      new TableCell({
        width: { size: TEXT_WIDTH - LABEL_WIDTH, type: WidthType.DXA },
        children: [new Paragraph({ children: textRuns(value || Label.none, { size: 20 }) })],
      }),
    ],
  })
}

function factsTable(content: CardContent, deck: Deck): Table {
  const { card } = content
  const briefing = card.briefing
  const rows: Array<[string, string]> = [
    [Label.ref, card.ref],
    [Label.questionRef, card.questionRef],
  ]
  if (card.articles.length > 0) rows.push([Label.articles, card.articles.join(', ')])
  rows.push(
    [Label.lead, ministryLabel(deck, card.leadMinistry)],
    [
      Label.contributing,
      card.contributingMinistries.map((id) => ministryLabel(deck, id)).join('; '),
    ],
    [Label.speaker, speakerLabel(deck, briefing.speaker)],
  )
  if (briefing.backupSpeaker) {
    rows.push([Label.backupSpeaker, speakerLabel(deck, briefing.backupSpeaker)])
  }
  rows.push(
    [Label.timeBudget, timeBudgetLabel(card.timeBudgetSec)],
    [Label.status, STATUS_LABEL[card.status] ?? card.status],
  )
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH],
    rows: rows.map(([label, value]) => factRow(label, value)),
  })
}

function question(label: string, text: string, italics: boolean): Paragraph[] {
  return [
    new Paragraph({
      spacing: { before: 160, after: 40 },
      keepNext: true,
      children: [new TextRun({ text: label, bold: true, size: 18, color: '555555' })],
    }),
    new Paragraph({
      spacing: { after: 120 },
      children: textRuns(text || Label.none, italics ? { italics: true } : {}),
    }),
  ]
}

/** The heading of a card: its reference and the start of its question. */
export function cardHeading(content: CardContent): string {
  const { card } = content
  const question = excerpt(card.questionId || card.question)
  return question ? `${card.ref} — ${question}` : card.ref
}

export function cardSection(content: CardContent, options: CardSectionOptions): FileChild[] {
  const { deck, state } = options
  const heading = new Paragraph({
    heading: HeadingLevel.HEADING_2,
    pageBreakBefore: options.pageBreakBefore,
    keepNext: true,
    children: [new TextRun(xmlSafe(cardHeading(content)))],
  })
  const answer =
    options.mode === ExportMode.Review
      ? answerParagraphs(content.answer, state, {
          suggestions: content.suggestions,
          anchors: placeComments(content.answer, content.threads, state, options.fallbackDate),
          fallbackDate: wordDate(options.fallbackDate),
        })
      : answerParagraphs(withoutCommentMarks(asIfAllRejected(content.answer)), state, null)
  return [
    heading,
    factsTable(content, deck),
    ...question(Label.questionId, content.card.questionId, false),
    ...question(Label.questionEn, content.card.question, true),
    new Paragraph({
      spacing: { before: 200, after: 80 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '999999', space: 1 } },
      keepNext: true,
      children: [new TextRun({ text: Label.answer, bold: true, size: 18, color: '555555' })],
    }),
    ...answer,
  ]
}
