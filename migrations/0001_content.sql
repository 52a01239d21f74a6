-- The content store. The content build (scripts/build-content.ts) fills
-- these tables from content/; the Worker only reads them.
--
-- Every entry has a distinct publication instant (the build spaces ties a
-- second apart), so `ts`, its Unix time, orders entries totally and is the
-- key that joins the tables. Newest first is `ORDER BY ts DESC`.

-- One row per entry, with each format's item pre-rendered at build time so
-- that no request serializes an entry.
CREATE TABLE entries (
  ts INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  -- RFC 3339 UTC, for Last-Modified and a feed's updated time.
  updated TEXT NOT NULL,
  -- Topic slugs, comma-separated, for the feeds' Cache-Tag.
  topics TEXT NOT NULL,
  -- Of every other column: the load rewrites only rows whose hash changed.
  hash TEXT NOT NULL,
  rss TEXT NOT NULL,
  atom TEXT NOT NULL,
  json TEXT NOT NULL,
  -- JSON: what a list of entries shows (title, summary, date, topics).
  card TEXT NOT NULL,
  -- JSON: the whole compiled entry, for its page.
  doc TEXT NOT NULL
);

-- Which entries each feed holds, and where in it. A scope is `site`,
-- `topic:{slug}`, `person:{id}` or `source:{slug}`. `pos` counts from the
-- oldest entry of the scope (1, 2, …), so archive pages are ranges of it.
CREATE TABLE memberships (
  scope TEXT NOT NULL,
  ts INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  PRIMARY KEY (scope, ts)
) WITHOUT ROWID;
CREATE UNIQUE INDEX memberships_by_pos ON memberships (scope, pos);

-- Entries per scope and month (`YYYY-MM`), for the archive index pages.
CREATE TABLE months (
  scope TEXT NOT NULL,
  month TEXT NOT NULL,
  entries INTEGER NOT NULL,
  first_pos INTEGER NOT NULL,
  last_pos INTEGER NOT NULL,
  PRIMARY KEY (scope, month)
) WITHOUT ROWID;

-- Full-text index of each entry's title, summary and body (plain text);
-- rowid = entries.ts. Case- and accent-insensitive.
CREATE VIRTUAL TABLE entry_text USING fts5(
  title, summary, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- `version`: the content version the rows belong to; the Worker compares it
-- with the one it was built with and refuses to mix the two.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The load replaces an entry's memberships by its `ts`.
CREATE INDEX memberships_by_ts ON memberships (ts);
