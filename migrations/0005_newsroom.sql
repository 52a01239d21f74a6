-- Newsroom: stated subscriber counts. (Tombstones of withdrawn and deleted
-- entries live in each version's catalog: src/store/tombstones.ts.)

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
