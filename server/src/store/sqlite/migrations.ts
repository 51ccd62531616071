/**
 * The SQLite schema, as an ordered list of migrations. `PRAGMA user_version` records how many ran.
 * Never edit a migration that has shipped: add a new one.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE ministries (
    id TEXT PRIMARY KEY,
    short TEXT NOT NULL,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    color TEXT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    ministry_id TEXT NOT NULL REFERENCES ministries(id),
    password_hash TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE decks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    committee TEXT NOT NULL,
    state_party TEXT NOT NULL,
    clusters TEXT NOT NULL DEFAULT '[]',
    ministry_ids TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL
  );
  CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    ref TEXT NOT NULL,
    cluster TEXT NOT NULL,
    question_ref TEXT NOT NULL,
    question TEXT NOT NULL,
    question_id TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]',
    lead_ministry TEXT NOT NULL,
    contributing_ministries TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    time_budget_sec INTEGER NOT NULL,
    word_count INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX cards_by_deck ON cards(deck_id, position);
  CREATE TABLE memberships (
    deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (deck_id, user_id)
  );
  CREATE TABLE doc_snapshots (
    name TEXT PRIMARY KEY,
    snapshot BLOB NOT NULL,
    through_seq INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_by_name ON doc_updates(name, seq);
  `,
  `
  ALTER TABLE cards ADD COLUMN open_suggestions INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cards ADD COLUMN open_threads INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cards ADD COLUMN mentioned_ministries TEXT NOT NULL DEFAULT '[]';
  `,
  `
  ALTER TABLE cards ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
  `,
  // The audit log. No foreign keys: an entry must outlive the user, deck or card it names.
  // audit_head is written in the same transaction as each entry and appends continue from it,
  // so a deleted last entry leaves a visible hole instead of being silently replaced.
  // The triggers stop accidental changes through SQL; deliberate ones are what the hash chain
  // (pnpm kartu audit verify) is for.
  `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // Tokens expire. Tokens issued before expiry existed get the default lifetime (90 days) from
  // their creation, rather than living for ever.
  `
  ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
  UPDATE tokens SET expires_at = created_at + 7776000000;
  `,
  // Accounts can be disabled (kept, with their history, but refused everywhere). Sessions are
  // ended per person (sign-out everywhere, password change, disabling), so find them by user.
  `
  ALTER TABLE users ADD COLUMN disabled_at INTEGER;
  CREATE INDEX sessions_by_user ON sessions(user_id);
  `,
  // "Everyone suggests", the chair's rakor switch: on a deck it covers every card of it, on a
  // card that card alone. While either is on, editors' changes are judged as suggestions.
  `
  ALTER TABLE decks ADD COLUMN suggest_only INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE cards ADD COLUMN suggest_only INTEGER NOT NULL DEFAULT 0;
  `,
  // Versions of a card's answer: the whole card document as it was (a Yjs update holding every
  // field, deleted text of earlier versions included in theirs), so that any two can be compared
  // and one restored however the room's log was compacted since. created_by is null for the
  // versions the server makes by itself. state_vector tells whether anything changed since.
  `
  CREATE TABLE card_versions (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    words INTEGER NOT NULL,
    state BLOB NOT NULL,
    state_vector BLOB NOT NULL
  );
  CREATE INDEX card_versions_by_card ON card_versions(card_id, created_at);
  `,
  // Who changed what and when, for history: one row per person and commit of a card, with the
  // Yjs ids (client, clock ranges) their updates inserted and deleted. Who wrote a character is
  // also in the document's authors map; who deleted it, and when anything happened, only here.
  `
  CREATE TABLE card_edits (
    seq INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    inserted TEXT NOT NULL,
    deleted TEXT NOT NULL,
    inserted_chars INTEGER NOT NULL DEFAULT 0,
    deleted_chars INTEGER NOT NULL DEFAULT 0,
    suggestions INTEGER NOT NULL DEFAULT 0,
    comments INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX card_edits_by_card ON card_edits(card_id, at);
  CREATE INDEX card_edits_by_time ON card_edits(at);
  `,
  // What each person last saw of each card: when their connection to it closed after it was
  // synced, and the version holding the card as it was then ("since I last looked").
  `
  CREATE TABLE card_visits (
    user_id TEXT NOT NULL,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    version_id TEXT NOT NULL,
    PRIMARY KEY (user_id, card_id)
  );
  `,
  // The activity feed reads a card's audit entries (decisions, locks, versions) by subject.
  `
  CREATE INDEX audit_log_by_subject ON audit_log(subject, seq);
  `,
  // Sign-off (issue 16). A card's due date, and the hash of its agreed text (the answer as if
  // every pending suggestion were rejected) as last stored: a clearance is current while its
  // hash is that one. One clearance per ministry and card, with the version holding the text it
  // cleared. Focal persons: who of a ministry gets its items in a deck.
  `
  ALTER TABLE cards ADD COLUMN due_date TEXT;
  ALTER TABLE cards ADD COLUMN answer_hash TEXT;
  CREATE TABLE card_clearances (
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    ministry_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    version_id TEXT NOT NULL,
    PRIMARY KEY (card_id, ministry_id)
  );
  CREATE TABLE focal_persons (
    deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    ministry_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (deck_id, ministry_id, user_id)
  );
  `,
  // The inbox: one row per person and item. `dedupe_key` makes an event that is noticed twice
  // (a due date swept every hour) one item. `emailed_at` is set once the item went out by mail
  // (or was read first, and so will never go out).
  `
  CREATE TABLE inbox_items (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor_user_id TEXT,
    thread_id TEXT,
    suggestion_id TEXT,
    version_id TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT,
    read_at INTEGER,
    emailed_at INTEGER,
    UNIQUE (user_id, dedupe_key)
  );
  CREATE INDEX inbox_by_user ON inbox_items(user_id, at);
  CREATE INDEX inbox_unread ON inbox_items(user_id) WHERE read_at IS NULL;
  CREATE INDEX inbox_unmailed ON inbox_items(at) WHERE emailed_at IS NULL;
  CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    settings TEXT NOT NULL
  );
  -- The token in a person's unsubscribe link (inbox/mailer.ts). Kept as it is, not hashed: it
  -- can only turn that person's e-mail off, and every mail must carry it.
  CREATE TABLE unsubscribe_tokens (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE
  );
  `,
  // Search over questions and answers (Indonesian and English): SQLite FTS5, diacritics folded.
  // The questions follow the cards table through triggers; the answer (in the card's Yjs
  // document) is written by the search indexer, and is NULL until it has been. Rows are found by
  // card id, never by rowid: a table with a text key may have its rowids renumbered by VACUUM.
  `
  CREATE VIRTUAL TABLE card_search USING fts5(
    card_id UNINDEXED, deck_id UNINDEXED, question, question_id, answer,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO card_search (card_id, deck_id, question, question_id, answer)
    SELECT id, deck_id, question, question_id, NULL FROM cards;
  CREATE TRIGGER cards_search_insert AFTER INSERT ON cards BEGIN
    INSERT INTO card_search (card_id, deck_id, question, question_id, answer)
    VALUES (new.id, new.deck_id, new.question, new.question_id, NULL);
  END;
  CREATE TRIGGER cards_search_update AFTER UPDATE OF question, question_id ON cards BEGIN
    UPDATE card_search SET question = new.question, question_id = new.question_id
    WHERE card_id = new.id;
  END;
  CREATE TRIGGER cards_search_delete AFTER DELETE ON cards BEGIN
    DELETE FROM card_search WHERE card_id = old.id;
  END;
  `,
]
