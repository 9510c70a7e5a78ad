import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { errorResponse } from '../../api/errors';
import { startApiServer } from '../../api/server';
import { openTokenStore, TOKENS_FILE_NAME } from '../../api/tokens';
import { HTTP_STATUS, TriggerError, type TriggerErrorKind } from '../../client/errors';
import { SpecError } from '../../model/spec-file';
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
