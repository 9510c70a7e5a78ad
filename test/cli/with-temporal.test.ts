import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rolloutProgress } from '../../client/rollouts';
import type { RolloutSpec } from '../../model/spec';
import { freePort } from '../support/free-port';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';
import { waitFor } from '../support/wait';
import { runCli, startCli, type CliResult } from './run-cli';

/**
 * The built CLI against a real Temporal dev server, with a real worker in this process running against a lab estate:
 * the CLI reaches the server through TEMPORAL_ADDRESS and decrypts with the worker's key.
 */
jest.setTimeout(120_000);

const work = mkdtempSync(path.join(tmpdir(), 'cloudtrust-cli-temporal-'));
const suffix = randomUUID().slice(0, 8);

function writeSpec(file: string, change: (spec: RolloutSpec) => void): string {
  const spec = readLabDefaultSpec();
  spec.options.replicationPollInterval = '1s';
  change(spec);
  const target = path.join(work, file);
  writeFileSync(target, JSON.stringify(spec, null, 2));
  return target;
}

const ungated = `cli-open-${suffix}`;
const gated = `cli-gated-${suffix}`;
const UNGATED_SPEC = writeSpec('ungated.json', (s) => {
  s.name = ungated;
  s.rings = s.rings.map(({ approval: _approval, ...ring }) => ring);
});
const GATED_SPEC = writeSpec('gated.json', (s) => {
  s.name = gated;
});
const mfa = `cli-mfa-${suffix}`;
const MFA_SPEC = writeSpec('mfa.json', (s) => {
  s.name = mfa;
  s.cloudSignIn = { interactive: { userPrincipalName: 'cloud-admin@contoso.com' } };
  s.domains = [s.domains[0]];
  s.rings = [{ ...s.rings[0], approval: undefined }];
});

