-- WebSub hub (src/websub/): subscriptions and the last distributed validator per topic.
-- Times are milliseconds since the Unix epoch.

CREATE TABLE websub_subscriptions (
  id            INTEGER PRIMARY KEY,
  topic         TEXT    NOT NULL,
  callback      TEXT    NOT NULL,
  -- Lowercase host of the callback, for the per-host bound.
  callback_host TEXT    NOT NULL,
  -- hub.secret (< 200 bytes) or NULL: deliveries are signed when present.
  secret        TEXT,
  lease_seconds INTEGER NOT NULL,
  -- End of the lease; NULL while pending.
  expires_at    INTEGER,
  -- pending: requested, intent not yet verified; active: verified, receives content.
  state         TEXT    NOT NULL CHECK (state IN ('pending', 'active')),
  created_at    INTEGER NOT NULL,
  verified_at   INTEGER,
  -- Consecutive failed deliveries; reset by a successful one.
  attempts      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (topic, callback)
);

CREATE INDEX websub_subscriptions_by_topic ON websub_subscriptions (topic, state, expires_at);
CREATE INDEX websub_subscriptions_by_host ON websub_subscriptions (callback_host);
CREATE INDEX websub_subscriptions_by_expiry ON websub_subscriptions (expires_at);

CREATE TABLE websub_topics (
  topic          TEXT    PRIMARY KEY,
  -- ETag of the representation last distributed (or first seen).
  etag           TEXT    NOT NULL,
  distributed_at INTEGER NOT NULL
);
