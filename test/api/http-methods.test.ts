import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { startApiServer, type RunningApi } from '../../api/server';
import { openTokenStore } from '../../api/tokens';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Method semantics over real HTTP, on every path of the published document. The client is lazy and never connects. */
describe('HTTP methods', () => {
  let api: RunningApi;
  let paths: Record<string, Record<string, unknown>>;
  const corsOrigin = 'http://localhost:8233';

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-methods-'));
    api = await startApiServer({ client: new Client(), taskQueue: 'unused', tokens: openTokenStore(dataDir), keyring: undefined, hooks: [], corsOrigins: [corsOrigin], logger: false, port: 0 });
    paths = ((await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: typeof paths }).paths;
  });
  afterAll(() => api?.close());

  /** A concrete URL for an OpenAPI path: every {param} filled with a valid value. */
  const url = (at: string) => `${api.url}${at.replace(/\{[A-Za-z]+\}/g, 'x1')}`;
  const allowOf = (item: Record<string, unknown>) => {
    const declared = Object.keys(item).map((m) => m.toUpperCase());
    return METHODS.filter((m) => declared.includes(m) || m === 'OPTIONS' || (m === 'HEAD' && declared.includes('GET')));
  };

  test('every undeclared method on every path is a 405 with Allow, in the standard error shape', async () => {
    expect(Object.keys(paths).length).toBeGreaterThan(10);
    for (const [at, item] of Object.entries(paths)) {
      const allow = allowOf(item);
      for (const method of METHODS.filter((m) => !allow.includes(m))) {
        const response = await fetch(url(at), { method, headers: { 'content-type': 'text/plain' }, ...(method === 'HEAD' || method === 'GET' ? {} : { body: 'x' }) });
        expect([at, method, response.status]).toEqual([at, method, 405]);
        expect([at, method, response.headers.get('allow')]).toEqual([at, method, allow.join(', ')]);
        if (method !== 'HEAD') expect(((await response.json()) as { error: { code: string } }).error.code).toBe('method-not-allowed');
      }
    }
  });

  test('OPTIONS answers 204 with Allow; a CORS preflight from an allowed origin keeps its CORS headers', async () => {
    for (const [at, item] of Object.entries(paths)) {
      const response = await fetch(url(at), { method: 'OPTIONS' });
      expect([at, response.status, response.headers.get('allow')]).toEqual([at, 204, allowOf(item).join(', ')]);
    }
    const preflight = await fetch(`${api.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: corsOrigin, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(corsOrigin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('allow')).toBe('POST, OPTIONS');
  });

  test('HEAD is GET without the body; unknown paths are 404 in the standard shape, whatever the method', async () => {
    const get = await fetch(`${api.url}/health`);
    const head = await fetch(`${api.url}/health`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    for (const method of ['GET', 'POST', 'PUT', 'OPTIONS']) {
      const response = await fetch(`${api.url}/no-such-path`, { method });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not-found');
    }
  });
});
