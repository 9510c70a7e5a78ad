import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiError } from '../../api/errors';
import { HookDeliveries } from '../../api/hook-deliveries';
import { HookConfigError, hookSecretVariable, loadHooks, signWebhook, verifyWebhook, type HookDefinition } from '../../api/hooks';

const root = path.join(__dirname, '..', '..');
const KEY = 'k'.repeat(40);

function hooksDir(hooks: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-hooks-'));
  copyFileSync(path.join(root, 'specs', 'lab-default.yaml'), path.join(dir, 'lab.yaml'));
  writeFileSync(path.join(dir, 'hooks.json'), typeof hooks === 'string' ? hooks : JSON.stringify(hooks));
  return dir;
}

async function loadError(promise: Promise<unknown>): Promise<HookConfigError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(HookConfigError);
  return error as HookConfigError;
}

describe('webhook definitions', () => {
  test('no hooks file in the data directory means no hooks; a named one that is missing is an error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-hooks-'));
    expect(await loadHooks({ dataDir: dir, env: {} })).toEqual([]);
    const error = await loadError(loadHooks({ dataDir: dir, env: { CLOUDTRUST_HOOKS_FILE: path.join(dir, 'absent.json') } }));
    expect(error.problems).toEqual(['the file does not exist (CLOUDTRUST_HOOKS_FILE names it)']);
  });

  test('loads hooks with spec paths relative to the file and keys from the environment only', async () => {
    const dir = hooksDir({ hooks: [{ name: 'change-approved', action: 'apply', spec: 'lab.yaml', secret: 'itsm.prod' }] });
    const hooks = await loadHooks({ dataDir: dir, env: { CLOUDTRUST_HOOK_SECRET_ITSM_PROD: KEY } });
    expect(hooks).toEqual([{ name: 'change-approved', action: 'apply', specFile: path.join(dir, 'lab.yaml'), secret: 'itsm.prod', key: Buffer.from(KEY) }]);
    expect(hookSecretVariable('itsm.prod-2')).toBe('CLOUDTRUST_HOOK_SECRET_ITSM_PROD_2');
  });

  test('every problem is listed by path: shape, duplicates, a key in the file, missing or short secrets, invalid specs', async () => {
    const dir = hooksDir({
      hooks: [
        { name: 'Bad Name', action: 'deploy', spec: 'lab.yaml', secret: 's' },
        { name: 'twice', action: 'plan', spec: 'lab.yaml', secret: 's', key: 'inline-key' },
        { name: 'twice', action: 'plan', spec: 'lab.yaml', secret: 's' },
      ],
    });
    const shape = await loadError(loadHooks({ dataDir: dir, env: {} }));
    expect(shape.problems).toEqual([
      'hooks[0].name: must be lower-case letters, digits and dashes',
      'hooks[0].action: Invalid option: expected one of "plan"|"apply"|"rotate-keys"|"drift-check"',
      'hooks[1]: Unrecognized key: "key"',
    ]);

    writeFileSync(path.join(dir, 'broken.yaml'), 'name: Not Valid\n');
    writeFileSync(
      path.join(dir, 'hooks.json'),
      JSON.stringify({
        hooks: [
          { name: 'a', action: 'plan', spec: 'lab.yaml', secret: 'missing' },
          { name: 'b', action: 'plan', spec: 'lab.yaml', secret: 'short' },
          { name: 'c', action: 'plan', spec: 'broken.yaml', secret: 'good' },
          { name: 'd', action: 'plan', spec: 'nowhere.yaml', secret: 'good' },
        ],
      }),
    );
    const rest = await loadError(loadHooks({ dataDir: dir, env: { CLOUDTRUST_HOOK_SECRET_SHORT: 'abc', CLOUDTRUST_HOOK_SECRET_GOOD: KEY } }));
    expect(rest.problems[0]).toBe('hooks[0].secret: hook a uses secret missing, but CLOUDTRUST_HOOK_SECRET_MISSING is not set');
    expect(rest.problems[1]).toBe('hooks[1].secret: CLOUDTRUST_HOOK_SECRET_SHORT must be at least 32 characters (e.g. openssl rand -hex 32)');
    expect(rest.problems).toContain(`hooks[2].spec (${path.join(dir, 'broken.yaml')}): name: must be lower-case letters, digits and dashes (it names the rollout workflow)`);
    expect(rest.problems).toContain(`hooks[3].spec (${path.join(dir, 'nowhere.yaml')}): the spec file does not exist`);
  });

  test('a file that is not JSON is reported as such', async () => {
    const error = await loadError(loadHooks({ dataDir: hooksDir('{ hooks: '), env: {} }));
    expect(error.problems[0]).toMatch(/^not valid JSON/);
  });
});

