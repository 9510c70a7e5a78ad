import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TriggerError } from '../../client/errors';
import { openTokenStore, TOKENS_FILE_NAME } from '../../api/tokens';

const freshDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'cloudtrust-tokens-')), 'data');

const run = promisify(execFile);

describe('API token store', () => {
  test('a token is shown once; the file (mode 0600) holds only its SHA-256', async () => {
    const dir = freshDir();
    const store = openTokenStore(dir);
    const { token, record } = await store.issue({ name: 'ci-pipeline', scope: 'operate' });
    expect(token).toMatch(/^ct_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`ct_${record.id}_`)).toBe(true);
    expect(record).toEqual({ id: record.id, name: 'ci-pipeline', scopes: ['read', 'operate'], sha256: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: expect.any(String) });
    expect(JSON.stringify(record)).not.toContain(token.slice(`ct_${record.id}_`.length));

    const file = path.join(dir, TOKENS_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(`ct_${record.id}_`.length));
    expect(text).toContain(record.sha256);
  });

  test('verify accepts the exact token only; scopes are hierarchical', async () => {
    const store = openTokenStore(freshDir());
    const admin = await store.issue({ name: 'admin', scope: 'admin' });
    const reader = await store.issue({ name: 'reader', scope: 'read' });
    expect((await store.verify(admin.token))?.scopes).toEqual(['read', 'operate', 'admin']);
    expect((await store.verify(reader.token))?.scopes).toEqual(['read']);
    const last = admin.token.at(-1) === 'A' ? 'B' : 'A';
    expect(await store.verify(`${admin.token.slice(0, -1)}${last}`)).toBeUndefined();
    expect(await store.verify(`ct_${admin.record.id}_${reader.token.split('_').slice(2).join('_')}`)).toBeUndefined();
    expect(await store.verify('not a token')).toBeUndefined();
    expect(await store.inspect('not a token')).toEqual({ status: 'not-a-token' });
  });

  test('revoke by name or id: the token is refused as revoked, and no longer listed', async () => {
    const dir = freshDir();
    const store = openTokenStore(dir);
    const a = await store.issue({ name: 'alice', scope: 'read' });
    const b = await store.issue({ name: 'bob', scope: 'operate' });
    expect(await store.revoke('alice')).toBe(true);
    expect(await store.revoke(b.record.id)).toBe(true);
    expect(await store.revoke('alice')).toBe(false);
    expect(await store.verify(a.token)).toBeUndefined();
    expect(await store.inspect(b.token)).toMatchObject({ status: 'revoked', record: { name: 'bob' }, revokedAt: expect.any(String) });
    expect(await store.list()).toEqual([]);
    // The name is free again once revoked.
    await store.issue({ name: 'alice', scope: 'read' });
    expect((await store.list()).map((t) => t.name)).toEqual(['alice']);
  });

  test('another store on the same directory (another process) sees issues and revocations at once', async () => {
    const dir = freshDir();
    const server = openTokenStore(dir);
    const cli = openTokenStore(dir);
    const { token } = await cli.issue({ name: 'late', scope: 'read' });
    expect(await server.verify(token)).toBeDefined();
    await cli.revoke('late');
    expect(await server.verify(token)).toBeUndefined();
  });

  test('refuses duplicate and malformed names with precise errors', async () => {
    const store = openTokenStore(freshDir());
    await store.issue({ name: 'ops', scope: 'read' });
    await expect(store.issue({ name: 'ops', scope: 'admin' })).rejects.toMatchObject({ kind: 'conflict', message: 'a token named ops already exists' });
    const bad = await store.issue({ name: 'x"; rm -rf', scope: 'read' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TriggerError);
    expect((bad as TriggerError).kind).toBe('invalid-input');
    expect((bad as TriggerError).message).toMatch(/must be a name of letters, digits/);
  });

  test('a name shaped like a token id is refused (revoke takes either)', async () => {
    await expect(openTokenStore(freshDir()).issue({ name: '0123456789ab', scope: 'read' })).rejects.toMatchObject({ kind: 'invalid-input', message: expect.stringContaining('looks like a token id') });
  });

  test('concurrent issues from several processes all land in the file', async () => {
    const dir = freshDir();
    const tokensModule = path.join(__dirname, '..', '..', 'dist', 'api', 'tokens.js');
    const issueIn = (name: string) =>
      run(process.execPath, ['-e', `require(${JSON.stringify(tokensModule)}).openTokenStore(${JSON.stringify(dir)}).issue({ name: ${JSON.stringify(name)}, scope: 'read' })`]);
    await Promise.all(Array.from({ length: 6 }, (_, i) => issueIn(`p${i}`)));
    expect((await openTokenStore(dir).list()).map((t) => t.name).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  });

  test('concurrent issues in one process all land in the file', async () => {
    const store = openTokenStore(freshDir());
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.issue({ name: `t${i}`, scope: 'read' })));
    expect((await store.list()).map((t) => t.name).sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
  });
});
