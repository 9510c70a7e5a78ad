import { z } from 'zod';
import { rolloutSpecSchema } from '../model/spec';
import { scheduleRequestSchema } from '../model/schedule-request';
import { CODEC_SESSION_COOKIE, CODEC_SESSION_PATH, CODEC_SESSION_TTL_SECONDS } from './codec-sessions';
import { FORM_CONTENT_TYPE } from './content-types';
import { DEFAULT_BODY_LIMIT, requestContentType, type ApiRoute, type RouteAuth } from './route';
import {
  controlResultSchema,
  emptyBody,
  errorSchema,
  healthSchema,
  hookAcceptedSchema,
  payloadSchema,
  payloadsBody,
  reportSchema,
  runListSchema,
  runReportSchema,
  runSummarySchema,
  scheduleListSchema,
  scheduleViewSchema,
  startedRunSchema,
} from './schemas';
import { describeRules, REQUEST_RULES, SPEC_RULES } from '../model/cross-field-rules';
import { queryParameterOverride } from './query-parameters';
import { SCOPE_MEANING, SCOPES } from './scopes';

type JsonObject = Record<string, unknown>;

const SCHEMA_REF = (id: string) => `#/components/schemas/${id}`;
/** Schemas shared by several operations get a name of their own; the others are named after their operation. */
const NAMED_SCHEMAS: Array<[z.ZodType, string]> = [
  [rolloutSpecSchema, 'RolloutSpec'],
  [scheduleRequestSchema, 'ScheduleRequest'],
  [errorSchema, 'Error'],
  [runSummarySchema, 'RunSummary'],
  [scheduleViewSchema, 'ScheduleView'],
  [payloadSchema, 'Payload'],
  [payloadsBody, 'Payloads'],
  [emptyBody, 'EmptyObject'],
  [startedRunSchema, 'StartedRun'],
  [runListSchema, 'RunList'],
  [runReportSchema, 'RunWithReport'],
  [reportSchema, 'Report'],
  [controlResultSchema, 'ControlResult'],
  [scheduleListSchema, 'ScheduleList'],
  [hookAcceptedSchema, 'HookAccepted'],
  [healthSchema, 'Health'],
];

/** "A", "A and B", "A, B and C". */
const listed = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const routeNames = (routes: readonly ApiRoute[]) => listed(routes.map((route) => `${route.method} ${openApiPath(route.path)}`));
const isSessionRoute = (route: ApiRoute) => route.auth.kind === 'bearer' && route.auth.session === true;

