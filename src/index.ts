/**
 * @module index
 * The Worker: the Hono app over the content compiled at build time.
 */
import { createApp } from './app.ts'
import content from './generated/content.ts'

export default createApp(content)
