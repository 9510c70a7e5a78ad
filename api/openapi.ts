import { z } from 'zod';
import { rolloutSpecSchema } from '../model/spec';
import { scheduleRequestSchema } from '../model/schedule-request';
import { DEFAULT_BODY_LIMIT, type ApiRoute, type RouteAuth } from './route';
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

const DESCRIPTION = `The HTTP API of cloudtrust: start and follow rollouts of Windows Hello for Business cloud Kerberos trust, approve, pause, resume and cancel them, read their reports, schedule key rotation and drift checks, receive signed webhooks, and serve as the Temporal codec server.

Authentication: every route needs a bearer token (Authorization: Bearer ct_<id>_<secret>) except GET /health, GET /openapi.json and GET /docs, which are public and need no token, and POST /hooks/{name}, which is authenticated by an HMAC signature instead. Tokens are created with \`cloudtrust token create <name> --scope <scope>\`; the server keeps only their SHA-256. The token's name is recorded as the approver, or as who paused, resumed or cancelled.

Scopes, each including the ones before it: ${SCOPES.map((s) => `${s} (${SCOPE_MEANING[s]})`).join('; ')}.

Errors: every error is JSON {"error": {"code", "message", "hint"?, "problems"?}}; invalid input lists every problem by path (e.g. spec.domains[0].gpo.computerGroup: must be a name of …). 401 means no, a malformed or an unknown or revoked token (WWW-Authenticate says which); 403 names the scope needed and the token's scope. Bodies must be JSON (415 otherwise), objects refuse unknown properties, and bodies over the route's limit are refused with 413.

Webhooks: POST /hooks/{name} with X-Cloudtrust-Timestamp (unix seconds, within 300 s of the server's clock) and X-Cloudtrust-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">. The key is the value of CLOUDTRUST_HOOK_SECRET_<NAME>, NAME being the hook's secret name upper-cased with . and - as _; it is never in the hooks file. Hooks are declared in CLOUDTRUST_HOOKS_FILE, else hooks.json in the data directory: {"hooks": [{"name", "action": "plan|apply|rotate-keys|drift-check", "spec": "<spec file, relative to the hooks file>", "secret": "<name>"}]}. The spec file is read again on every delivery. Signing a delivery from a shell:

    ts=$(date +%s); body='{"reference":"CHG0001234"}'
    sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$KEY" | cut -d' ' -f2)
    curl -X POST "$API/hooks/<name>" -H "X-Cloudtrust-Timestamp: $ts" -H "X-Cloudtrust-Signature: sha256=$sig" -H 'Content-Type: application/json' -d "$body"

Codec server: point the Temporal CLI at it with --codec-endpoint <this API>/codec --codec-auth "Bearer <token>" (decode needs read, encode needs operate). Browsers may call it from the configured Temporal Web UI origins only (CORS). The Web UI sends an Authorization header only when it passes its own sign-in access token to the codec server; a Web UI without sign-in (the embedded dev server's) cannot authenticate, and shows payloads encrypted.`;

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
      operation.requestBody = { required: !route.body.safeParse(undefined).success, content: { [route.formBody ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: { $ref: SCHEMA_REF(id) } } } };
    }
    operation.responses = responses(route, name);
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[openApiPath] = { ...paths[openApiPath], [route.method.toLowerCase()]: operation };
  }

  const { schemas } = z.toJSONSchema(registry, { uri: SCHEMA_REF, io: 'input', unrepresentable: 'any' });
  const components = Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonObject)]));

  return {
    openapi: '3.1.0',
    info: { title: 'cloudtrust API', version: info.version, description: DESCRIPTION },
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
      },
    },
    security: [{ bearerAuth: [] }],
  };
}

function authSentence(auth: RouteAuth): string {
  if (auth.kind === 'bearer') return `Needs a bearer token with the ${auth.scope} scope (or higher).`;
  if (auth.kind === 'public') return 'Public: no token needed.';
  return 'Authenticated by the HMAC signature of the hook (X-Cloudtrust-Timestamp, X-Cloudtrust-Signature); no bearer token.';
}

function authFields(auth: RouteAuth): JsonObject {
  if (auth.kind === 'bearer') return { security: [{ bearerAuth: [auth.scope] }], 'x-cloudtrust-scope': auth.scope };
  if (auth.kind === 'public') return { security: [] };
  return { security: [{ webhookSignature: [] }] };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonObject[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
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
    standard['401'] = 'no bearer token, a malformed Authorization header, or an unknown or revoked token';
    standard['403'] = `the token lacks the ${route.auth.scope} scope`;
  }
  if (route.body) {
    standard['413'] = `the body is larger than this route accepts (${(route.bodyLimit ?? DEFAULT_BODY_LIMIT) / 1024} KiB${route.bodyLimit ? '' : ' unless the server is configured otherwise'})`;
    if (!route.rawBody) standard['415'] = route.formBody ? 'the body is not an HTML form' : 'the body is not JSON';
  }
  standard['500'] = 'an unexpected error; the details are in the server log';
  for (const [status, description] of Object.entries(standard)) out[status] ??= { description, content: { 'application/json': { schema: error } } };
  return out;
}

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
