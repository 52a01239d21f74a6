/**
 * @module websub/worker
 * The Worker's handlers: `fetch` is the app; `scheduled` (the cron, every
 * minute) runs the hub's change detection and lease cleanup; `queue`
 * delivers content to subscribers.
 */
import type { Delivery, Hub, HubEnv } from './hub.ts'

/** What {@link worker} needs of the app. */
export interface HubApp {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>
  websub: Hub
}

/** The Worker's exported handlers for an app with a hub. */
export function worker(app: HubApp) {
  return {
    fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
    // Awaited rather than left to waitUntil, so that `wrangler dev --test-scheduled`'s /__scheduled answers once detection is done.
    async scheduled(_controller: ScheduledController, env: Env) {
      await app.websub.detect(env as HubEnv)
    },
    queue: (batch: MessageBatch<Delivery>, env: Env) => app.websub.deliver(batch, env as HubEnv),
  } satisfies ExportedHandler<Env, Delivery>
}
