/**
 * Mentions of ministries and of people in comments: one definition, shared with the server
 * (which reads them for the inbox), in @kartu/schema.
 */
export {
  completeMention,
  completePersonMention,
  type MentionQuery,
  matchMinistries,
  mentionQueryAt,
  parseMentions,
} from '@kartu/schema'
