-- Entries removed from content/ (their file deleted), remembered so that
-- feeds can announce them (RFC 6721 tombstones in Atom, `_news.deleted` in
-- JSON Feed) and their pages can answer 410 Gone. The content build records
-- a row for each entry a load is about to delete (src/store/tombstones.ts),
-- before its rows go; a restored entry is simply live again (reads skip
-- tombstones whose id is among the entries).

CREATE TABLE tombstones (
  -- The entry id (slug).
  id TEXT PRIMARY KEY,
  -- The id its feed items had (Atom `id`, JSON Feed item `id`) and its page.
  atom_id TEXT NOT NULL,
  url TEXT NOT NULL,
  -- RFC 3339 UTC: the newest date of the content that no longer held it (content time, never the clock).
  at TEXT NOT NULL,
  -- The store keys of the scopes whose feeds held it, comma-separated.
  scopes TEXT NOT NULL
);

-- Reads take the tombstones still within the site's tombstone period.
CREATE INDEX tombstones_by_at ON tombstones (at);
