import type { IncomingHttpHeaders } from 'node:http';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { CloudtrustLogger } from '../worker/log';
import type { HookDefinition } from './hooks';
import type { Scope } from './scopes';
import type { CodecSessions } from './codec-sessions';
import type { HookDeliveries } from './hook-deliveries';
import type { TokenRecord, TokenStore } from './tokens';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE } from './content-types';
import { parseInput } from './validation';

/** Who may call a route: a bearer token with a scope, anyone, or a webhook sender holding the hook's HMAC key. */
export type RouteAuth =
  /** `session`: a codec session cookie (see /codec/session) also authenticates, for the Temporal Web UI. */
  | { kind: 'bearer'; scope: Scope; session?: true }
  | { kind: 'public' }
  | { kind: 'hmac' };

export interface ResponseDoc {
  description: string;
  /** The JSON body's schema; absent for bodies that are not JSON (see contentTypes) or empty ones. */
  schema?: z.ZodType;
  /** Non-JSON bodies this status may carry (text/markdown, text/html). */
  contentTypes?: string[];
}

/** What the routes work with: one per API instance. */
export interface ApiContext {
  client: Client;
  taskQueue: string;
  /** Encodes and decodes payloads exactly as the worker does (identity when no keyring is configured). */
  codec: PayloadCodec;
  hooks: ReadonlyMap<string, HookDefinition>;
  tokens: TokenStore;
  codecSessions: CodecSessions;
  hookDeliveries: HookDeliveries;
  log: CloudtrustLogger;
  /** The OpenAPI document of this API (built from the route table). */
  openApi: () => Record<string, unknown>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  /** Default: application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteCall<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** The token that authenticated the call (bearer routes). */
  token: TokenRecord | null;
  /** The body as received, on raw-body routes (webhooks). */
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  requestId: string;
}

interface RouteShape {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax: /rollouts/:id */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: RouteAuth;
  /** Default: the server's body limit. */
  bodyLimit?: number;
  /** The body reaches the handler unparsed (rawBody); `body` then only documents it. */
  rawBody?: boolean;
  /** The body is an HTML form (application/x-www-form-urlencoded) instead of JSON. */
  formBody?: boolean;
  responses: Record<number, ResponseDoc>;
}

/** One entry of the route table: registration, the OpenAPI document and the tests all read it. */
export interface ApiRoute extends RouteShape {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Validates the raw params, query and body, then handles the call. */
  run(input: RouteCall<unknown, unknown, unknown>, context: ApiContext): Promise<RouteResult>;
}

/** The content type a route's request body must have (raw-body routes take any, and document JSON). */
export function requestContentType(route: Pick<RouteShape, 'formBody'>): string {
  return route.formBody ? FORM_CONTENT_TYPE : JSON_CONTENT_TYPE;
}

/** The largest request body a route takes unless it sets its own `bodyLimit`. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

const NO_QUERY = z.object({}).strict();

/** A route whose params, query and body are validated by its zod schemas before its handler sees them. */
export function defineRoute<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = typeof NO_QUERY, B extends z.ZodType = z.ZodUndefined>(
  route: RouteShape & {
    params?: P;
    query?: Q;
    body?: B;
    handle: (call: RouteCall<z.output<P>, z.output<Q>, z.output<B>>, context: ApiContext) => Promise<RouteResult>;
  },
): ApiRoute {
  const { handle, ...shape } = route;
  const query = route.query ?? NO_QUERY;
  return {
    ...shape,
    query,
    async run(input, context) {
      const params = route.params ? parseInput(route.params, input.params, 'path') : undefined;
      const parsedQuery = parseInput(query, input.query ?? {}, 'query');
      const body = route.body && !route.rawBody ? parseInput(route.body, input.body, 'body') : undefined;
      return handle({ ...input, params: params as z.output<P>, query: parsedQuery as z.output<Q>, body: body as z.output<B> }, context);
    },
  };
}
