-- Versioned content (multi-version rows). Every content row is valid for a
-- range of content versions, `since` (first version that has it) up to but
-- not including `until`. A publish writes the rows of version n+1 beside
-- those of n (new rows `since = n+1`, replaced rows `until = n+1`), then
-- flips `meta.current` in one statement. A reader binds the version it
-- read, so it sees one whole version whatever a load is doing; rows no
-- kept version needs are deleted by the next publish (src/store/load.ts).
--
-- The tables of 0001 are replaced: their rows are rebuilt by the next load.

DROP TABLE entries;
DROP TABLE memberships;
DROP TABLE months;
DROP TABLE entry_text;
DROP TABLE meta;

-- `until` of a row still current.
-- 9007199254740991 = 2^53 - 1, the largest integer JavaScript keeps exact.

-- One row per entry and version range. `key` = ts * 2^20 + (since mod 2^20):
-- distinct for the versions of one entry, and ordered as `ts`, so the
-- full-text index (rowid = key) yields entries newest first.
CREATE TABLE entries (
  key INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  id TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL DEFAULT 9007199254740991,
  -- RFC 3339 UTC, for Last-Modified and a feed's updated time.
  updated TEXT NOT NULL,
  -- Topic slugs, comma-separated, for the Cache-Tag of filtered documents.
  topics TEXT NOT NULL,
  -- Of the entry's data (card, doc, items, text): the load rewrites the row when it changes.
  hash TEXT NOT NULL,
  -- Of the entry's memberships: a backdated entry shifts positions, which rewrites only memberships.
  spots TEXT NOT NULL,
  -- JSON: what a list of entries shows (title, summary, date, topics).
  card TEXT NOT NULL,
  -- JSON: the whole compiled entry, for its page.
  doc TEXT NOT NULL
);
CREATE INDEX entries_by_id ON entries (id, since);
CREATE INDEX entries_by_until ON entries (until);

-- Each feed format's pre-rendered item of an entry row: a new format is new rows.
CREATE TABLE items (
  entry INTEGER NOT NULL,
  format TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (entry, format)
) WITHOUT ROWID;

-- Which entries each scope holds, and where: `pos` counts from the oldest
-- entry of the scope (1, 2, …), so archive pages are ranges of it.
CREATE TABLE memberships (
  scope TEXT NOT NULL,
  ts INTEGER NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL DEFAULT 9007199254740991,
  pos INTEGER NOT NULL,
  PRIMARY KEY (scope, ts, since)
) WITHOUT ROWID;
CREATE INDEX memberships_by_pos ON memberships (scope, pos);
CREATE INDEX memberships_by_ts ON memberships (ts);
CREATE INDEX memberships_by_until ON memberships (until);

-- Entries per scope and month (`YYYY-MM`), for the archive index pages.
CREATE TABLE months (
  scope TEXT NOT NULL,
  month TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER NOT NULL DEFAULT 9007199254740991,
  entries INTEGER NOT NULL,
  first_pos INTEGER NOT NULL,
  last_pos INTEGER NOT NULL,
  PRIMARY KEY (scope, month, since)
) WITHOUT ROWID;
CREATE INDEX months_by_until ON months (until);

-- Full-text index of each entry row's title, summary and body (plain
-- text), rowid = entries.key. Contentless: the text is indexed, not kept.
CREATE VIRTUAL TABLE entry_text USING fts5(
  title, summary, body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- One row per content version: its catalog (site, topics, people, sources,
-- images, per-scope counts, related topics: JSON, read once per isolate and
-- version) and what changed from the version before (JSON, for WebSub).
CREATE TABLE versions (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  catalog TEXT NOT NULL,
  changed TEXT NOT NULL
);
-- Each read names its version by hash (src/store/queries.ts, atVersion).
CREATE INDEX versions_by_hash ON versions (hash, id);

-- `current`: the version readers get. `detected`: the last version WebSub
-- change detection ran for.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('current', 0), ('detected', 0);
