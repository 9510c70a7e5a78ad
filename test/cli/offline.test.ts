import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../support/free-port';
import { runCli } from './run-cli';

/** The CLI without a Temporal server: usage, validation, errors, the lab estate and API tokens. */
const ROOT = path.join(__dirname, '..', '..');
const GOOD_SPEC = path.join(ROOT, 'specs', 'lab-default.yaml');
const work = mkdtempSync(path.join(tmpdir(), 'cloudtrust-cli-'));
const BAD_SPEC = path.join(work, 'bad.yaml');
writeFileSync(
  BAD_SPEC,
  ['name: Not_Valid', 'tenant: { id: not-a-guid }', 'cloudSignIn: { secret: kerberos-admin }', 'domains:', '  - { name: corp.contoso.com, channel: gpo }', 'rings:', '  - { name: all, domains: [corp.contoso.com, other.contoso.com] }', ''].join('\n'),
);

describe('usage', () => {
  test('no command prints the help on stderr and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: cloudtrust <command>');
  });

  test('help lists every command family and the exit codes', async () => {
    const result = await runCli(['help']);
    expect(result.code).toBe(0);
    for (const command of ['validate <spec>', 'plan <spec>', 'apply <spec>', 'status [id]', 'report <id>', 'approve <id>', 'rotate-keys <spec>', 'migrate-intune <spec>', 'schedule create <name>', 'lab show', 'worker', 'server', 'token create <name>']) {
      expect(result.stdout).toContain(command);
    }
    expect(result.stdout).toMatch(/Exit codes:\n\s+0 {2}success/);
    expect(result.stdout).toMatch(/\n\s+6 {2}unavailable/);
  });

  test('--help and help <command> show one command', async () => {
    const [flag, word] = await Promise.all([runCli(['apply', '--help']), runCli(['help', 'schedule', 'create'])]);
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('Usage: cloudtrust apply <spec> [options]');
    expect(flag.stdout).toContain('--follow');
    expect(word.code).toBe(0);
    expect(word.stdout).toContain('Usage: cloudtrust schedule create <name> [options]');
  });

  test('an unknown command exits 2 with a suggestion and a hint', async () => {
    const result = await runCli(['aprove', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cloudtrust: unknown command "aprove" (did you mean "approve"?)\nhint: see `cloudtrust help`\n');
    expect(result.stdout).toBe('');
  });

  test.each([
    [['apply'], 'cloudtrust: apply needs <spec>', 'cloudtrust apply --help'],
    [['list', '--bogus'], "cloudtrust: unknown option '--bogus'", 'cloudtrust list --help'],
    [['validate', 'a.yaml', 'b.yaml'], 'cloudtrust: validate takes only <spec>; unexpected: b.yaml', 'cloudtrust validate --help'],
    [['approve', 'x', '--ring'], "cloudtrust: option '--ring <value>' argument missing", 'cloudtrust approve --help'],
    [['schedule'], 'cloudtrust: schedule needs a subcommand: create, list, delete, trigger', 'cloudtrust schedule --help'],
    [['schedule', 'create', 'nightly', '--spec', GOOD_SPEC, '--every', '1d'], 'cloudtrust: schedule create needs --kind', 'cloudtrust schedule create --help'],
  ])('%j is a usage error (exit 2)', async (args, message, help) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).toContain(`hint: see \`${help}\``);
  });

  test('with --json a usage error is JSON on stderr', async () => {
    const result = await runCli(['--json', 'frobnicate']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({ error: { kind: 'usage', message: 'unknown command "frobnicate"', problems: [], hint: 'see `cloudtrust help`', exitCode: 2 } });
  });

  test('--version prints the package version', async () => {
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const [plain, json] = await Promise.all([runCli(['--version']), runCli(['--version', '--json'])]);
    expect(plain.stdout).toBe(`${version}\n`);
    expect(JSON.parse(json.stdout)).toEqual({ version });
  });
});

