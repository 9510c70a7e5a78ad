import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors';
import type { ApiRoute } from './route';

/** The methods a request may use and be refused with 405 rather than 404 (Fastify knows no others by default). */
const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Every path of the route table with the methods it answers: the declared ones, HEAD where GET is, and OPTIONS. */
export function allowedMethodsByPath(routes: readonly ApiRoute[]): Map<string, string[]> {
  const declared = new Map<string, Set<string>>();
  for (const route of routes) declared.set(route.path, (declared.get(route.path) ?? new Set()).add(route.method));
  return new Map(
    [...declared].map(([path, methods]) => {
      if (methods.has('GET')) methods.add('HEAD');
      methods.add('OPTIONS');
      return [path, KNOWN_METHODS.filter((m) => methods.has(m))];
    }),
  );
}

const isPreflight = (request: FastifyRequest) => request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;

/**
 * HTTP's method semantics on every known path: OPTIONS answers 204 with Allow (a CORS preflight is left to the CORS
 * plugin, with Allow added), and any other undeclared method is a 405 with Allow, refused before the body is read.
 * HEAD is Fastify's: every GET route answers it, without the body. Register before the CORS plugin.
 */
export function registerMethodSemantics(app: FastifyInstance, routes: readonly ApiRoute[]): void {
  const allowed = allowedMethodsByPath(routes);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'OPTIONS') return;
    const allow = request.routeOptions.url === undefined ? undefined : allowed.get(request.routeOptions.url);
    if (allow) reply.header('allow', allow.join(', '));
    if (isPreflight(request)) return;
    if (!allow) throw new ApiError(404, 'not-found', `no route OPTIONS ${request.url.split('?')[0]}`, { hint: 'the routes are listed at /docs' });
    return reply.code(204).send();
  });
  for (const [path, allow] of allowed) {
    const refused = KNOWN_METHODS.filter((m) => !allow.includes(m));
    app.route({ method: 'OPTIONS', url: path, handler: async (_request, reply) => reply.code(204).header('allow', allow.join(', ')).send() });
    if (refused.length === 0) continue;
    app.route({
      method: refused,
      url: path,
      onRequest: async (request) => {
        throw new ApiError(405, 'method-not-allowed', `${request.method} is not a method of ${path.replace(/:([A-Za-z]+)/g, '{$1}')}`, {
          hint: `it answers ${allow.join(', ')}`,
          headers: { allow: allow.join(', ') },
        });
      },
      handler: async () => undefined,
    });
  }
}
