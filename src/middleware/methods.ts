/**
 * @module middleware/methods
 * Answers `405 Method Not Allowed` for a method the target resource does
 * not support, with the `Allow` header listing the methods it does (RFC 9110
 * sections 15.5.6 and 10.2.1): each resource states its own set.
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { MethodNotAllowed } from '../errors.ts'

/** Lets a request through when `allowed(path)` lists its method; else throws {@link MethodNotAllowed} with that list. */
export function allowMethods(allowed: (path: string) => readonly string[]): MiddlewareHandler {
  return createMiddleware(async function allowMethods(c, next) {
    const methods = allowed(c.req.path)
    if (!methods.includes(c.req.method)) throw new MethodNotAllowed(c.req.method, methods)
    await next()
  })
}
