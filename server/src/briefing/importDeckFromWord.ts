/**
 * A whole deck's questions from one Word file (the chair imports into an existing deck): one card
 * per question heading, the heading's text its question, what follows up to the next question
 * heading its answer, converted as a card import converts (tracked changes as suggestions,
 * comments as threads).
 *
 * Which headings are questions, kept simple:
 * - the highest heading level the file uses (Heading 1, or Heading 2 when there is no Heading 1)
 *   holds the questions, and every card goes to the deck's first cluster;
 * - unless every heading of that level names one of the deck's clusters (its id, its name in
 *   either language, or "K1: ...", "Klaster K1", "Cluster K1") and a lower level exists: then
 *   those headings set the cluster of the questions under them, and the next level holds the
 *   questions.
 * Text before the first question (a title page, an introduction) belongs to no question: it is
 * left out and counted in the result. A question heading's own tracked changes are read as if
 * accepted; its comments become threads of its card without an anchor.
 *
 * Cards are created one by one through the Cards service (each audited as `card.created`); every
 * question is converted and checked against a card's limits before the first card is created,
 * so a file that does not fit creates nothing.
 */
import type { Cluster } from '@kartu/protocol'
import { HttpError } from '../api/errors.ts'
import type { CardFields, Cards as CardsService } from '../services/cards.ts'
import type { Cards, Decks, Users } from '../store/types.ts'
import {
  DocxErrorCode,
  DocxImportError,
  readDocx,
  type WordBlock,
  type WordDocument,
} from './docxRead.ts'
import { wordToAnswer } from './docxToAnswer.ts'
import { type CardImport, checkCardLimits, ImportMode } from './importIntoCard.ts'

export type DeckWordImportRequest = { deckId: string; userId: string; bytes: Uint8Array }
/** The same, for a file already read (in the briefing worker: api/importRoutes.ts). */
export type DeckWordDocumentRequest = { deckId: string; userId: string; word: WordDocument }

export type DeckWordImportResult = {
  /** The cards created, in the order of the file (and of the deck). */
  cardIds: string[]
  suggestions: number
  threads: number
  /** Paragraphs before the first question, which no card took. */
  skippedParagraphs: number
}

/** One question of the file: its text, the cluster a heading above it named, and its answer. */
export type WordQuestion = { question: string; clusterId: string | null; word: WordDocument }

/** Cards one file may create. */
export const MAX_IMPORTED_CARDS = 200
/** The longest question the API accepts (cardCreateRequestSchema). */
const MAX_QUESTION = 4000

function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('id')
}

/** A heading's text as it reads with its tracked changes accepted. */
function headingText(block: WordBlock): string {
  return block.runs
    .filter((run) => run.deletion === undefined)
    .map((run) => (run.hardBreak ? ' ' : run.text))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The cluster a heading names, or null. */
function clusterNamed(text: string, clusters: readonly Cluster[]): string | null {
  const heading = normalise(text).replace(/^(klaster|cluster)\s+/, '')
  for (const cluster of clusters) {
    const id = normalise(cluster.id)
    if ([id, normalise(cluster.nameId), normalise(cluster.nameEn)].includes(heading)) {
      return cluster.id
    }
    if (heading.startsWith(id) && /^[\s.:)\-–—]/.test(heading.slice(id.length))) return cluster.id
  }
  return null
}

/** The part of `word` that `blocks` are, with the comments they (or `heading`) carry. */
function subDocument(
  word: WordDocument,
  heading: WordBlock,
  blocks: WordBlock[],
  rootOf: (id: string) => string,
): WordDocument {
  const roots = new Set<string>()
  for (const block of [heading, ...blocks]) {
    for (const run of block.runs) for (const id of run.commentIds) roots.add(rootOf(id))
  }
  return { blocks, comments: word.comments.filter((comment) => roots.has(rootOf(comment.id))) }
}

/**
 * The questions of a Word file (see the module comment). Throws DocxImportError `no_questions`
 * when the file has no heading.
 */
