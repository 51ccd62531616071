/**
 * The minutes of a rakor as Word prints them: the session (name, time window, who closed it),
 * the ministries present, and a table of the decisions taken on suggestions, in the order they
 * were taken, with who proposed and who decided each.
 */
import {
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
import type { Minutes } from './book.ts'
import {
  DecisionColumn,
  formatDate,
  formatDateTime,
  formatTime,
  KIND_LABEL,
  Label,
  OUTCOME_LABEL,
  signOffLine,
} from './bookLabels.ts'
import { personLabel } from './cardContent.ts'
import { BULLET_LIST } from './docxState.ts'
import { labelled, textRuns, xmlSafe } from './docxText.ts'

/** Landscape A4's text width, in twips: eight columns need it. */
export const LANDSCAPE_TEXT_WIDTH = 13958

/** Column widths in twips, summing to LANDSCAPE_TEXT_WIDTH; the words get the most room. */
const COLUMNS: Array<[string, number]> = [
  [DecisionColumn.time, 1500],
  [DecisionColumn.card, 1100],
  [DecisionColumn.kind, 1500],
  [DecisionColumn.text, 3858],
  [DecisionColumn.outcome, 1100],
  [DecisionColumn.reason, 1900],
  [DecisionColumn.proposedBy, 1500],
  [DecisionColumn.decidedBy, 1500],
]

function cell(text: string, width: number, header = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'DDE3EA' } } : {}),
    children: [
      new Paragraph({
        spacing: { after: 0 },
        children: textRuns(text, { size: 18, ...(header ? { bold: true } : {}) }),
      }),
    ],
  })
}

function decisionsTable(minutes: Minutes, timeZone: string): Table {
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: COLUMNS.map(([label, width]) => cell(label, width, true)),
  })
  const rows = minutes.decisions.map((decision) => {
    const at = new Date(decision.at)
    const values = [
      `${formatDate(at, timeZone)} ${formatTime(at, timeZone)}`,
      decision.cardRef,
      KIND_LABEL[decision.kind] ?? decision.kind,
      decision.text,
      OUTCOME_LABEL[decision.outcome] ?? decision.outcome,
      decision.reason || Label.none,
      decision.proposedBy ? personLabel(decision.proposedBy) : (decision.suggestedBy ?? Label.none),
      personLabel(decision.decidedBy, Label.none),
    ]
    return new TableRow({
      cantSplit: true,
      children: values.map((value, index) => cell(value, COLUMNS[index]?.[1] ?? 1000)),
    })
  })
  return new Table({
    width: { size: LANDSCAPE_TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: COLUMNS.map(([, width]) => width),
    rows: [header, ...rows],
  })
}

function sessionWindow(minutes: Minutes, timeZone: string): string {
  const to = formatDateTime(minutes.session.to, timeZone)
  return minutes.session.from
    ? `${formatDateTime(minutes.session.from, timeZone)} – ${to}`
    : `s.d. ${to}`
}

export function minutesBody(minutes: Minutes, timeZone: string): FileChild[] {
  const { deck, session } = minutes
  const body: FileChild[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(Label.minutes)] }),
    new Paragraph({
      spacing: { after: 200 },
      children: [
        ...textRuns(deck.title, { bold: true, size: 26 }),
        ...(deck.titleEn ? textRuns(` / ${deck.titleEn}`, { italics: true, size: 26 }) : []),
      ],
    }),
    labelled(Label.session, session.name || Label.none),
    labelled(Label.window, sessionWindow(minutes, timeZone)),
    labelled(Label.closedBy, personLabel(session.closedBy, Label.none)),
    labelled(Label.exported, formatDate(minutes.exportedAt, timeZone)),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(Label.present)] }),
  ]
  if (minutes.ministries.length === 0) {
    body.push(new Paragraph({ children: textRuns(Label.noMinistries) }))
  }
  for (const ministry of minutes.ministries) {
    const name = ministry.name && ministry.name !== ministry.short ? ` — ${ministry.name}` : ''
    body.push(
      new Paragraph({
        numbering: { reference: BULLET_LIST, level: 0 },
        children: [new TextRun({ text: xmlSafe(ministry.short), bold: true }), ...textRuns(name)],
      }),
    )
  }
  body.push(
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(Label.decisions)] }),
    minutes.decisions.length > 0
      ? decisionsTable(minutes, timeZone)
      : new Paragraph({ children: textRuns(Label.noDecisions) }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(Label.signOff)] }),
  )
  if (minutes.signOff.length === 0) {
    body.push(new Paragraph({ children: textRuns(Label.noSignOff) }))
  }
  for (const entry of minutes.signOff) {
    const at = new Date(entry.at)
    body.push(
      new Paragraph({
        numbering: { reference: BULLET_LIST, level: 0 },
        children: textRuns(
          `${formatDate(at, timeZone)} ${formatTime(at, timeZone)} · ${signOffLine({
            ...entry,
            personLabel: personLabel(entry.person, Label.none),
          })}`,
        ),
      }),
    )
  }
  return body
}
