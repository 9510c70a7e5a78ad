import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { ROUTES } from '../../api/routes';
import { startApiServer, type RunningApi } from '../../api/server';
import { openTokenStore } from '../../api/tokens';

type Operation = { operationId: string; security: Array<Record<string, string[]>>; 'x-cloudtrust-scope'?: string; requestBody?: unknown; responses: Record<string, unknown> };

/** Routes that need no Temporal call: documentation and refusals. The client is lazy and never connects. */
describe('OpenAPI document and docs page', () => {
  let api: RunningApi;
  let document: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

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
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearerAuth', 'webhookSignature']);
    for (const route of ROUTES) {
      const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation?.operationId).toBe(route.operationId);
      if (route.auth.kind === 'bearer') {
        expect(operation.security).toEqual([{ bearerAuth: [route.auth.scope] }]);
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

  test('request schemas are the zod schemas that validate: strict objects, patterns, $refs that resolve', () => {
    const text = JSON.stringify(document);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(document.components.schemas[ref]).toBeDefined();
    const spec = document.components.schemas.RolloutSpec as { additionalProperties: boolean; properties: Record<string, { pattern?: string }> };
    expect(spec.additionalProperties).toBe(false);
    expect(spec.properties.name.pattern).toBe('^[a-z0-9][a-z0-9-]{0,62}$');
    expect(document.components.schemas.StartRolloutRequest).toEqual({
      type: 'object',
      properties: { mode: { type: 'string', enum: ['plan', 'apply'] }, spec: { $ref: '#/components/schemas/RolloutSpec' } },
      required: ['mode', 'spec'],
      additionalProperties: false,
    });
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
