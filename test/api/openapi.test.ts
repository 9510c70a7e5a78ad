import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { ROUTES } from '../../api/routes';
import { startApiServer, type RunningApi } from '../../api/server';
import { openTokenStore } from '../../api/tokens';

type Operation = { operationId: string; description: string; security: Array<Record<string, string[]>>; 'x-cloudtrust-scope'?: string; requestBody?: unknown; responses: Record<string, unknown> };

/** Routes that need no Temporal call: documentation and refusals. The client is lazy and never connects. */
describe('OpenAPI document and docs page', () => {
  let api: RunningApi;
  let document: {
    openapi: string;
    info: { description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-openapi-'));
    api = await startApiServer({ client: new Client(), taskQueue: 'unused', tokens: openTokenStore(dataDir), keyring: undefined, hooks: [], corsOrigins: [], logger: false, port: 0 });
    const response = await fetch(`${api.url}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });
  afterAll(() => api?.close());

  test('is OpenAPI 3.1 with every route of the table, its scope and its security', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearerAuth', 'codecSession', 'webhookSignature']);
    for (const route of ROUTES) {
      const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.operationId);
      if (route.auth.kind === 'bearer') {
        // Alternatives: a codec session cookie also authenticates where the route says so.
        expect(operation.security).toEqual([{ bearerAuth: [route.auth.scope] }, ...(route.auth.session ? [{ codecSession: [route.auth.scope] }] : [])]);
        expect(operation['x-cloudtrust-scope']).toBe(route.auth.scope);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      } else if (route.auth.kind === 'public') {
        expect(operation.security).toEqual([]);
      } else {
        expect(operation.security).toEqual([{ webhookSignature: [] }]);
      }
      if (route.body) expect(operation.requestBody).toBeDefined();
    }
    expect(Object.values(document.paths).flatMap((item) => Object.keys(item))).toHaveLength(ROUTES.length);
  });

  test('the codec session cookie is a security scheme, offered on the codec decode and encode operations only', () => {
    expect(document.components.securitySchemes.codecSession).toEqual({ type: 'apiKey', in: 'cookie', name: 'cloudtrust_codec', description: expect.stringContaining('POST /codec/session') });
    expect(document.paths['/codec/decode'].post.security).toEqual([{ bearerAuth: ['read'] }, { codecSession: ['read'] }]);
    expect(document.paths['/codec/encode'].post.security).toEqual([{ bearerAuth: ['operate'] }, { codecSession: ['operate'] }]);
    expect(document.paths['/codec/decode'].post.description).toContain('or the codec session cookie (cloudtrust_codec) of a browser signed in at /codec/session');
    const withCookie = Object.entries(document.paths).flatMap(([at, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.security.some((requirement) => 'codecSession' in requirement))
        .map(([method]) => `${method.toUpperCase()} ${at}`),
    );
    expect(withCookie.sort()).toEqual(['POST /codec/decode', 'POST /codec/encode']);
  });

  test('the description agrees with the route table: every public route is listed as public; the Web UI signs in with a session', () => {
    const text = document.info.description;
    const publicRoutes = ROUTES.filter((r) => r.auth.kind === 'public').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(publicRoutes).toEqual(expect.arrayContaining(['GET /codec/session', 'POST /codec/session', 'DELETE /codec/session', 'GET /health', 'GET /openapi.json', 'GET /docs']));
    const publicClause = `except ${publicRoutes.slice(0, -1).join(', ')} and ${publicRoutes[publicRoutes.length - 1]}, which are public and need no token, and POST /hooks/{name}, which is authenticated by an HMAC signature instead`;
    expect(text).toContain(publicClause);
    expect(text).toContain('POST /codec/decode and POST /codec/encode also accept a codec session cookie (cloudtrust_codec)');
    expect(text).not.toMatch(/cannot authenticate|shows payloads encrypted/);
    expect(text).toContain('open GET /codec/session on this API and sign in with a token of the read scope');
    expect(text).toContain('except for POST /codec/session, which takes an HTML form (application/x-www-form-urlencoded)');
    expect(JSON.stringify(document.components.schemas.Error)).toContain('replayed');
    expect(document.paths['/codec/session'].post.responses['415']).toMatchObject({ description: 'the body is not an HTML form (send Content-Type: application/x-www-form-urlencoded)' });
    expect(document.paths['/rollouts'].post.responses['415']).toMatchObject({ description: 'the body is not JSON (send Content-Type: application/json)' });
  });

  test('request schemas are the zod schemas that validate: strict objects, patterns, $refs that resolve', () => {
    const text = JSON.stringify(document);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(document.components.schemas[ref]).toBeDefined();
    const spec = document.components.schemas.RolloutSpec as { additionalProperties: boolean; properties: Record<string, { pattern?: string }> };
    expect(spec.additionalProperties).toBe(false);
    expect(spec.properties.name.pattern).toBe('^[a-z0-9][a-z0-9-]{0,62}$');
    expect(document.components.schemas.StartRolloutRequest).toEqual({
      type: 'object',
      properties: {
        mode: { type: 'string', enum: ['plan', 'apply'] },
        spec: { $ref: '#/components/schemas/RolloutSpec' },
        force: { type: 'boolean', description: 'start an apply although a domain of the spec was rolled out to another tenant (refused otherwise, 409)' },
      },
      required: ['mode', 'spec'],
      additionalProperties: false,
    });
  });

  test('the rules the schemas cannot carry are in the document, the RolloutSpec schema and /docs', async () => {
    const { SPEC_RULES, REQUEST_RULES } = await import('../../model/cross-field-rules');
    const docs = await (await fetch(`${api.url}/docs`)).text();
    expect(String((document.components.schemas.RolloutSpec as { description?: string }).description)).toContain('exactly one ring');
    for (const { rule } of [...SPEC_RULES, ...REQUEST_RULES]) {
      expect(document.info.description.toLowerCase()).toContain(rule.toLowerCase());
      expect(docs.toLowerCase()).toContain(rule.toLowerCase().replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    }
  });

  test('/docs is one self-contained page: no scripts, no external resources; public routes say so', async () => {
    const response = await fetch(`${api.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!json-schema\.org)/i);
    for (const route of ROUTES) expect(html).toContain(`id="${route.operationId}"`);
    expect(html).toContain('Public: no token needed.');
    expect(html).toContain('GET /health, GET /openapi.json and GET /docs, which are public and need no token');
    expect(html).toContain('GET /codec/session, POST /codec/session, DELETE /codec/session,');
  });

  test('refusals are JSON errors: unknown route 404; a missing token is refused before the body type is looked at', async () => {
    const missing = await fetch(`${api.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /nowhere', hint: 'the routes are listed at /docs' } });
    expect(await (await fetch(`${api.url}/health`)).json()).toEqual({ status: 'ok' });
    const noToken = await fetch(`${api.url}/rollouts`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1024) });
    expect(noToken.status).toBe(401);
  });
});
