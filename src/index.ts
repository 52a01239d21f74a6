/**
 * @module index
 * The Worker: the Hono app over the catalog compiled at build time; entries
 * are read from the D1 binding `DB`.
 */
import { createApp } from './app.ts'
import catalog from './generated/catalog.ts'

export default createApp(catalog)
