import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import cors from '@fastify/cors';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { projectRoot } from '../activities/bridge/paths';
import { EncryptionCodec, type Keyring } from '../worker/codec';
import { createLogger, type CloudtrustLogger } from '../worker/log';
import { authenticate } from './auth';
import { CodecSessions } from './codec-sessions';
import { HookDeliveries } from './hook-deliveries';
import { ApiError, errorResponse } from './errors';
import { reservedKeyProblems } from '../model/reserved-keys';
import type { HookDefinition } from './hooks';
import { registerMethodSemantics } from './http-methods';
import { buildOpenApiDocument } from './openapi';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE } from './content-types';
import { DEFAULT_BODY_LIMIT, requestContentType, type ApiContext, type ApiRoute } from './route';

export { DEFAULT_BODY_LIMIT } from './route';
import { ROUTES } from './routes';
import type { TokenStore } from './tokens';

export const DEFAULT_HOST = '127.0.0.1';

export interface ApiOptions {
  client: Client;
  taskQueue: string;
  tokens: TokenStore;
  /** The worker's payload keyring, for the codec routes; undefined when payloads are not encrypted (they pass through). */
  keyring: Keyring | undefined;
  hooks: HookDefinition[];
  /** Browser origins allowed to call the API (the Temporal Web UI's, for the codec); empty: none. */
  corsOrigins: string[];
  /** true (default): one JSON line per request on stderr; false: silent; or a logger of your own. */
  logger?: boolean | CloudtrustLogger;
  /** Largest request body, in bytes (the codec and webhook routes have their own limits); default 256 KiB. */
  bodyLimit?: number;
}

const passThroughCodec: PayloadCodec = {
  encode: async (payloads: Payload[]) => payloads,
  decode: async (payloads: Payload[]) => payloads,
};

const silentLogger: CloudtrustLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The API as a Fastify instance, routes registered from the route table; `listen` it, or `inject` requests in tests. */
export function buildApi(options: ApiOptions): FastifyInstance {
  const log = options.logger === false ? silentLogger : options.logger === undefined || options.logger === true ? createLogger('api') : options.logger;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Run ids reach 255 characters, and more once percent-encoded (a child's id has slashes).
  const app = Fastify({ logger: false, bodyLimit, return503OnClosing: true, routerOptions: { maxParamLength: 1024 } });
  let document: Record<string, unknown> | undefined;
  const codecSessions = new CodecSessions(options.tokens);
  const context: ApiContext = {
    client: options.client,
    taskQueue: options.taskQueue,
    codec: options.keyring ? new EncryptionCodec(options.keyring) : passThroughCodec,
    hooks: new Map(options.hooks.map((hook) => [hook.name, hook])),
    tokens: options.tokens,
    codecSessions,
    hookDeliveries: new HookDeliveries(),
    log,
    openApi: () => (document ??= buildOpenApiDocument(ROUTES, { version: packageVersion() })),
  };

  // JSON is the only body type; Fastify would otherwise also take text/plain.
  app.removeContentTypeParser('text/plain');
  // Fastify refuses __proto__ and constructor.prototype, but says only "not valid JSON": parse as JSON.parse does,
  // then refuse every reserved key by where it is, before a route sees the body.
  const parseJson = app.getDefaultJsonParser('ignore', 'ignore');
  app.removeContentTypeParser(JSON_CONTENT_TYPE);
  app.addContentTypeParser(JSON_CONTENT_TYPE, { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, String(body), (error, value) => {
      if (error) return done(error, undefined);
      const problems = reservedKeyProblems(value);
      if (problems.length > 0) return done(new ApiError(400, 'invalid-input', 'the request body uses reserved names as keys', { problems }), undefined);
      done(null, value);
    }),
  );
  app.decorateRequest('apiToken', null);
  registerMethodSemantics(app, ROUTES);
  app.register(cors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    reply.header('referrer-policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    log.info('request', {
      requestId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? '(none)',
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      ...(request.apiToken ? { token: request.apiToken.id, tokenName: request.apiToken.name } : {}),
    });
  });

  const routesByKey = new Map(ROUTES.map((route) => [`${route.method} ${route.path}`, route]));
  app.setErrorHandler(async (error, request, reply) => {
    const route = request.routeOptions.url === undefined ? undefined : routesByKey.get(`${request.method} ${request.routeOptions.url}`);
    const response = errorResponse(error, request.id, {
      path: request.routeOptions.url,
      bodyLimit: request.routeOptions.bodyLimit,
      ...(route ? { contentType: requestContentType(route) } : {}),
    });
    if (response.unexpected) log.error('unexpected error', { requestId: request.id, route: request.routeOptions.url, error });
    // A known failure on the server's side (a payload key it lacks, Temporal unreachable): the operator needs the details.
    else if (response.status >= 500) log.error('server-side failure', { requestId: request.id, route: request.routeOptions.url, code: response.body.error.code, error });
    return reply.code(response.status).headers(response.headers).type('application/json; charset=utf-8').send(response.body);
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: { code: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]}`, hint: 'the routes are listed at /docs' } }),
  );

  for (const route of ROUTES) {
    if (route.rawBody) {
      // The webhook signature is over the exact bytes received: keep them, whatever the content type says.
      app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
        registerRoute(scope, route, options.tokens, context);
      });
    } else if (route.formBody) {
      app.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser(FORM_CONTENT_TYPE, { parseAs: 'string' }, (_request, body, done) =>
          done(null, Object.fromEntries(new URLSearchParams(String(body)))),
        );
        registerRoute(scope, route, options.tokens, context);
      });
    } else {
      registerRoute(app, route, options.tokens, context);
    }
  }
  return app;
}

function registerRoute(app: FastifyInstance, route: ApiRoute, tokens: TokenStore, context: ApiContext): void {
  const auth = route.auth;
  app.route({
    method: route.method,
    url: route.path,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    ...(auth.kind === 'bearer'
      ? {
          onRequest: async (request: FastifyRequest) => {
            request.apiToken = await authenticate(request, tokens, auth.scope, auth.session ? context.codecSessions : undefined);
          },
        }
      : {}),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await route.run(
        {
          params: request.params,
          query: request.query,
          body: route.rawBody ? undefined : request.body,
          rawBody: route.rawBody && Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          token: request.apiToken,
          headers: request.headers,
          requestId: request.id,
        },
        context,
      );
      reply.code(result.status).headers(result.headers ?? {});
      if (result.body === undefined) return reply.send();
      return reply.type(result.contentType ?? 'application/json; charset=utf-8').send(result.body);
    },
  });
}

let cachedVersion: string | undefined;
function packageVersion(): string {
  cachedVersion ??= String((JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version);
  return cachedVersion;
}

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** Builds the API and listens (on 127.0.0.1 unless `host` says otherwise; port 0 picks a free one). */
export async function startApiServer(options: ApiOptions & { host?: string; port: number }): Promise<RunningApi> {
  const app = buildApi(options);
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return { url, close: () => app.close() };
}
