import { randomUUID } from 'node:crypto';
import { resetKerberosKeyOutsideModule } from '../../lab/estate/kerberos-reset';
import type { LabDomain, LabEstate } from '../../lab/estate/schema';
import { writeNewKey } from '../../lab/windows/commands/kerberos/server-object';
import type { RunbookDomainReport, RunbookReport, StepRecord } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import { driftCheck } from '../../workflows';
import { rotateKeys, runbookProgressQuery, type RotateKeysInput } from '../../workflows/runbooks';
import { readLabDefaultSpec } from '../support/lab-spec';
import { startLabWorker, type LabWorker } from '../support/lab-worker';

const CORP = 'corp.contoso.com';
const DC03 = 'dc03.corp.contoso.com';
const DAY_MS = 24 * 3600_000;
const KEY_AGE_DAYS = 200;

const labSpec: RolloutSpec = (() => {
  const spec = readLabDefaultSpec();
  return { ...spec, rings: spec.rings.map(({ approval: _approval, ...ring }) => ring) };
})();
const withOptions = (options: Partial<RolloutSpec['options']>): RolloutSpec => ({ ...labSpec, options: { ...labSpec.options, ...options } });

const corpOf = (estate: LabEstate): LabDomain => estate.forests.flatMap((f) => f.domains).find((d) => d.dnsName === CORP)!;

/** The module installed, corp's Kerberos object in place with its key written 200 days ago on dc01; dc03 sees a new key 10 s after the others. */
function seedOldKey(estate: LabEstate): void {
  estate.managementHost.modules = [{ name: 'AzureADHybridAuthenticationManagement', version: '2.4.71.0' }];
  const corp = corpOf(estate);
  writeNewKey(corp, corp.controllers[0], new Date(Date.now() - KEY_AGE_DAYS * DAY_MS));
  corp.kerberosServer.replicationDelaySeconds = 1;
  corp.kerberosServer.replicationDelayOverrides = { [DC03]: 10 };
}