describe('validate', () => {
  test('a good spec: exit 0, its rings and domains', async () => {
    const result = await runCli(['validate', GOOD_SPEC]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rollout spec lab-default is valid');
    expect(result.stdout).toContain('ring broad (concurrency 2, failure budget 0, approval required within 24h):');
    const json = JSON.parse((await runCli(['validate', GOOD_SPEC, '--json'])).stdout);
    expect(json).toMatchObject({ valid: true, name: 'lab-default', domains: [{ name: 'corp.contoso.com', channel: 'gpo', ring: 'pilot' }, { name: 'emea.corp.contoso.com', ring: 'broad' }] });
  });

  test('a spec from stdin', async () => {
    const result = await runCli(['validate', '-'], {}, { input: readFileSync(GOOD_SPEC, 'utf8') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-: rollout spec lab-default is valid');
  });

  test('a bad spec: exit 3, every problem by path', async () => {
    const result = await runCli(['validate', BAD_SPEC]);
    expect(result.code).toBe(3);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cloudtrust: .*bad\.yaml is not a valid rollout spec: \d+ problems$/);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}- name: must be lower-case letters/),
        expect.stringMatching(/^ {2}- tenant\.id: must be the tenant id/),
        expect.stringMatching(/^ {2}- domains\[0\]\.gpo: the gpo channel needs a gpo block/),
      ]),
    );
    expect(lines.at(-1)).toMatch(/^hint: /);
    const json = JSON.parse((await runCli(['validate', BAD_SPEC, '--json'])).stderr);
    expect(json.error.kind).toBe('invalid-input');
    expect(json.error.exitCode).toBe(3);
    expect(json.error.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^tenant\.id: /)]));
  });

  test('a missing file: exit 3', async () => {
    const result = await runCli(['validate', path.join(work, 'nope.yaml')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot read the spec .*nope\.yaml: no such file\nhint: /);
  });
});