export function splitIntoQuestions(
  word: WordDocument,
  clusters: readonly Cluster[],
): { questions: WordQuestion[]; skippedParagraphs: number } {
  const levels = [
    ...new Set(word.blocks.flatMap((block) => (block.type === 'heading' ? [block.level] : []))),
  ].sort((a, b) => a - b)
  const top = levels[0]
  if (top === undefined) {
    throw new DocxImportError(
      DocxErrorCode.NoQuestions,
      'The document has no headings: each question must be a heading (Heading 1), its answer the text below it.',
    )
  }
  const second = levels[1]
  const topHeadings = word.blocks.filter((block) => block.type === 'heading' && block.level === top)
  const clusterLevel =
    second !== undefined &&
    topHeadings.every((block) => clusterNamed(headingText(block), clusters) !== null)
      ? top
      : null
  const questionLevel = clusterLevel === null ? top : (second as number)

  const parents = new Map(word.comments.map((comment) => [comment.id, comment.parentId]))
  const rootOf = (id: string): string => {
    let current = id
    const seen = new Set([id])
    for (let parent = parents.get(current); parent !== undefined && parents.has(parent); ) {
      if (seen.has(parent)) break
      seen.add(parent)
      current = parent
      parent = parents.get(current)
    }
    return current
  }

  const questions: WordQuestion[] = []
  let open: { heading: WordBlock; clusterId: string | null; blocks: WordBlock[] } | null = null
  let clusterId: string | null = null
  let skippedParagraphs = 0
  const close = () => {
    if (!open) return
    questions.push({
      question: headingText(open.heading).slice(0, MAX_QUESTION),
      clusterId: open.clusterId,
      word: subDocument(word, open.heading, open.blocks, rootOf),
    })
    open = null
  }
  for (const block of word.blocks) {
    if (block.type === 'heading' && block.level === clusterLevel) {
      close()
      clusterId = clusterNamed(headingText(block), clusters)
    } else if (block.type === 'heading' && block.level === questionLevel) {
      close()
      open = { heading: block, clusterId, blocks: [] }
    } else if (open) {
      open.blocks.push(block)
    } else if (block.runs.some((run) => run.text.trim() !== '')) {
      skippedParagraphs++
    }
  }
  close()
  return { questions, skippedParagraphs }
}

export type DeckWordImportRepository = Decks & Cards & Users

export class DeckWordImport {
  constructor(
    private readonly cards: CardsService,
    private readonly cardImport: CardImport,
    private readonly repository: DeckWordImportRepository,
  ) {}

  /**
   * Creates a card per question of the file at the end of the deck and imports its answer.
   * Throws DocxImportError for a file that cannot be imported (nothing is created then), 404
   * `deck_not_found`, 409 when the deck has no cluster or ministry to give the cards.
   */
  async importDeckFromWord(request: DeckWordImportRequest): Promise<DeckWordImportResult> {
    return this.importDocument({
      deckId: request.deckId,
      userId: request.userId,
      word: readDocx(request.bytes),
    })
  }

  async importDocument(request: DeckWordDocumentRequest): Promise<DeckWordImportResult> {
    const { word } = request
    const deck = await this.repository.getDeck(request.deckId)
    if (!deck) throw new HttpError(404, 'deck_not_found', 'Deck not found.')
    const firstCluster = deck.clusters[0]
    if (!firstCluster) {
      throw new HttpError(409, 'deck_has_no_cluster', 'The deck has no cluster to put cards in.')
    }
    const { questions, skippedParagraphs } = splitIntoQuestions(word, deck.clusters)
    if (questions.length > MAX_IMPORTED_CARDS) {
      throw new DocxImportError(
        DocxErrorCode.TooLarge,
        `The document has ${questions.length} questions; one import creates at most ${MAX_IMPORTED_CARDS} cards.`,
      )
    }
    // Every answer is checked before the first card is created (the conversion is pure and
    // cheap; it is done again, with the deck's authors, when each card is written).
    for (const question of questions) checkCardLimits(wordToAnswer(question.word, (name) => name))

    const user = await this.repository.findUserById(request.userId)
    const lead =
      deck.ministries.find((ministry) => ministry.id === user?.ministryId) ?? deck.ministries[0]
    if (!lead) {
      throw new HttpError(409, 'deck_has_no_ministry', 'The deck has no ministry to lead cards.')
    }
    const refs = new Set((await this.repository.listCards(request.deckId)).map((card) => card.ref))
    let number = 0
    const nextRef = () => {
      let ref: string
      do ref = `W-${String(++number).padStart(2, '0')}`
      while (refs.has(ref))
      refs.add(ref)
      return ref
    }

    const result: DeckWordImportResult = {
      cardIds: [],
      suggestions: 0,
      threads: 0,
      skippedParagraphs,
    }
    for (const question of questions) {
      const ref = nextRef()
      const fields: CardFields = {
        ref,
        cluster: question.clusterId ?? firstCluster.id,
        questionRef: '',
        question: question.question || ref,
        questionId: '',
        articles: [],
        leadMinistry: lead.id,
        contributingMinistries: [],
        status: 'draft',
        timeBudgetSec: 120,
      }
      const card = await this.cards.create({
        actorUserId: request.userId,
        deckId: request.deckId,
        fields,
      })
      result.cardIds.push(card.id)
      if (question.word.blocks.length === 0 && question.word.comments.length === 0) continue
      const imported = await this.cardImport.importWord({
        cardId: card.id,
        userId: request.userId,
        mode: ImportMode.Replace,
        word: question.word,
      })
      result.suggestions += imported.suggestions
      result.threads += imported.threads
    }
    return result
  }
}
