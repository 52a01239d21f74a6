/**
 * @module index
 * The Worker: the Hono app over the content compiled at build time, with the
 * WebSub hub's cron (change detection) and queue consumer (delivery).
 */
import { createApp } from './app.ts'
import content from './generated/content.ts'
import { worker } from './websub/worker.ts'

export default worker(createApp(content))
