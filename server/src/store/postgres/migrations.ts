/**
 * The PostgreSQL schema, as an ordered list of migrations; `kartu_schema_version` records how
 * many ran. The first one is the SQLite schema as it stands after its own migrations (PostgreSQL
 * support starts there), in PostgreSQL's types: times are milliseconds since the epoch in BIGINT
 * (read back as numbers, see database.ts), documents BYTEA. Lists and objects stay JSON text, as
 * in SQLite, so both stores read and write them alike. Never edit a migration that has shipped.
 */
export const pgMigrations: readonly string[] = [
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
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions(user_id);
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    expires_at BIGINT NOT NULL DEFAULT 0
  );
  CREATE TABLE decks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    title_en TEXT NOT NULL,
    committee TEXT NOT NULL,
    state_party TEXT NOT NULL,
    clusters TEXT NOT NULL DEFAULT '[]',
    ministry_ids TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    suggest_only INTEGER NOT NULL DEFAULT 0
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
    updated_at BIGINT NOT NULL,
    open_suggestions INTEGER NOT NULL DEFAULT 0,
    open_threads INTEGER NOT NULL DEFAULT 0,
    mentioned_ministries TEXT NOT NULL DEFAULT '[]',
    locked INTEGER NOT NULL DEFAULT 0,
    suggest_only INTEGER NOT NULL DEFAULT 0,
    due_date TEXT,
    answer_hash TEXT
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
    snapshot BYTEA NOT NULL,
    through_seq BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE doc_updates (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    data BYTEA NOT NULL
  );
  CREATE INDEX doc_updates_by_name ON doc_updates(name, seq);

  -- The audit log: one chain for every node. audit_head is locked (SELECT ... FOR UPDATE) and
  -- written in the same transaction as each entry, so appends from several nodes queue on it
  -- and continue the chain one after the other. No foreign keys: an entry outlives what it names.
  CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_log_by_subject ON audit_log(subject, seq);
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE FUNCTION kartu_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
  END $$;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION kartu_audit_append_only();
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION kartu_audit_append_only();

  CREATE TABLE card_versions (
    id TEXT PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT,
    words INTEGER NOT NULL,
    state BYTEA NOT NULL,
    state_vector BYTEA NOT NULL
  );
  CREATE INDEX card_versions_by_card ON card_versions(card_id, created_at);
  CREATE TABLE card_edits (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
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
  CREATE TABLE card_visits (
    user_id TEXT NOT NULL,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    version_id TEXT NOT NULL,
    PRIMARY KEY (user_id, card_id)
  );

  CREATE TABLE card_clearances (
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    ministry_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at BIGINT NOT NULL,
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

  CREATE TABLE inbox_items (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    deck_id TEXT NOT NULL REFERENCES decks(id) ON DELETE CASCADE,
    card_id TEXT NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    thread_id TEXT,
    suggestion_id TEXT,
    version_id TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT,
    read_at BIGINT,
    emailed_at BIGINT,
    UNIQUE (user_id, dedupe_key)
  );
  CREATE INDEX inbox_by_user ON inbox_items(user_id, at);
  CREATE INDEX inbox_unread ON inbox_items(user_id) WHERE read_at IS NULL;
  CREATE INDEX inbox_unmailed ON inbox_items(at) WHERE emailed_at IS NULL;
  CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    settings TEXT NOT NULL
  );
  CREATE TABLE unsubscribe_tokens (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE
  );

  -- Search over questions and answers (PostgreSQL full-text search; see PgSearch.ts). One row
  -- per card: the questions follow the cards table through triggers, the answer is written by
  -- the search indexer and is NULL until it has been.
  --
  -- What is searched is the text folded as SQLite's FTS5 (unicode61, remove_diacritics 2) reads
  -- it: lower case, diacritics removed (NFD, then the combining marks dropped), and punctuation,
  -- symbols and spaces turned into plain spaces. The last step is for the parser of the 'simple'
  -- configuration (no stemming, no stop words: Indonesian has no stemmer here), which would
  -- otherwise keep "ekonomi/sosial", "3.5" or an address as one token where FTS5 sees words.
  -- The characters are listed, not [[:alnum:]], so that the result does not depend on the
  -- database's LC_CTYPE. The function is IMMUTABLE so that it can feed the stored columns below;
  -- search queries fold their words through the same function, so both sides agree. (The
  -- backslashes are doubled for this TypeScript string: the regular expressions get \\uXXXX.)
  -- These functions have SQL-standard bodies (RETURN, PostgreSQL 14+): what they call is
  -- resolved once, here, not through the search_path of whoever writes a row later (pg_restore
  -- runs with an empty one).
  CREATE FUNCTION kartu_search_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN regexp_replace(
      regexp_replace(normalize(lower(input), NFD), '[\\u0300-\\u036f]+', '', 'g'),
      '[\\u0001-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u00a9\\u00ab-\\u00b1\\u00b4\\u00b6-\\u00b8\\u00bb\\u00bf\\u00d7\\u00f7\\u2000-\\u206f\\u20a0-\\u20cf\\u2190-\\u2bff\\u2e00-\\u2e7f\\u3000-\\u3003\\u3008-\\u3020\\ufeff]+',
      ' ', 'g');
  -- The three texts as one tsvector, weighted A, B and C so that a query can ask which of them
  -- matched; and how many words it holds, for ranking (see PgSearch.ts: FTS5's bm25 needs the
  -- length of each row and of all of them).
  CREATE FUNCTION kartu_search_document(question text, question_id text, answer text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(to_tsvector('simple', coalesce(kartu_search_fold(question), '')), 'A') ||
      setweight(to_tsvector('simple', coalesce(kartu_search_fold(question_id), '')), 'B') ||
      setweight(to_tsvector('simple', coalesce(kartu_search_fold(answer), '')), 'C');
  CREATE FUNCTION kartu_search_size(document tsvector) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT coalesce(sum(cardinality(positions)), 0)::integer FROM unnest(document));
  CREATE TABLE card_search (
    card_id TEXT PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
    -- Rows in the order they were added (cards in the order created), as FTS5's rowids: what
    -- orders hits of equal rank and deck position, as in SQLite.
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    deck_id TEXT NOT NULL,
    question TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answer TEXT,
    document tsvector NOT NULL
      GENERATED ALWAYS AS (kartu_search_document(question, question_id, answer)) STORED,
    size INTEGER NOT NULL GENERATED ALWAYS AS
      (kartu_search_size(kartu_search_document(question, question_id, answer))) STORED
  );
  CREATE INDEX card_search_by_deck ON card_search(deck_id);
  CREATE INDEX card_search_document ON card_search USING GIN (document);
  CREATE FUNCTION kartu_card_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO card_search (card_id, deck_id, question, question_id, answer)
      VALUES (NEW.id, NEW.deck_id, NEW.question, NEW.question_id, NULL);
    ELSIF NEW.question IS DISTINCT FROM OLD.question
       OR NEW.question_id IS DISTINCT FROM OLD.question_id THEN
      UPDATE card_search SET question = NEW.question, question_id = NEW.question_id
      WHERE card_id = NEW.id;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER cards_search_follow AFTER INSERT OR UPDATE ON cards
    FOR EACH ROW EXECUTE FUNCTION kartu_card_search_follow();
  `,
  // Versions in the order they were added. SQLite lists a card's versions by time, then rowid
  // (the later of two versions taken in the same millisecond first); PostgreSQL has no rowid,
  // so an identity column stands in for it. Rows added before it are numbered as they lie.
  `
  ALTER TABLE card_versions ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
  `,
  // Several nodes (decision 0018): which node serves a document now. A node holds a document
  // while its lease has not expired (times from the database's clock, so the nodes' clocks do not
  // matter); `token` grows at every change of holder, and the holder's appends check it in their
  // own transaction (the fence), so a node that lost a document can no longer write it.
  `
  CREATE TABLE document_leases (
    name TEXT PRIMARY KEY,
    node_id TEXT NOT NULL,
    node_url TEXT NOT NULL,
    token BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  `,
  // A group commit of document updates in one round trip (PgDocumentStore.write): the advisory
  // locks, the fence and the INSERT in one call, committed as one implicit transaction, instead
  // of BEGIN, three statements and COMMIT, each a round trip that costs the node CPU.
  //
  // PL/pgSQL, not one SQL statement: a VOLATILE function takes a new snapshot for each statement
  // under READ COMMITTED, so the fence reads the lease rows as they are once the advisory locks
  // were had, not as they were before waiting for them. (Its row locks, FOR SHARE, wait for a
  // takeover in progress and then read the row it left, whatever the snapshot.)
  //
  // kartu_document_fence is the fence on its own, also run inside compaction's transaction. It
  // raises KL001 (lost: held by this node with a token that is no longer the row's) or KL002
  // (busy: meant to be free but held by a node), with the names as a JSON array in DETAIL;
  // DocumentLeases turns them back into its errors.
  `
  CREATE FUNCTION kartu_document_fence(node text, held_names text[], held_tokens bigint[],
    free_names text[]) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    kept text[];
    refused text[];
  BEGIN
    IF cardinality(held_names) > 0 THEN
      -- Locked in name order, as every writer does, so that two writers cannot deadlock.
      SELECT coalesce(array_agg(d.name), '{}') INTO kept FROM (
        SELECT d.name FROM document_leases d
        JOIN unnest(held_names, held_tokens) AS l(name, token)
          ON d.name = l.name AND d.token = l.token
        WHERE d.node_id = node
        ORDER BY d.name COLLATE "C"
        FOR SHARE OF d) AS d;
      refused := ARRAY(SELECT h FROM unnest(held_names) AS h WHERE h <> ALL (kept) ORDER BY h COLLATE "C");
      IF cardinality(refused) > 0 THEN
        RAISE EXCEPTION 'this node no longer holds %', array_to_string(refused, ', ')
          USING ERRCODE = 'KL001', DETAIL = to_json(refused)::text;
      END IF;
    END IF;
    IF cardinality(free_names) > 0 THEN
      INSERT INTO document_leases (name, node_id, node_url, token, expires_at)
      SELECT f, '', '', 0, 0 FROM unnest(free_names) AS f
      ORDER BY f COLLATE "C"
      ON CONFLICT (name) DO NOTHING;
      -- Every row locked, the free ones too: the condition is read in the select list, not in
      -- a WHERE, which would leave the rows it filters out unlocked.
      SELECT coalesce(array_agg(r.name) FILTER (WHERE r.busy), '{}') INTO refused FROM (
        SELECT d.name, d.expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint AS busy
        FROM document_leases d WHERE d.name = ANY (free_names)
        ORDER BY d.name COLLATE "C"
        FOR SHARE OF d) AS r;
      IF cardinality(refused) > 0 THEN
        RAISE EXCEPTION 'another node holds %', array_to_string(refused, ', ')
          USING ERRCODE = 'KL002', DETAIL = to_json(refused)::text;
      END IF;
    END IF;
  END $$;

  CREATE FUNCTION kartu_append_updates(lock_space integer, lock_keys integer[], node text,
    held_names text[], held_tokens bigint[], free_names text[], names text[], updates bytea[])
    RETURNS SETOF bigint LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    written bigint;
  BEGIN
    -- The documents' advisory locks first, in the order given (ascending), then the fence:
    -- see PgDocumentStore for why the seqs of a document must commit in order.
    PERFORM count(pg_advisory_xact_lock(lock_space, k)) FROM unnest(lock_keys) AS k;
    IF node IS NOT NULL THEN
      PERFORM kartu_document_fence(node, held_names, held_tokens, free_names);
    END IF;
    -- ORDER BY ordinality: the rows are inserted, and so draw their seqs, in the batch's order.
    RETURN QUERY WITH written_rows AS (
      INSERT INTO doc_updates (name, data)
      SELECT u.name, u.data FROM unnest(names, updates) WITH ORDINALITY AS u(name, data, n)
      ORDER BY u.n
      RETURNING doc_updates.seq)
    SELECT w.seq FROM written_rows w ORDER BY w.seq;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written <> cardinality(names) THEN
      RAISE EXCEPTION 'doc_updates: % seqs for % updates', written, cardinality(names);
    END IF;
  END $$;
  `,
]
