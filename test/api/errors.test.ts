import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { errorResponse } from '../../api/errors';
import { startApiServer } from '../../api/server';
import { openTokenStore, TOKENS_FILE_NAME } from '../../api/tokens';
import { HTTP_STATUS, TriggerError, type TriggerErrorKind } from '../../client/errors';
import { SpecError } from '../../model/spec-file';
import { PayloadDecryptionError } from '../../worker/codec';
import type { CloudtrustLogger } from '../../worker/log';

describe('error responses', () => {
  test('TriggerErrors map through HTTP_STATUS with their hint and problems', () => {
    for (const kind of Object.keys(HTTP_STATUS) as TriggerErrorKind[]) {
      const response = errorResponse(new TriggerError(kind, 'what happened', 'what to do', kind === 'invalid-input' ? ['a.b: bad'] : []), 'req-1');
      expect(response.status).toBe(HTTP_STATUS[kind]);
      expect(response.body).toEqual({ error: { code: kind, message: 'what happened', hint: 'what to do', ...(kind === 'invalid-input' ? { problems: ['a.b: bad'] } : {}) } });
    }
  });

  test('a SpecError is a 400 listing every problem', () => {
    const response = errorResponse(new SpecError('hooks/plan.yaml', ['name: must be lower-case', 'rings: Required']), 'req-1');
    expect(response).toMatchObject({ status: 400, unexpected: false });
    expect(response.body.error).toEqual({ code: 'invalid-input', message: 'hooks/plan.yaml has 2 problems: name: must be lower-case; rings: Required', problems: ['name: must be lower-case', 'rings: Required'] });
  });

  test("a payload the server cannot decrypt: the caller's fault (400) on the codec routes, elsewhere the server's (500, no key named, a hint)", () => {
    const failure = new PayloadDecryptionError('Payload was encrypted with key 0123456789abcdef, which is not in the keyring (known: fedcba9876543210); if that key was rotated out, add it to CLOUDTRUST_CODEC_OLD_KEYS');
    expect(errorResponse(failure, 'req-2', { path: '/codec/decode' })).toEqual({ status: 400, unexpected: false, headers: {}, body: { error: { code: 'invalid-input', message: failure.message } } });
    for (const error of [failure, new Error('query failed', { cause: failure })]) {
      const response = errorResponse(error, 'req-3', { path: '/rollouts/:id' });
      expect(response).toMatchObject({ status: 500, unexpected: false });
      expect(response.body.error).toEqual({
        code: 'internal',
        message: "the server cannot decrypt this run's data: it lacks the key the data was encrypted with (request req-3; the details are in the server log)",
        hint: 'if that key was rotated out, add it to CLOUDTRUST_CODEC_OLD_KEYS where the API runs, and restart the API',
      });
      expect(JSON.stringify(response)).not.toMatch(/0123456789abcdef|fedcba9876543210/);
    }
  });

  test("a 415 names the body type the route takes", () => {
    const refusal = Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
    expect(errorResponse(refusal, 'req-4', { path: '/codec/session', contentType: 'application/x-www-form-urlencoded' }).body.error).toEqual({
      code: 'unsupported-media-type',
      message: 'the request body must be an HTML form (application/x-www-form-urlencoded)',
      hint: 'send Content-Type: application/x-www-form-urlencoded',
    });
    expect(errorResponse(refusal, 'req-5', { path: '/rollouts' }).body.error).toEqual({ code: 'unsupported-media-type', message: 'the request body must be JSON', hint: 'send Content-Type: application/json' });
  });

  test('over HTTP: a form route refuses JSON with a 415 that asks for a form; a JSON route refuses a form asking for JSON', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-errors-'));
    const tokens = openTokenStore(dataDir);
    const { token } = await tokens.issue({ name: 'operator', scope: 'operate' });
    const api = await startApiServer({ client: new Client(), taskQueue: 'unused', tokens, keyring: undefined, hooks: [], corsOrigins: [], logger: false, port: 0 });
    try {
      const json = await fetch(`${api.url}/codec/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      expect(json.status).toBe(415);
      expect(await json.json()).toEqual({
        error: { code: 'unsupported-media-type', message: 'the request body must be an HTML form (application/x-www-form-urlencoded)', hint: 'send Content-Type: application/x-www-form-urlencoded' },
      });
      const form = await fetch(`${api.url}/rollouts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'mode=plan' });
      expect(form.status).toBe(415);
      expect(await form.json()).toEqual({ error: { code: 'unsupported-media-type', message: 'the request body must be JSON', hint: 'send Content-Type: application/json' } });
    } finally {
      await api.close();
    }
  });

  test('anything else is a 500 that says nothing but the request id', () => {
    const response = errorResponse(Object.assign(new Error('ENOENT: /secret/path/credentials.json'), { stack: 'Error: at /secret/path' }), 'req-7');
    expect(response).toEqual({ status: 500, unexpected: true, headers: {}, body: { error: { code: 'internal', message: 'internal error (request req-7); the details are in the server log' } } });
  });

  test('over HTTP: an unexpected failure is logged in full and answered with a generic 500', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-errors-'));
    writeFileSync(path.join(dataDir, TOKENS_FILE_NAME), '{ "version": 1, "tokens": [ { "id": "x" } ] }');
    const lines: Array<{ message: string; meta?: unknown }> = [];
    const record = (message: string, meta?: unknown) => void lines.push({ message, meta });
    const logger: CloudtrustLogger = { log: record, trace: record, debug: record, info: record, warn: record, error: record };
    const api = await startApiServer({ client: new Client(), taskQueue: 'unused', tokens: openTokenStore(dataDir), keyring: undefined, hooks: [], corsOrigins: [], logger, port: 0 });
    try {
      const response = await fetch(`${api.url}/rollouts`, { headers: { authorization: `Bearer ct_0123456789ab_${'A'.repeat(43)}` } });
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body).toEqual({ error: { code: 'internal', message: expect.stringMatching(/^internal error \(request req-\w+\); the details are in the server log$/) } });
      const logged = lines.find((l) => l.message === 'unexpected error');
      expect((logged?.meta as { error: Error }).error.message).toMatch(/^the token file .+ is not valid:/);
      expect(JSON.stringify(lines)).not.toContain('A'.repeat(43));
    } finally {
      await api.close();
    }
  });
});