describe('no Temporal server', () => {
  test('an external address nobody answers: exit 6 with a hint, at once', async () => {
    const started = Date.now();
    const result = await runCli(['list'], { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^cloudtrust: no Temporal server answers at 127\.0\.0\.1:\d+ \(connection refused\)\nhint: check TEMPORAL_ADDRESS\n$/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test('the embedded server not started: the hint says how, also as JSON', async () => {
    const result = await runCli(['status', '--json'], { CLOUDTRUST_DEV_PORT: String(await freePort()), CLOUDTRUST_DATA_DIR: work });
    expect(result.code).toBe(6);
    const error = JSON.parse(result.stderr).error;
    expect(error.kind).toBe('unavailable');
    expect(error.hint).toContain('cloudtrust server');
  });

  test('invalid connection settings: exit 3, each by variable', async () => {
    const result = await runCli(['list'], { TEMPORAL_ADDRESS: 'https://temporal.example.com' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cloudtrust: invalid Temporal connection settings\n  - TEMPORAL_ADDRESS: must be host:port');
  });
});

describe('options checked as the API checks them, before any server is asked', () => {
  // TEMPORAL_ADDRESS points nowhere: a command that got past its checks would exit 6, not 3.
  const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

  test.each([
    [['approve', 'cloudtrust:x', '--ring', 'pilot ring'], {}, 'cloudtrust: --ring: must be a ring name (letters, digits, _ . -)'],
    [['approve', 'cloudtrust:x', '--comment', 'line one\nline two'], {}, 'cloudtrust: --comment: must be one line of text without control characters'],
    [['approve', 'cloudtrust:x', '--comment', ''], {}, 'cloudtrust: --comment: '],
    [['cancel', 'cloudtrust:x', '--reason', 'x'.repeat(501)], {}, 'cloudtrust: --reason: '],
    [['pause', 'cloudtrust:x'], { CLOUDTRUST_OPERATOR: 'eve | admin' }, 'cloudtrust: CLOUDTRUST_OPERATOR: must be a name of letters, digits and _ . @ -'],
    [['kerberos-done', 'cloudtrust:x', '--domain', 'corp.contoso.com'], { CLOUDTRUST_OPERATOR: 'a'.repeat(65) }, 'cloudtrust: CLOUDTRUST_OPERATOR: must be a name'],
  ])('%j: exit 3 naming the option', async (args, extra, message) => {
    const result = await runCli(args, { ...env, ...extra });
    expect(result.code).toBe(3);
    expect(result.stderr.split('\n')[0].startsWith(message)).toBe(true);
  });

  test('valid options get as far as the server', async () => {
    const result = await runCli(['approve', 'cloudtrust:x', '--ring', 'broad', '--comment', 'change ticket 42 | CAB'], { ...env, CLOUDTRUST_OPERATOR: 'alice@contoso.com' });
    expect(result.code).toBe(6);
  });
});

describe('server', () => {
  test('a --host other hosts can reach: a warning that tokens travel in clear over plain HTTP', async () => {
    // Invalid settings stop it right after the warning, before anything starts.
    const env = { TEMPORAL_ADDRESS: 'bad::' };
    const [open, local] = await Promise.all([runCli(['server', '--host', '0.0.0.0'], env), runCli(['server', '--host', '127.0.0.1'], env)]);
    expect(open.code).toBe(3);
    expect(open.stderr).toMatch(/^warning: the API listens on 0\.0\.0\.0, .*plain HTTP: API bearer tokens and the codec sign-in travel in clear\. Put a TLS-terminating reverse proxy in front/);
    expect(local.code).toBe(3);
    expect(local.stderr).not.toContain('warning:');
  });
});

describe('lab estate', () => {
  const dataDir = path.join(work, 'lab-data');
  const env = { CLOUDTRUST_DATA_DIR: dataDir };
  const estateFile = path.join(dataDir, 'lab', 'estate.json');

  test('init, show, reset', async () => {
    expect((await runCli(['lab', 'show'], env)).code).toBe(4);

    const init = await runCli(['lab', 'init'], env);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`created lab estate ${estateFile} from the default sample (contoso-small: 1 forest, 2 domains, 5 DCs)`);
    expect(existsSync(estateFile)).toBe(true);

    const again = await runCli(['lab', 'init'], env);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('hint: start over with `cloudtrust lab reset`');

    const shown = await runCli(['lab', 'show'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('domain corp.contoso.com (CORP) · Kerberos server object: not created');
    expect(shown.stdout).toMatch(/emea-dc02\.emea\.corp\.contoso\.com +Branch-Lyon +14393\.3384 .* read-only/);
    expect(shown.stdout).toContain('changes applied: none');

    const estate = JSON.parse(readFileSync(estateFile, 'utf8'));
    estate.mutations = { 'kerberos:corp.contoso.com': 1 };
    estate.forests[0].domains[0].kerberosServer = { ad: { id: 1, keyVersion: 2, keyUpdatedOn: '2026-01-01T00:00:00Z', keyUpdatedFrom: 'dc01', userAccount: 'krbtgt_AzureAD', computerAccount: 'AzureADKerberos' } };
    writeFileSync(estateFile, JSON.stringify(estate));
    const changed = JSON.parse((await runCli(['lab', 'show', '--json'], env)).stdout);
    expect(changed.mutations).toEqual({ 'kerberos:corp.contoso.com': 1 });
    expect(changed.forests[0].domains[0].kerberosServer.ad).toMatchObject({ keyVersion: 2 });

    const reset = JSON.parse((await runCli(['lab', 'reset', '--json'], env)).stdout);
    expect(reset).toMatchObject({ file: estateFile, sample: 'default', name: 'contoso-small', mutationsDropped: 1 });
    expect(JSON.parse((await runCli(['lab', 'show', '--json'], env)).stdout).mutations).toEqual({});

    const realistic = await runCli(['lab', 'reset', '--sample', 'realistic'], env);
    expect(realistic.code).toBe(0);
    expect(JSON.parse((await runCli(['lab', 'show', '--json'], env)).stdout).name).toBe('fabrikam-realistic');
    expect((await runCli(['lab', 'init', '--sample', 'huge'], env)).code).toBe(3);
  });
});

describe('API tokens', () => {
  const env = { CLOUDTRUST_DATA_DIR: path.join(work, 'token-data') };

  test('create (shown once), list, revoke', async () => {
    const created = await runCli(['token', 'create', 'alice', '--scope', 'operate', '--json'], env);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout);
    expect(token).toMatchObject({ name: 'alice', scopes: ['read', 'operate'] });
    expect(token.token).toMatch(/^ct_[0-9a-f]{12}_/);

    const listed = JSON.parse((await runCli(['token', 'list', '--json'], env)).stdout);
    expect(listed).toEqual([{ id: token.id, name: 'alice', scopes: ['read', 'operate'], createdAt: token.createdAt }]);
    expect(readFileSync(path.join(env.CLOUDTRUST_DATA_DIR, 'api-tokens.json'), 'utf8')).not.toContain(token.token);

    expect((await runCli(['token', 'create', 'alice'], env)).code).toBe(5);
    expect((await runCli(['token', 'revoke', 'alice'], env)).code).toBe(0);
    const gone = await runCli(['token', 'revoke', token.id], env);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain(`cloudtrust: no active token ${token.id}`);
  });

  test('need no valid Temporal settings: only CLOUDTRUST_DATA_DIR', async () => {
    const broken = { ...env, TEMPORAL_ADDRESS: 'bad::', CLOUDTRUST_DEV_PORT: 'nope' };
    const created = await runCli(['token', 'create', 'bob', '--json'], broken);
    expect(created.code).toBe(0);
    const listed = await runCli(['token', 'list', '--json'], broken);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((t: { name: string }) => t.name)).toContain('bob');
    expect((await runCli(['token', 'revoke', 'bob'], broken)).code).toBe(0);
    // The connection settings still fail the commands that need them.
    expect((await runCli(['list'], broken)).code).toBe(3);
  });
});