describe('cloudtrust CLI against a Temporal server and a lab worker', () => {
  let lab: LabWorker;
  let env: NodeJS.ProcessEnv;

  const cli = (...args: string[]): Promise<CliResult> => runCli(args, env);
  const json = async (...args: string[]) => {
    const result = await cli(...args, '--json');
    if (result.code !== 0) throw new Error(`cloudtrust ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    lab = await startLabWorker({
      taskQueuePrefix: 'cli',
      adjust: (estate) => {
        for (const domain of estate.forests.flatMap((f) => f.domains)) domain.kerberosServer.replicationDelaySeconds = 1;
      },
    });
    env = {
      TEMPORAL_ADDRESS: lab.context.env.address,
      CLOUDTRUST_CODEC_KEY: lab.context.keyring.current.toString('base64'),
      CLOUDTRUST_TASK_QUEUE: lab.taskQueue,
      CLOUDTRUST_DATA_DIR: path.join(work, 'data'),
      CLOUDTRUST_OPERATOR: 'tester',
    };
  });
  afterAll(() => lab?.stop());

  test('status: which server, the worker polling, no runs yet', async () => {
    const result = await cli('status');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Temporal    ${lab.context.env.address} · namespace default · external server (TEMPORAL_ADDRESS)`);
    expect(result.stdout).toMatch(new RegExp(`task queue  ${lab.taskQueue} · \\d+ workers? polling`));
    expect(result.stdout).toContain('no runs are running');
  });

  test('kerberos-done: an MFA-protected admin; a confirmation the rollout cannot verify is refused with the reason', async () => {
    const id = `cloudtrust:${mfa}`;
    expect((await cli('apply', MFA_SPEC)).code).toBe(0);
    await waitFor(async () => (await rolloutProgress(lab.context.env.client, id)).domains[0].status === 'waiting-operator', { timeoutMs: 60_000 });

    const status = await cli('status', id);
    expect(status.stdout).toContain("Set-AzureADKerberosServer -Domain 'corp.contoso.com' -UserPrincipalName 'cloud-admin@contoso.com'");
    expect(status.stdout).toContain(`  cloudtrust kerberos-done ${id} --domain corp.contoso.com --get-output <file>`);

    expect((await cli('kerberos-done', id)).code).toBe(2);
    const refused = await cli('kerberos-done', id, '--domain', 'corp.contoso.com');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/refused: CN=AzureADKerberos or its krbtgt account is not present on .* yet/);
    expect((await cli('cancel', id, '--reason', 'no operator today')).code).toBe(0);
  });

  test('plan: waits and prints the planned changes per domain', async () => {
    const result = await cli('plan', UNGATED_SPEC);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^planning cloudtrust-plan:${ungated}:[0-9a-f]{12} …`));
    expect(result.stdout).toContain('  corp.contoso.com (gpo)  planned  7 changes');
    expect(result.stdout).toContain('    ~ kerberos.ensure-server: create the Azure AD Kerberos server object for corp.contoso.com');
    expect(result.stdout).toMatch(/emea\.corp\.contoso\.com \(gpo\) {2}not-ready\n {4}✗ site Branch-Lyon has only read-only DCs/);
    expect(result.stdout).toMatch(/Plan: \d+ changes in 1 domain; 1 domain not ready; 0 failed\.\n$/);
  });

  test('apply --follow (not a terminal): a line per change, exit 0 when completed', async () => {
    const result = await cli('apply', UNGATED_SPEC, '--follow');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`rollout ${ungated}: preflight`);
    expect(lines).toContain(`rollout ${ungated}: completed`);
    expect(lines.some((l) => /^ {2}corp\.contoso\.com +succeeded +clients\.read-devices/.test(l))).toBe(true);
    expect(lines.at(-2)).toBe(`rollout ${ungated} completed: 1 of 2 domains rolled out, 1 not ready`);
    expect(lines.at(-1)).toBe(`report: cloudtrust report cloudtrust:${ungated} --format md`);
  });

  test('apply --follow --json: NDJSON snapshots, then the final report', async () => {
    const result = await cli('apply', UNGATED_SPEC, '--follow', '--json');
    expect(result.code).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'final', id: `cloudtrust:${ungated}`, report: { state: 'completed', mode: 'apply' } });
    // The second run changes nothing.
    const corp = events.at(-1).report.domains.find((d: { domain: string }) => d.domain === 'corp.contoso.com');
    expect(corp.steps.filter((s: { changed: boolean }) => s.changed)).toEqual([]);
  });

  test('list: newest first, by kind and spec', async () => {
    const all = await json('list', '--spec', ungated);
    expect(all.map((r: { kind: string }) => r.kind)).toEqual(['rollout', 'rollout', 'plan']);
    const plans = await json('list', '--kind', 'plan', '--spec', ungated);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ kind: 'plan', spec: ungated, state: 'completed', status: 'COMPLETED' });
    const table = await cli('list', '--spec', ungated);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +KIND +SPEC +STATE +STATUS +STARTED +CLOSED$/);
    expect((await cli('list', '--kind', 'nonsense')).code).toBe(3);
    const hostile = await cli('list', '--spec', "x' OR CloudtrustKind = 'plan");
    expect(hostile.code).toBe(3);
    expect(hostile.stderr).toContain('is not a spec name');
  });

  test('report: Markdown, JSON, HTML to a file', async () => {
    const id = `cloudtrust:${ungated}`;
    const md = await cli('report', id);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`# cloudtrust rollout ${ungated}`);
    expect(md.stdout).toContain('### ✓ corp.contoso.com — succeeded');
    const report = await json('report', id, '--format', 'json');
    expect(report).toMatchObject({ name: ungated, state: 'completed' });
    const file = path.join(work, 'out', 'report.html');
    const html = await cli('report', id, '--format', 'html', '--out', file);
    expect(html.stdout).toBe(`wrote ${file}\n`);
    expect(readFileSync(file, 'utf8')).toContain('<html');
    expect((await cli('report', 'cloudtrust:no-such-rollout')).code).toBe(4);
  });

  test('approve, pause, resume and cancel: refusals exit 5 with the reason', async () => {
    const id = `cloudtrust:${gated}`;
    const started = await cli('apply', GATED_SPEC);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`started rollout ${id}`);
    await waitFor(async () => (await rolloutProgress(lab.context.env.client, id)).state === 'waiting-approval', { timeoutMs: 60_000 });

    const status = await cli('status', id);
    expect(status.stdout).toContain('ring broad waits for approval; from another terminal run:');
    expect(status.stdout).toContain(`  cloudtrust approve ${id} --ring broad`);

    const wrongRing = await cli('approve', id, '--ring', 'pilot');
    expect(wrongRing.code).toBe(5);
    expect(wrongRing.stderr).toContain(`cloudtrust: ${id} refused: ring pilot is not waiting for approval (it is completed)`);

    // Applying the same spec again joins the running rollout; it follows it and says how to approve.
    const follower = startCli(['apply', GATED_SPEC, '--follow'], env);
    await waitFor(() => follower.stdoutSoFar().includes('waits for approval'), { timeoutMs: 60_000 });
    expect(follower.stdoutSoFar()).toContain(`ring broad waits for approval; run: cloudtrust approve ${id} --ring broad`);

    expect((await cli('pause', id)).stdout).toBe(`${id}: paused by tester: no new domain starts until resumed\n`);
    expect((await cli('resume', id)).code).toBe(0);
    const notPaused = await cli('resume', id);
    expect(notPaused.code).toBe(5);
    expect(notPaused.stderr).toContain('the rollout is not paused');

    const approved = await json('approve', id, '--comment', 'change ticket 42');
    expect(approved).toEqual({ id, action: 'approve', by: 'tester', result: 'ring broad approved by tester: change ticket 42' });

    const joined = await follower.result;
    expect(joined.code).toBe(0);
    expect(joined.stderr).toContain(`joined rollout ${id}`);
    expect(joined.stdout).toContain(`rollout ${gated}: completed`);

    const ended = await cli('cancel', id, '--reason', 'too late');
    expect(ended.code).toBe(5);
    expect(ended.stderr).toBe(`cloudtrust: rollout ${id} has ended (completed): it takes no cancel\n`);

    const [plan] = await json('list', '--kind', 'plan', '--spec', ungated);
    const notARollout = await cli('pause', plan.id);
    expect(notARollout.code).toBe(5);
    expect(notARollout.stderr).toContain(`${plan.id} is a plan, not a rollout`);

    const unknown = await cli('approve', 'cloudtrust:nobody');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('hint: list the runs with `cloudtrust list`');
  });

  test('rotate-keys --plan and drift-check wait for their answer', async () => {
    const rotation = await cli('rotate-keys', UNGATED_SPEC, '--plan', '--domain', 'corp.contoso.com');
    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toMatch(/corp\.contoso\.com +skipped +kerberos\.rotate-key/);
    expect((await cli('rotate-keys', UNGATED_SPEC, '--domain', 'nowhere.contoso.com')).code).toBe(3);

    // emea cannot be planned (preflight holds it back), so the check is incomplete: exit 1.
    const drift = await cli('drift-check', UNGATED_SPEC, '--json');
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.stdout);
    expect(report.verdict).toBe('incomplete');
    expect(report.domains.find((d: { domain: string }) => d.domain === 'corp.contoso.com').changes).toEqual([]);
  });

  test('rollback --plan: what would be undone, nothing changed; removing the Kerberos object must be confirmed', async () => {
    const before = (await lab.store.read()).mutations;
    const plan = await cli('rollback', UNGATED_SPEC, '--plan', '--policy', 'disable', '--domain', 'corp.contoso.com');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/corp\.contoso\.com +planned +gpo\.rollback-policy/);
    expect(plan.stdout).toContain('kept: removal needs removeKerberosObject and confirmRemoval');
    expect((await lab.store.read()).mutations).toEqual(before);

    const unconfirmed = await cli('rollback', UNGATED_SPEC, '--policy', 'unlink', '--remove-kerberos-object');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--remove-kerberos-object needs --confirm-removal');
    expect((await cli('rollback', UNGATED_SPEC, '--plan')).code).toBe(2);
  });

  test('schedule create, list, delete', async () => {
    const name = `drift-${suffix}`;
    const created = await cli('schedule', 'create', name, '--kind', 'drift-check', '--spec', UNGATED_SPEC, '--every', '1d', '--paused');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created schedule ${name}: drift-check of ${ungated} every 1d, paused`);
    expect((await cli('schedule', 'create', name, '--kind', 'drift-check', '--spec', UNGATED_SPEC, '--every', '1d')).code).toBe(5);

    const invalid = await cli('schedule', 'create', `bad-${suffix}`, '--kind', 'drift-check', '--spec', UNGATED_SPEC, '--every', '2s', '--force');
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('  - --every: must be an interval such as 90d, 24h or 30m');

    const listed = await json('schedule', 'list');
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ name, kind: 'drift-check', spec: ungated, every: '1d', paused: true })]));

    expect((await cli('schedule', 'delete', name)).stdout).toBe(`deleted schedule ${name}\n`);
    const again = await cli('schedule', 'delete', name);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`cloudtrust: no schedule ${name}`);
    expect(existsSync(path.join(work, 'data', 'codec.key'))).toBe(false);
  });

  test('server --no-worker: the HTTP API on the running server, with a token from `token create`, until Ctrl-C', async () => {
    const port = await freePort();
    const server = startCli(['server', '--no-worker', '--port', String(port), '--json'], env);
    try {
      await waitFor(() => server.stdoutSoFar().includes('"event":"ready"'));
      const ready = JSON.parse(server.stdoutSoFar().trim().split('\n')[0]);
      expect(ready).toMatchObject({ event: 'ready', temporal: lab.context.env.address, api: `http://127.0.0.1:${port}`, worker: false });

      const { token } = await json('token', 'create', `reader-${suffix}`);
      const response = await fetch(`${ready.api}/rollouts`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { runs: Array<{ id: string }> };
      expect(body.runs.map((r) => r.id)).toContain(`cloudtrust:${ungated}`);
    } finally {
      server.signal('SIGINT');
    }
    expect((await server.result).code).toBe(0);
  });
});