describe('webhook signatures', () => {
  const hook: HookDefinition = { name: 'h', action: 'plan', specFile: '/nowhere', secret: 'itsm', key: Buffer.from(KEY) };
  const body = Buffer.from('{"reference":"CHG0001"}');
  const now = 1_800_000_000;
  const headers = (timestamp: number, signature?: string) => ({ 'x-cloudtrust-timestamp': String(timestamp), ...(signature ? { 'x-cloudtrust-signature': signature } : {}) });
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      return (error as ApiError).message;
    }
    throw new Error('expected a refusal');
  };

  test('a signature over "<timestamp>.<body>" with the key verifies', () => {
    expect(signWebhook(KEY, body, now)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(() => verifyWebhook(hook, headers(now, signWebhook(KEY, body, now)), body, now * 1000)).not.toThrow();
    expect(() => verifyWebhook(hook, headers(now, signWebhook(KEY, body, now)), body, (now + 299) * 1000)).not.toThrow();
  });

  test('each failure says what is wrong', () => {
    const good = signWebhook(KEY, body, now);
    expect(refusal(() => verifyWebhook(hook, {}, body, now * 1000))).toMatch(/missing the X-Cloudtrust-Timestamp header/);
    expect(refusal(() => verifyWebhook(hook, headers(now), body, now * 1000))).toMatch(/missing the X-Cloudtrust-Signature header/);
    expect(refusal(() => verifyWebhook(hook, { 'x-cloudtrust-timestamp': 'yesterday', 'x-cloudtrust-signature': good }, body, now * 1000))).toMatch(/must be unix seconds/);
    expect(refusal(() => verifyWebhook(hook, headers(now, good), body, (now + 301) * 1000))).toBe("X-Cloudtrust-Timestamp is 301 s away from the server's clock; at most 300 s is accepted");
    expect(refusal(() => verifyWebhook(hook, headers(now, 'abc'), body, now * 1000))).toMatch(/must read sha256=<64 hex digits>/);
    expect(refusal(() => verifyWebhook(hook, headers(now, signWebhook('x'.repeat(40), body, now)), body, now * 1000))).toMatch(/the signature does not match/);
    expect(refusal(() => verifyWebhook(hook, headers(now, good), Buffer.from('{"reference":"CHG0002"}'), now * 1000))).toMatch(/the signature does not match/);
    expect(refusal(() => verifyWebhook(hook, headers(now + 1, good), body, now * 1000))).toMatch(/the signature does not match/);
  });
});

describe('webhook deliveries', () => {
  const now = 1_800_000_000;

  test('a delivery is reserved once, per hook; released (its action failed), it may be sent again', () => {
    const deliveries = new HookDeliveries();
    expect(deliveries.reserve('h', 'sha256=aa', now, now * 1000)).toBe(true);
    expect(deliveries.reserve('h', 'sha256=aa', now, now * 1000 + 5)).toBe(false);
    expect(deliveries.reservedAt('h', 'sha256=aa', now * 1000 + 5)).toEqual(new Date(now * 1000));
    expect(deliveries.reserve('other', 'sha256=aa', now, now * 1000)).toBe(true);
    deliveries.release('h', 'sha256=aa');
    expect(deliveries.reservedAt('h', 'sha256=aa', now * 1000)).toBeUndefined();
    expect(deliveries.reserve('h', 'sha256=aa', now, (now + 1) * 1000)).toBe(true);
  });

  test('a reservation is forgotten once its timestamp is outside the accepted window (the signature check refuses it then)', () => {
    const deliveries = new HookDeliveries();
    expect(deliveries.reserve('h', 'sha256=bb', now, now * 1000)).toBe(true);
    expect(deliveries.reserve('h', 'sha256=bb', now, (now + 300) * 1000)).toBe(false);
    expect(deliveries.reserve('h', 'sha256=bb', now, (now + 301) * 1000)).toBe(true);
  });
});
