-- Newsroom: tombstones of deleted entries, and stated subscriber counts.

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

-- Subscriber counts that aggregators state in the User-Agent of their feed
-- polls (src/subscribers/): one row per feed, aggregator, aggregator's feed
-- id and UTC day; a later poll the same day replaces the count. Never an IP
-- address or a User-Agent.
CREATE TABLE subscriber_counts (
  -- `YYYY-MM-DD` (UTC) of the poll: the stats read the last seven.
  day TEXT NOT NULL,
  -- The feed's path and query as polled, such as `/topics/trade/atom.xml`.
  feed TEXT NOT NULL,
  -- The store key of the feed's scope (`site`, `topic:{slug}`, …) and its format (`rss`, `atom`, `json`).
  scope TEXT NOT NULL,
  format TEXT NOT NULL,
  aggregator TEXT NOT NULL,
  -- The aggregator's own id for the feed, or '' when it states none.
  feed_id TEXT NOT NULL,
  count INTEGER NOT NULL,
  -- Milliseconds since the Unix epoch of the poll that stated `count`.
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (day, feed, aggregator, feed_id)
) WITHOUT ROWID;
