-- Each month row's newest entry `updated` (RFC 3339 UTC): the `lastmod` of
-- the month's pages in the sitemap. Rows loaded before this migration hold
-- '' until the next load rewrites them; the sitemap then uses the scope's
-- newest time, which is never earlier.
ALTER TABLE months ADD COLUMN updated TEXT NOT NULL DEFAULT '';
