/**
 * Mentions of ministries in comments: one definition, shared with the server (which reads them
 * for the inbox), in @kartu/schema.
 */
export { completeMention, matchMinistries, mentionQueryAt, parseMentions } from '@kartu/schema'
