/**
 * The minutes of a rakor as a PDF: the session, who closed it, the ministries present, then every
 * decision on a suggestion in order (when, which card, what kind of change, the text, the outcome
 * and its reason, who proposed it and who decided). In Indonesian, as the delegation files them.
 */
import type { DecisionOutcome } from '@kartu/schema'
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
import {
  CONTENT_WIDTH,
  decoratePages,
  keepTogether,
  MARGIN,
  openPdf,
  type PdfDoc,
} from './pdfDocument.ts'
import { FontName } from './pdfFonts.ts'

const BODY_SIZE = 11
const SMALL_SIZE = 10
const GAP = 2
const INDENT = 22
const NOBODY = Label.none

type Decision = Minutes['decisions'][number]

function write(
  doc: PdfDoc,
  text: string,
  options: { font?: FontName; size?: number; x?: number; color?: string } = {},
): void {
  const x = options.x ?? MARGIN.left
  doc
    .font(options.font ?? FontName.Regular)
    .fontSize(options.size ?? BODY_SIZE)
    .fillColor(options.color ?? 'black')
  doc.text(text, x, doc.y, { width: CONTENT_WIDTH - (x - MARGIN.left), lineGap: GAP })
  doc.fillColor('black')
}

/** "Label: value", the label in bold. */
function field(doc: PdfDoc, label: string, value: string): void {
  doc.font(FontName.Bold).fontSize(BODY_SIZE)
  doc.text(`${label}: `, MARGIN.left, doc.y, {
    width: CONTENT_WIDTH,
    lineGap: GAP,
    continued: true,
  })
  doc.font(FontName.Regular).text(value || NOBODY, { continued: false })
  doc.moveDown(0.25)
}

function windowOf(minutes: Minutes): string {
  const { session, timeZone } = minutes
  const to = formatDateTime(session.to, timeZone)
  if (!session.from) return `sampai ${to}`
  const sameDay = formatDate(session.from, timeZone) === formatDate(session.to, timeZone)
  return sameDay
    ? `${formatDateTime(session.from, timeZone)} – ${formatTime(session.to, timeZone)}`
    : `${formatDateTime(session.from, timeZone)} – ${to}`
}

/** A decision's time: the clock, and the date too when the session ran over more than a day. */
function timeOf(minutes: Minutes, at: number): string {
  const { session, timeZone } = minutes
  const oneDay =
    session.from !== null && formatDate(session.from, timeZone) === formatDate(session.to, timeZone)
  const date = new Date(at)
  return oneDay ? formatTime(date, timeZone) : formatDateTime(date, timeZone)
}

function proposer(decision: Decision): string {
  if (decision.proposedBy) return personLabel(decision.proposedBy)
  return decision.suggestedBy ?? NOBODY
}

function headlineOf(minutes: Minutes, decision: Decision, index: number): string {
  return [
    `${index + 1}.  ${timeOf(minutes, decision.at)}`,
    decision.cardRef,
    KIND_LABEL[decision.kind] ?? decision.kind,
    OUTCOME_LABEL[decision.outcome] ?? decision.outcome,
  ].join('  ·  ')
}

function peopleOf(decision: Decision): string {
  return `${DecisionColumn.proposedBy}: ${proposer(decision)}   ·   ${DecisionColumn.decidedBy}: ${personLabel(decision.decidedBy, NOBODY)}`
}

function drawDecision(doc: PdfDoc, minutes: Minutes, decision: Decision, index: number): void {
  const headline = headlineOf(minutes, decision, index)
  const inner = CONTENT_WIDTH - INDENT
  const text = decision.text.trim() ? `“${decision.text.trim()}”` : ''
  const reason = decision.reason.trim()
  // One decision on one page when it fits on one.
  doc.font(FontName.Regular).fontSize(BODY_SIZE)
  const height =
    doc.heightOfString(headline, { width: CONTENT_WIDTH, lineGap: GAP }) +
    (text ? doc.heightOfString(text, { width: inner, lineGap: GAP }) : 0) +
    (reason
      ? doc.heightOfString(`${DecisionColumn.reason}: ${reason}`, { width: inner, lineGap: GAP })
      : 0) +
    doc.heightOfString(peopleOf(decision), { width: inner, lineGap: GAP }) +
    12
  keepTogether(doc, height, MARGIN.top, 4 * BODY_SIZE)
  write(doc, headline, { font: FontName.Bold })
  doc.y += 2
  if (text) write(doc, text, { x: MARGIN.left + INDENT })
  if (reason)
    write(doc, `${DecisionColumn.reason}: ${reason}`, { x: MARGIN.left + INDENT, size: SMALL_SIZE })
  write(doc, peopleOf(decision), {
    x: MARGIN.left + INDENT,
    size: SMALL_SIZE,
    color: '#333333',
  })
  doc.y += 10
}

/** The minutes of one rakor session as a PDF. */
export async function writeMinutesPdf(minutes: Minutes): Promise<Uint8Array> {
  const { deck, session } = minutes
  const { doc, finish } = openPdf({
    title: `${Label.minutes} — ${session.name || deck.title}`,
    subject: deck.title,
    createdAt: minutes.exportedAt,
  })
  doc.addPage()
  write(doc, Label.minutes, { font: FontName.Bold, size: 20 })
  doc.moveDown(0.3)
  write(doc, deck.title, { font: FontName.Bold, size: 13 })
  doc.moveDown(0.8)
  field(doc, Label.session, session.name)
  field(doc, Label.window, windowOf(minutes))
  field(doc, Label.closedBy, personLabel(session.closedBy, NOBODY))
  field(
    doc,
    Label.present,
    minutes.ministries
      .map((ministry) =>
        ministry.name && ministry.name !== ministry.short
          ? `${ministry.short} (${ministry.name})`
          : ministry.short,
      )
      .join(', ') || Label.noMinistries,
  )
  const count = (outcome: DecisionOutcome) =>
    minutes.decisions.filter((decision) => decision.outcome === outcome).length
  field(
    doc,
    Label.decisions,
    `${minutes.decisions.length} (${OUTCOME_LABEL.accepted} ${count('accepted')}, ${OUTCOME_LABEL.rejected} ${count('rejected')}, ${OUTCOME_LABEL.withdrawn} ${count('withdrawn')})`,
  )
  doc.y += 6
  doc
    .moveTo(MARGIN.left, doc.y)
    .lineTo(MARGIN.left + CONTENT_WIDTH, doc.y)
    .lineWidth(0.75)
    .stroke()
  doc.y += 12
  if (minutes.decisions.length === 0) {
    write(doc, Label.noDecisions, { font: FontName.Italic })
  }
  minutes.decisions.forEach((decision, index) => {
    drawDecision(doc, minutes, decision, index)
  })
  doc.moveDown(0.8)
  write(doc, Label.signOff, { font: FontName.Bold, size: 14 })
  if (minutes.signOff.length === 0) {
    write(doc, Label.noSignOff, { font: FontName.Italic })
  }
  for (const entry of minutes.signOff) {
    write(
      doc,
      `${timeOf(minutes, entry.at)} · ${signOffLine({ ...entry, personLabel: personLabel(entry.person, NOBODY) })}`,
    )
  }
  decoratePages(doc, {
    marking: minutes.marking,
    footer: [
      Label.minutes,
      deck.title,
      session.name,
      formatDate(minutes.exportedAt, minutes.timeZone),
    ]
      .filter((part) => part.trim())
      .join('  ·  '),
  })
  return finish()
}