/** The API's description; every list of routes in it is read from the route table. */
function describeApi(routes: readonly ApiRoute[]): string {
  const publicRoutes = routes.filter((r) => r.auth.kind === 'public');
  const hmacRoutes = routes.filter((r) => r.auth.kind === 'hmac');
  const sessionRoutes = routes.filter(isSessionRoute);
  const formRoutes = routes.filter((r) => r.body && r.formBody);
  const hours = CODEC_SESSION_TTL_SECONDS / 3600;

  const exceptions = [
    publicRoutes.length > 0 ? `${routeNames(publicRoutes)}, which ${publicRoutes.length === 1 ? 'is' : 'are'} public and need${publicRoutes.length === 1 ? 's' : ''} no token` : '',
    hmacRoutes.length > 0 ? `${routeNames(hmacRoutes)}, which ${hmacRoutes.length === 1 ? 'is' : 'are'} authenticated by an HMAC signature instead` : '',
  ].filter(Boolean);
  const authentication =
    `Authentication: every route needs a bearer token (Authorization: Bearer ct_<id>_<secret>)${exceptions.length > 0 ? ` except ${exceptions.join(', and ')}` : ''}.` +
    (sessionRoutes.length > 0
      ? ` ${routeNames(sessionRoutes)} also accept a codec session cookie (${CODEC_SESSION_COOKIE}) in place of the bearer token, with the same scope (see Codec server below).`
      : '') +
    " Tokens are created with `cloudtrust token create <name> --scope <scope>`; the server keeps only their SHA-256. The token's name is recorded as the approver, or as who paused, resumed or cancelled.";

  const bodies =
    formRoutes.length > 0
      ? `Bodies must be JSON, except for ${routeNames(formRoutes)}, which ${formRoutes.length === 1 ? 'takes' : 'take'} an HTML form (${FORM_CONTENT_TYPE}); a body of another type is refused with 415`
      : 'Bodies must be JSON (415 otherwise)';

  return `The HTTP API of cloudtrust: start and follow rollouts of Windows Hello for Business cloud Kerberos trust, approve, pause, resume and cancel them, read their reports, schedule key rotation and drift checks, receive signed webhooks, and serve as the Temporal codec server.

${authentication}

Scopes, each including the ones before it: ${SCOPES.map((s) => `${s} (${SCOPE_MEANING[s]})`).join('; ')}.

Errors: every error is JSON {"error": {"code", "message", "hint"?, "problems"?}}; invalid input lists every problem by path (e.g. spec.domains[0].gpo.computerGroup: must be a name of …). 401 means no, a malformed or an unknown or revoked token, or an expired codec session (WWW-Authenticate says which); 403 names the scope needed and the token's scope. ${bodies}; objects refuse unknown properties, and bodies over the route's limit are refused with 413. A 500 whose message says the server lacks a key means a run's history was encrypted with a payload key the API no longer has: add the retired key to CLOUDTRUST_CODEC_OLD_KEYS.

Rules the schemas cannot carry (each relates two fields; a request the schemas accept is refused only by one of them, with a 400 naming the path). In a spec: ${describeRules(SPEC_RULES)} In a request: ${describeRules(REQUEST_RULES)}

Webhooks: POST /hooks/{name} with X-Cloudtrust-Timestamp (unix seconds, within 300 s of the server's clock) and X-Cloudtrust-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">. The key is the value of CLOUDTRUST_HOOK_SECRET_<NAME>, NAME being the hook's secret name upper-cased with . and - as _; it is never in the hooks file. Hooks are declared in CLOUDTRUST_HOOKS_FILE, else hooks.json in the data directory: {"hooks": [{"name", "action": "plan|apply|rotate-keys|drift-check", "spec": "<spec file, relative to the hooks file>", "secret": "<name>"}]}. The spec file is read again on every delivery. A delivery is accepted once: the same timestamp and signature again, while the timestamp is still within the window, is refused with 409 (code replayed), unless the first attempt failed. Signing a delivery from a shell:

    ts=$(date +%s); body='{"reference":"CHG0001234"}'
    sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$KEY" | cut -d' ' -f2)
    curl -X POST "$API/hooks/<name>" -H "X-Cloudtrust-Timestamp: $ts" -H "X-Cloudtrust-Signature: sha256=$sig" -H 'Content-Type: application/json' -d "$body"

Codec server: point the Temporal CLI at it with --codec-endpoint <this API>/codec --codec-auth "Bearer <token>" (decode needs read, encode needs operate). Browsers may call it from the configured Temporal Web UI origins only (CORS). The Temporal Web UI has no cloudtrust token to send, so a browser signs in instead: open GET ${CODEC_SESSION_PATH} on this API and sign in with a token of the read scope (POST ${CODEC_SESSION_PATH}, an HTML form). The answer sets the HttpOnly cookie ${CODEC_SESSION_COOKIE}, which holds a random session id (never the token), is sent only to /codec, and lasts ${hours} hours unless the token is revoked, the API restarts, or the browser signs out (DELETE ${CODEC_SESSION_PATH}). The codec routes accept that cookie in place of a bearer token, with the token's scope. In the Web UI, set the codec server endpoint to <this API>/codec and turn on "Include cross-origin credentials"; open the Web UI and this API under the same host name, as the cookie is SameSite=Strict.`;
}

