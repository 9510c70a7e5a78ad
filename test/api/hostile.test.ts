import { ROUTES } from '../../api/routes';
import { SCOPES, type Scope } from '../../api/scopes';
import { startApiFixture, stringLeaves, pathText, uniqueSpec, withValue, type ApiFixture } from './fixture';

/** A route's path with its parameters filled in (with names that exist nowhere). */
const concretePath = (route: string) => route.replace(':id', 'cloudtrust:no-such-run').replace(':name', 'no-such-thing');

const INJECTIONS = ['"; Remove-Item -Recurse C:\\ #', '$(Stop-Computer)', '`n', "' + (iex x) + '", '| Out-File x', '\r\nInvoke-Expression'];

describe('HTTP API against hostile callers: real Temporal server, real worker, lab estate', () => {
  let f: ApiFixture;
  let mutationsBefore: Record<string, number>;

  beforeAll(async () => {
    f = await startApiFixture();
    mutationsBefore = (await f.lab.store.read()).mutations;
  }, 120_000);
  afterAll(() => f?.close());

  const bearerRoutes = ROUTES.filter((r) => r.auth.kind === 'bearer');
  const tokenOf = (scope: Scope) => f.token[scope];

  describe.each(bearerRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    const needed = (route.auth as { scope: Scope }).scope;
    const url = concretePath(route.path);
    const challenge = (response: { headers: Headers }) => response.headers.get('www-authenticate') ?? '';

    test('no token → 401 with a Bearer challenge', async () => {
      const response = await f.call(route.method, url);
      expect(response.status).toBe(401);
      expect(response.json.error).toMatchObject({ code: 'unauthenticated', message: `this route needs a bearer token with the ${needed} scope: send the header Authorization: Bearer <token>` });
      expect(challenge(response)).toBe(`Bearer realm="cloudtrust", scope="${needed}"`);
    });

    test('malformed Authorization headers → 401 invalid_request', async () => {
      for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${f.token.admin} extra`, f.token.admin]) {
        const response = await f.call(route.method, url, { headers: { authorization: header } });
        expect(response.status).toBe(401);
        expect(challenge(response)).toContain('error="invalid_request"');
        expect(response.text).not.toContain(f.token.admin);
      }
    });

    test('unknown, forged and revoked tokens → 401 invalid_token, each with its own reason', async () => {
      const forged = `${f.token.admin.slice(0, -4)}AAAA`;
      const expectations: Array<[string, RegExp]> = [
        ['not-a-token', /not a cloudtrust API token/],
        [forged, /not known to this server/],
        [f.token.revoked, /was revoked at/],
      ];
      for (const [token, message] of expectations) {
        const response = await f.call(route.method, url, { token });
        expect(response.status).toBe(401);
        expect(response.json.error.message).toMatch(message);
        expect(challenge(response)).toContain('error="invalid_token"');
        expect(response.text).not.toContain(token);
      }
    });

    const lower = SCOPES.slice(0, SCOPES.indexOf(needed));
    if (lower.length > 0) {
      test(`lower scopes (${lower.join(', ')}) → 403 naming the scope needed and the token's`, async () => {
        for (const scope of lower) {
          const response = await f.call(route.method, url, { token: tokenOf(scope) });
          expect(response.status).toBe(403);
          expect(response.json.error.message).toMatch(new RegExp(`^this route needs the ${needed} scope; token [0-9a-f]{12} \\(\\S+\\) has ${scope}$`));
          expect(challenge(response)).toContain(`error="insufficient_scope"`);
        }
      });
    }

    test(`${needed} and every higher scope get past authentication`, async () => {
      for (const scope of SCOPES.slice(SCOPES.indexOf(needed))) {
        const response = await f.call(route.method, url, { token: tokenOf(scope), ...(route.method === 'POST' ? { body: {} } : {}) });
        expect([401, 403]).not.toContain(response.status);
        expect(response.status).toBeLessThan(500);
      }
    });
  });

  test('public routes need no token; the webhook route needs a signature, not a token', async () => {
    for (const route of ROUTES.filter((r) => r.auth.kind === 'public')) {
      const status = (await f.call(route.method, concretePath(route.path))).status;
      expect(route.method === 'GET' ? [200] : [204, 400, 415]).toContain(status);
    }
    for (const route of ROUTES.filter((r) => r.auth.kind === 'hmac')) {
      const response = await f.call(route.method, route.path.replace(':name', 'plan-hook'), { token: f.token.admin, body: {} });
      expect(response.status).toBe(401);
      expect(response.json.error.message).toMatch(/missing the X-Cloudtrust-Timestamp header/);
    }
  });

  test('CORS: the Temporal Web UI origin is allowed (preflight needs no token); other origins are not', async () => {
    const preflight = (origin: string) =>
      f.call('OPTIONS', '/codec/decode', { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' } });
    const allowed = await preflight('http://localhost:8233');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type, x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an oversized body → 413 with the limit', async () => {
    const spec = uniqueSpec();
    const response = await f.call('POST', '/rollouts', { token: f.token.operate, body: { mode: 'plan', spec: { ...spec, padding: 'x'.repeat(300 * 1024) } } });
    expect(response.status).toBe(413);
    expect(response.json.error).toMatchObject({ code: 'payload-too-large', message: 'the request body is larger than this route accepts (256 KiB)' });
  });

  test('a body that is not JSON → 415; broken JSON → 400', async () => {
    const text = await f.call('POST', '/rollouts', { token: f.token.operate, rawBody: 'mode=plan', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe('unsupported-media-type');
    const broken = await f.call('POST', '/rollouts', { token: f.token.operate, rawBody: '{"mode": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toBe('the request body is not valid JSON');
  });

  test('reserved names as keys (__proto__, constructor) → 400 naming each path, nothing started', async () => {
    const routing = '{"forests":{"__proto__":"q1","contoso.com":"q2"},"domains":{"constructor":{"prototype":{"x":1}}}}';
    const rawBody = JSON.stringify({ mode: 'plan', spec: { ...uniqueSpec(), routing: 'ROUTING' } }).replace('"ROUTING"', routing);
    const response = await f.call('POST', '/rollouts', { token: f.token.operate, rawBody, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual({
      code: 'invalid-input',
      message: 'the request body uses reserved names as keys',
      problems: [
        'spec.routing.forests.__proto__: __proto__ is a reserved name in JavaScript objects and cannot be a key',
        'spec.routing.domains.constructor: constructor is a reserved name in JavaScript objects and cannot be a key',
      ],
    });
  });

  test('wrong types and unknown properties → 400 naming every path', async () => {
    const spec = uniqueSpec() as unknown as Record<string, unknown>;
    const body = { mode: 'deploy', spec: withValue(withValue(spec, ['rings', 0, 'concurrency'], '2'), ['options', 'requireSecurityDevice'], 'yes'), dryRun: true };
    const response = await f.call('POST', '/rollouts', { token: f.token.operate, body });
    expect(response.status).toBe(400);
    expect(response.json.error.problems).toEqual([
      'mode: Invalid option: expected one of "plan"|"apply"',
      'spec.rings[0].concurrency: Invalid input: expected number, received string',
      'spec.options.requireSecurityDevice: Invalid input: expected boolean, received string',
      'body: Unrecognized key: "dryRun"',
    ]);
    expect(response.json.error.message).toMatch(/^the request body has 4 problems: mode: /);
  });

  test('an injection string in any string field of a valid spec → 400 naming that field', async () => {
    const spec = uniqueSpec((s) => (s.name = 'hostile-spec'));
    const body = { mode: 'apply', spec };
    const leaves = stringLeaves(body).filter(([at]) => at[0] === 'spec');
    expect(leaves.length).toBeGreaterThan(25);
    for (const [at] of leaves) {
      const field = pathText(at);
      for (const injection of INJECTIONS) {
        const response = await f.call('POST', '/rollouts', { token: f.token.admin, body: withValue(body, at, injection) });
        if (response.status !== 400 || !response.json.error.message.includes(`${field}: `)) {
          throw new Error(`${field} = ${JSON.stringify(injection)} → ${response.status} ${response.text}`);
        }
      }
    }
  }, 60_000);

  test('injection strings in other bodies and the query string are refused by path too', async () => {
    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', '/rollouts/cloudtrust:x/approve', { ring: '$(Stop-Computer)' }, 'ring: '],
      ['POST', '/rollouts/cloudtrust:x/approve', { comment: 'ok\r\nInvoke-Expression' }, 'comment: '],
      ['POST', '/rollouts/cloudtrust:x/cancel', { reason: 'x\n| Out-File x' }, 'reason: '],
      ['POST', '/rotate-keys', { spec: uniqueSpec(), domains: ["' + (iex x) + '"] }, 'domains[0]: '],
      ['POST', '/schedules', { name: 'x; rm', kind: 'drift-check', spec: uniqueSpec(), cron: '0 3 * * 1; reboot' }, 'name: '],
    ];
    for (const [method, url, body, field] of refusals) {
      const response = await f.call(method, url, { token: f.token.admin, body });
      expect(response.status).toBe(400);
      expect(response.json.error.message).toContain(field);
    }
    const query = await f.call('GET', `/rollouts?spec=${encodeURIComponent("x' OR CloudtrustKind != '")}&limit=1e9`, { token: f.token.read });
    expect(query.status).toBe(400);
    expect(query.json.error.problems).toEqual(['query.spec: must be a spec name (lower-case letters, digits and dashes)', 'query.limit: must be a whole number from 1 to 500']);
    const id = await f.call('GET', `/rollouts/${encodeURIComponent('$(Stop-Computer)')}`, { token: f.token.read });
    expect(id.status).toBe(400);
    expect(id.json.error.problems).toEqual(['path.id: must be a run id such as cloudtrust:contoso-wave1']);
  });

  test('afterwards nothing was started and the lab estate is untouched; no token reached the log', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await f.context.env.client.workflow.count()).count).toBe(0);
    expect((await f.lab.store.read()).mutations).toEqual(mutationsBefore);
    const logged = JSON.stringify(f.logs);
    expect(f.logs.length).toBeGreaterThan(100);
    for (const token of Object.values(f.token)) expect(logged).not.toContain(token.slice(-43));
  });
});