/* One estate for the file; the tests run in order and each builds on the one before. */
describe('safer key rotation: real Temporal server, real worker, the real scripts in the lab', () => {
  let lab: LabWorker;

  beforeAll(async () => {
    lab = await startLabWorker({ adjust: seedOldKey, taskQueuePrefix: 'rotation' });
  }, 120_000);

  afterAll(() => lab?.stop());

  const start = (input: RotateKeysInput) => lab.context.env.client.workflow.start(rotateKeys, { taskQueue: lab.taskQueue, workflowId: `rotate/${randomUUID()}`, args: [input] });
  const rotate = async (input: RotateKeysInput) => (await start(input)).result();
  const corpEntry = (report: RunbookReport): RunbookDomainReport => report.domains.find((d) => d.domain === CORP)!;
  const steps = (report: RunbookReport, name: string): StepRecord[] => corpEntry(report).steps.filter((s) => s.step === name);
  const rotations = async () => (await lab.store.read()).mutations[`kerberos-key:${CORP}`] ?? 0;
  const setLag = (seconds: number) => lab.store.update((estate) => void (corpOf(estate).kerberosServer.replicationDelayOverrides = { [DC03]: seconds }));
  const now = () => new Date().toISOString();

  test('a drift check reports the key age, with a finding over maxKeyAge', async () => {
    const report = await lab.context.env.client.workflow.execute(driftCheck, { taskQueue: lab.taskQueue, workflowId: `drift/${randomUUID()}`, args: [{ spec: labSpec, specDigest: 'test' }] });
    const corp = report.domains.find((d) => d.domain === CORP)!;
    expect(corp.keyAge).toMatchObject({ age: `${KEY_AGE_DAYS} days`, maxKeyAge: '180d', overdue: true });
    expect(corp.findings?.map((f) => [f.severity, f.code])).toEqual([['warning', 'key-age']]);
    expect(corp.findings?.[0].message).toMatch(/Microsoft mandates no interval/);
  }, 120_000);

  test('plan of a double rotation: the key age finding, both rotations, the replication waits and a 24 h cooldown; nothing changes', async () => {
    const before = (await lab.store.read()).mutations;
    const report = await rotate({ spec: labSpec, mode: 'plan', requestedAt: now(), double: true, domains: [CORP] });
    const corp = corpEntry(report);
    expect(corp.status).toBe('planned');
    expect(corp.keyAge?.ageSeconds).toBeGreaterThanOrEqual(KEY_AGE_DAYS * 86_400 - 60);
    expect(corp.findings?.map((f) => f.code)).toEqual(['key-age']);
    expect(corp.steps.map((s) => s.step)).toEqual(['kerberos.key-check', 'kerberos.rotate-key', 'kerberos.replication-wait', 'kerberos.cooldown', 'kerberos.rotate-key', 'kerberos.replication-wait']);
    expect(steps(report, 'kerberos.rotate-key').map((s) => s.changed)).toEqual([true, true]);
    expect(steps(report, 'kerberos.cooldown')[0].changes[0]).toMatch(/^wait 24h: the module rotates once within 24 hours/);
    expect((await lab.store.read()).mutations).toEqual(before);
  }, 60_000);

  test('a single rotation waits until the lagging DC holds the new key version', async () => {
    const handle = await start({ spec: labSpec, mode: 'apply', requestedAt: now(), domains: [CORP] });
    // While dc03 lags, the domain is in the replication wait.
    let seenWaiting = false;
    for (let i = 0; i < 100 && !seenWaiting; i += 1) {
      const progress = await handle.query(runbookProgressQuery);
      seenWaiting = corpEntry(progress).step === 'kerberos.replication-wait';
      if (!seenWaiting) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seenWaiting).toBe(true);
    const report = await handle.result();
    expect(corpEntry(report).status).toBe('succeeded');
    const [rotated] = steps(report, 'kerberos.rotate-key');
    const newVersion = /→ (\d+)$/.exec(rotated.detail!)![1];
    const [replicated] = steps(report, 'kerberos.replication-wait');
    expect(replicated.status).toBe('ok');
    expect(replicated.detail).toMatch(new RegExp(`^replicated key version ${newVersion} to 3 writable DCs \\((\\d+) checks\\)$`));
    expect(Number(/\((\d+) checks\)/.exec(replicated.detail!)![1])).toBeGreaterThan(1);
    expect(Date.parse(replicated.finishedAt) - Date.parse(rotated.finishedAt)).toBeGreaterThanOrEqual(7_000);
    expect(corpEntry(report).keyAge?.overdue).toBe(true);
    expect(await rotations()).toBe(1);
  }, 90_000);

  test('a DC that does not catch up within replicationTimeout fails the domain, naming it', async () => {
    await setLag(3600);
    const report = await rotate({ spec: withOptions({ replicationTimeout: '6s' }), mode: 'apply', requestedAt: now(), force: true, domains: [CORP] });
    expect(corpEntry(report).status).toBe('failed');
    const [replicated] = steps(report, 'kerberos.replication-wait');
    expect(replicated.status).toBe('failed');
    expect(replicated.error?.type).toBe('ReplicationTimeout');
    expect(replicated.error?.message).toMatch(new RegExp(`^not replicated key version \\d+ within 6s: ${DC03.replace(/\./g, '\\.')} \\(has \\d+\\)$`));
    expect(replicated.error?.message).not.toMatch(/dc01|dc02/);
    expect(await rotations()).toBe(2);
    await setLag(1);
  }, 90_000);

  test('a reset outside the module: found, refused without force (naming the -Force repair), repaired with force', async () => {
    await lab.store.update((estate) => void resetKerberosKeyOutsideModule(estate, CORP));
    const refused = await rotate({ spec: labSpec, mode: 'apply', requestedAt: now(), domains: [CORP] });
    expect(corpEntry(refused).status).toBe('failed');
    expect(corpEntry(refused).findings?.map((f) => [f.severity, f.code])).toEqual([['blocker', 'reset-outside-module']]);
    const [notRotated] = steps(refused, 'kerberos.rotate-key');
    expect(notRotated.error?.type).toBe('ResetOutsideModule');
    expect(notRotated.error?.message).toMatch(/KeyVersion \d+ differs from CloudKeyVersion \d+/);
    expect(notRotated.error?.message).toContain("Set-AzureADKerberosServer -Domain 'corp.contoso.com'");
    expect(notRotated.error?.message).toContain('-RotateServerKey -Force');
    expect(await rotations()).toBe(2);

    const repaired = await rotate({ spec: labSpec, mode: 'apply', requestedAt: now(), force: true, domains: [CORP] });
    expect(corpEntry(repaired).status).toBe('succeeded');
    expect(await rotations()).toBe(3);
    const { ad, cloud } = corpOf(await lab.store.read()).kerberosServer;
    expect(ad!.keyVersion).toBe(cloud!.keyVersion);
  }, 90_000);

  test('a double rotation survives a worker restart in its cooldown and resumes: two rotations, each replicated', async () => {
    const spec = withOptions({ keyRotation: { maxTicketLifetime: '15s', maxKeyAge: '180d' } });
    const before = await rotations();
    const handle = await start({ spec, mode: 'apply', requestedAt: now(), force: true, double: true, domains: [CORP] });
    let cooling = false;
    for (let i = 0; i < 300 && !cooling; i += 1) {
      cooling = corpEntry(await handle.query(runbookProgressQuery)).step === 'kerberos.cooldown';
      if (!cooling) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(cooling).toBe(true);
    expect(await rotations()).toBe(before + 1);
    const oldWorker = lab.worker;
    // No worker at all for a while: the timer is the server's.
    await lab.restartWorker(() => new Promise((resolve) => setTimeout(resolve, 3_000)));
    expect(lab.worker).not.toBe(oldWorker);

    const report = await handle.result();
    expect(corpEntry(report).status).toBe('succeeded');
    expect(corpEntry(report).steps.map((s) => [s.step, s.status])).toEqual([
      ['kerberos.key-check', 'ok'],
      ['kerberos.rotate-key', 'ok'],
      ['kerberos.replication-wait', 'ok'],
      ['kerberos.cooldown', 'ok'],
      ['kerberos.rotate-key', 'ok'],
      ['kerberos.replication-wait', 'ok'],
    ]);
    const [cooldown] = steps(report, 'kerberos.cooldown');
    expect(cooldown.detail).toMatch(/^waited 15s until .*the maximum ticket lifetime/);
    expect(Date.parse(cooldown.finishedAt) - Date.parse(cooldown.startedAt)).toBeGreaterThanOrEqual(15_000);
    const [first, second] = steps(report, 'kerberos.rotate-key');
    expect(Date.parse(second.startedAt) - Date.parse(first.finishedAt)).toBeGreaterThanOrEqual(15_000);
    const firstVersion = /→ (\d+)$/.exec(first.detail!)![1];
    expect(second.detail).toMatch(new RegExp(`^key version ${firstVersion} → \\d+$`));
    expect(await rotations()).toBe(before + 2);

    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes).map((e) => Number(e.timerStartedEventAttributes!.startToFireTimeout!.seconds));
    expect(timers).toContain(15);
  }, 180_000);
});