/** The OpenAPI 3.1 document of the routes, built from the zod schemas that validate them. */
export function buildOpenApiDocument(routes: readonly ApiRoute[], info: { version: string } = { version: '0.1.0' }): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of NAMED_SCHEMAS) registry.add(schema, { id });
  const name = (schema: z.ZodType, fallback: string) => {
    if (!registry.has(schema)) registry.add(schema, { id: fallback });
    return registry.get(schema)!.id;
  };

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const operation: JsonObject = {
      operationId: route.operationId,
      tags: [route.tag],
      summary: route.summary,
      description: [route.description, authSentence(route.auth)].filter(Boolean).join('\n\n'),
      ...authFields(route.auth),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    };
    if (route.body) {
      const id = name(route.body, `${capitalize(route.operationId)}Request`);
      operation.requestBody = { required: !route.body.safeParse(undefined).success, content: { [requestContentType(route)]: { schema: { $ref: SCHEMA_REF(id) } } } };
    }
    operation.responses = responses(route, name);
    const at = openApiPath(route.path);
    paths[at] = { ...paths[at], [route.method.toLowerCase()]: operation };
  }

  const { schemas } = z.toJSONSchema(registry, { uri: SCHEMA_REF, io: 'input', unrepresentable: 'any' });
  const components = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonObject)]));
  components.RolloutSpec = { ...components.RolloutSpec, description: `Rules this schema cannot carry: ${describeRules(SPEC_RULES)}` };

  return {
    openapi: '3.1.0',
    info: { title: 'cloudtrust API', version: info.version, description: describeApi(routes) },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(routes.map((r) => r.tag))].map((tag) => ({ name: tag })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: `An API token, ct_<id>_<secret>. The roles listed on an operation are the scope it needs: ${SCOPES.join(' < ')}.`,
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Cloudtrust-Signature',
          description: 'sha256=<hex HMAC-SHA256 of "<X-Cloudtrust-Timestamp>.<raw body>">, keyed with the hook\'s secret.',
        },
        codecSession: {
          type: 'apiKey',
          in: 'cookie',
          name: CODEC_SESSION_COOKIE,
          description:
            `A browser's codec session, set (HttpOnly, Path=/codec, SameSite=Strict) by POST ${CODEC_SESSION_PATH} after signing in with an API token; ` +
            'accepted in place of a bearer token by the operations that list it, with the scope of the token that signed in. The roles listed are the scope needed.',
        },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}

function authSentence(auth: RouteAuth): string {
  if (auth.kind === 'bearer' && auth.session) {
    return `Needs a bearer token with the ${auth.scope} scope (or higher), or the codec session cookie (${CODEC_SESSION_COOKIE}) of a browser signed in at ${CODEC_SESSION_PATH} with such a token.`;
  }
  if (auth.kind === 'bearer') return `Needs a bearer token with the ${auth.scope} scope (or higher).`;
  if (auth.kind === 'public') return 'Public: no token needed.';
  return 'Authenticated by the HMAC signature of the hook (X-Cloudtrust-Timestamp, X-Cloudtrust-Signature); no bearer token.';
}

function authFields(auth: RouteAuth): JsonObject {
  if (auth.kind === 'bearer') {
    // Alternatives: either scheme authenticates.
    return { security: [{ bearerAuth: [auth.scope] }, ...(auth.session ? [{ codecSession: [auth.scope] }] : [])], 'x-cloudtrust-scope': auth.scope };
  }
  if (auth.kind === 'public') return { security: [] };
  return { security: [{ webhookSignature: [] }] };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: queryParameterOverride }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    const style = rest.type === 'array' ? { style: 'form', explode: false } : {};
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), ...style, schema: rest };
  });
}

function responses(route: ApiRoute, name: (schema: z.ZodType, fallback: string) => string): JsonObject {
  const error = { $ref: SCHEMA_REF(name(errorSchema, 'Error')) };
  const out: Record<string, JsonObject> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const content: JsonObject = {};
    if (doc.schema) content['application/json'] = { schema: { $ref: SCHEMA_REF(name(doc.schema, `${capitalize(route.operationId)}Response${status === '200' ? '' : status}`)) } };
    for (const type of doc.contentTypes ?? []) content[type] = { schema: { type: 'string' } };
    out[status] = { description: doc.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  const standard: Record<string, string> = {};
  if (route.auth.kind === 'bearer') {
    standard['401'] = route.auth.session
      ? 'no bearer token and no codec session cookie, a malformed Authorization header, an unknown or revoked token, or an expired session'
      : 'no bearer token, a malformed Authorization header, or an unknown or revoked token';
    standard['403'] = `the token lacks the ${route.auth.scope} scope`;
  }
  standard['400'] = 'the request is invalid (a query parameter this operation does not take included); every problem is listed by path';
  if (route.body) {
    standard['413'] = `the body is larger than this route accepts (${(route.bodyLimit ?? DEFAULT_BODY_LIMIT) / 1024} KiB${route.bodyLimit ? '' : ' unless the server is configured otherwise'})`;
    if (!route.rawBody) standard['415'] = `the body is not ${route.formBody ? 'an HTML form' : 'JSON'} (send Content-Type: ${requestContentType(route)})`;
  }
  standard['500'] = 'an unexpected error; the details are in the server log';
  for (const [status, description] of Object.entries(standard)) out[status] ??= { description, content: { 'application/json': { schema: error } } };
  return out;
}

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
