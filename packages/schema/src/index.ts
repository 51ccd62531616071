/**
 * @kartu/schema: the cue card's document model, shared by client and server. Tiptap extensions
 * that run headless, the names of the fields inside card and deck documents, and pure functions
 * over them.
 */

export {
  answerProblems,
  blockNode,
  blockProblem,
  ShapeError,
  sequenceProblem,
} from './answerShape.ts'
export { BlockLock, LOCKABLE_BLOCKS, LOCKED_ATTRIBUTE } from './blockLock.ts'
export {
  type BlockFormat,
  BlockSuggestions,
  FORMAT_SUGGESTION,
  JOIN_SUGGESTION,
  SUGGESTIBLE_TEXTBLOCKS,
} from './blockSuggestions.ts'
export {
  decisionProblem,
  decisionSchema,
  entryIdSchema,
  restoreRecordSchema,
  storedDecisionProblem,
  suggestionEntryProblem,
  suggestionMetaSchema,
  threadProblem,
} from './cardFieldShapes.ts'
export {
  ANSWER_FIELD,
  AUTHORS_FIELD,
  type Author,
  CommentField,
  DECISIONS_FIELD,
  type Decision,
  DecisionOutcome,
  defineCardFields,
  type OrphanedSuggestion,
  type RestoreRecord,
  SUGGESTIONS_FIELD,
  SuggestionKind,
  type SuggestionMeta,
  THREADS_FIELD,
  ThreadField,
} from './cardLayout.ts'
export { cardProblems } from './cardShape.ts'
export { type CardStatsValues, cardStats } from './cardStats.ts'
export {
  isSuggestionKey,
  type MarkRepair,
  markRepairs,
  type RepairOptions,
  repairConcurrentMarks,
  type SamePerson,
} from './concurrentMarks.ts'
export { createAnswerExtensions, getAnswerSchema } from './extensions.ts'
export { answerMarkFormat, markKey, markNameOfKey } from './markKeys.ts'
export {
  completeMention,
  completePersonMention,
  type MentionableMinistry,
  type MentionablePerson,
  type MentionQuery,
  matchMinistries,
  mentionQueryAt,
  parseMentions,
  parsePersonMentions,
} from './mentions.ts'
export { countWords, fragmentToPlainText } from './plainText.ts'
export { repairCard, textOfAnswer } from './repairCard.ts'
export {
  CommentMark,
  DeletionMark,
  FormatChangeMark,
  InsertionMark,
  MarkName,
} from './reviewMarks.ts'
export { type AnswerBlock, writeAnswer } from './seed.ts'
export {
  idOfSuggestionKey,
  suggestionKeyOf,
  suggestionTexts,
} from './storedSuggestionMarks.ts'
export { type AlternativesOptions, groupAlternatives } from './suggest/alternatives.ts'
export { BLOCK_BREAK, BLOCK_BREAK_STAND_IN } from './suggest/blockBreak.ts'
export {
  type DirectEdit,
  directEdit,
  withoutInheritedSuggestionMarks,
} from './suggest/directEdit.ts'
export {
  isSyncTransaction,
  REVIEW_META,
  SUGGESTED_META,
} from './suggest/passThrough.ts'
export { randomId } from './suggest/randomId.ts'
export { Resolution, type Resolver, resolveSuggestions } from './suggest/resolveSuggestions.ts'
export {
  acceptSuggestions,
  asIfAllAccepted,
  asIfAllRejected,
  changedOthersSuggestion,
  collectSuggestions,
  decideSuggestions,
  type FormatDelta,
  rejectSuggestions,
  type SuggestionSpan,
  sameBaseText,
  sameSuggestion,
  suggestionKindOf,
  withoutCommentMarks,
} from './suggest/review.ts'
export {
  SUGGESTING_META,
  SuggestChanges,
  type SuggestChangesOptions,
  type SuggestChangesStorage,
} from './suggest/suggestChangesExtension.ts'
export { suggestionIdOf } from './suggest/suggestionMarks.ts'
export {
  ChangesOthersSuggestion,
  type SuggestOptions,
  suggestTransaction,
} from './suggest/suggestTransaction.ts'
