/**
 * @module index
 * The Worker: the Hono app over the catalog compiled at build time (entries
 * are read from the D1 binding `DB`), with the WebSub hub's cron (change
 * detection) and queue consumer (delivery).
 */
import { createApp } from './app.ts'
import catalog from './generated/catalog.ts'
import { worker } from './websub/worker.ts'

export default worker(createApp(catalog))
