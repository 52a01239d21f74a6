-- WebSub hub: the per-domain bound keys on the callback's registrable domain
-- (src/websub/domain.ts), not its exact host. Rows from before this migration
-- count under their host until they are renewed.
ALTER TABLE websub_subscriptions ADD COLUMN callback_domain TEXT NOT NULL DEFAULT '';
UPDATE websub_subscriptions SET callback_domain = callback_host;
CREATE INDEX websub_subscriptions_by_domain ON websub_subscriptions (callback_domain);
