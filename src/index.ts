/**
 * @module index
 * The Worker: code only. The content (catalog and entries) is read from the
 * D1 binding `DB`, one content version at a time (src/versions.ts), with the
 * WebSub hub's cron and queue consumer.
 */
import { versionedWorker } from './versions.ts'

export default versionedWorker()
