import { boundedPlanSummary, planTextPerDomain, summarize } from '../../model/domain-summary';
import { MAX_DOMAINS, RUNBOOK_MAX_DOMAINS, runbookSizeProblem, TEMPORAL_PAYLOAD_LIMIT_BYTES } from '../../model/limits';
import { scheduleRequestSchema } from '../../model/schedule-request';
import type { DomainReport, RolloutRecord } from '../../model/report-types';
import { validateSpec } from '../../model/spec-file';

/** The longest DNS name a spec takes (253 characters), distinct per index. */
const longName = (i: number) => `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.d${String(i).padStart(5, '0')}.${'e'.repeat(60)}`.slice(0, 253);
const longLine = (what: string) => `${what}: ${'x'.repeat(400)}`;

/** A planned domain with many long changes, a failed step and policy sources that break cloud trust. */
function worstPlannedDomain(i: number): DomainReport {
  const name = longName(i);
  return {
    domain: name,
    ring: 'r'.repeat(64),
    channel: 'intune',
    taskQueue: `q${'q'.repeat(60)}`,
    status: 'failed',
    step: 'intune.ensure-catalog-assignment',
    findings: [{ severity: 'blocker', code: 'x', message: longLine('finding') }],
    steps: Array.from({ length: 8 }, (_, k) => ({ step: `step-${k}`, status: k === 7 ? ('failed' as const) : ('ok' as const), changed: true, planOnly: true, changes: [longLine('change'), longLine('change')], warnings: [], ...(k === 7 ? { error: { type: 'VerificationFailed', message: longLine('error') } } : {}), startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() })),
    policySources: { findings: [{ severity: 'blocker', code: 'gpo-certificate-trust', message: longLine('certificate trust') }], settings: [] } as unknown as DomainReport['policySources'],
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
  };
}

describe(`limits: ${MAX_DOMAINS} domains per rollout`, () => {
  test('a small rollout keeps every planned change whole; a large one keeps what fits its share and counts the rest', () => {
    const planned: DomainReport = { ...worstPlannedDomain(1), status: 'planned', steps: worstPlannedDomain(1).steps.slice(0, 7) };
    const whole = boundedPlanSummary(planned, planTextPerDomain(2));
    expect(whole.changes).toHaveLength(15);
    expect(whole.moreChanges).toBeUndefined();
    const share = planTextPerDomain(MAX_DOMAINS);
    const bounded = boundedPlanSummary(planned, share);
    expect(bounded.changes).toHaveLength(1);
    expect(bounded.changes[0].length).toBeLessThanOrEqual(share);
    expect(bounded.moreChanges).toBe(14);
  });

  test(`the record of a ${MAX_DOMAINS}-domain plan, every domain at its largest, fits in one Temporal payload`, () => {
    const where = (i: number) => ({ batch: Math.floor(i / 250), child: true, planOnly: true, planText: planTextPerDomain(MAX_DOMAINS) });
    const domains = Array.from({ length: MAX_DOMAINS }, (_, i) => summarize(worstPlannedDomain(i), where(i)));
    const record: RolloutRecord = { name: 'n'.repeat(63), tenant: '00000000-0000-0000-0000-000000000000', mode: 'plan', specDigest: 'f'.repeat(64), state: 'completed', startedAt: '', host: [], conflicts: [], rings: [], layout: 'batched', workflowId: `cloudtrust-plan:${'n'.repeat(63)}:0123456789ab`, batches: [], domains };
    const bytes = Buffer.byteLength(JSON.stringify(record));
    // 64 KiB stay free for the payload's encoding (metadata, the codec's nonce and tag) and the record's own fields.
    expect(bytes).toBeLessThan(TEMPORAL_PAYLOAD_LIMIT_BYTES - 64 * 1024);
  });

  test(`a spec of ${MAX_DOMAINS} domains validates and fits in the rollout's input; one more is refused with the reason`, () => {
    const domain = (i: number) => ({
      name: `d${i}.corp.contoso.com`,
      channel: 'gpo',
      gpo: { targets: [`OU=Workstations,DC=d${i},DC=corp,DC=contoso,DC=com`], computerGroup: 'WHfB-Devices' }, domainCredential: { secret: 'ad-admin' } });
    const spec = (n: number) => ({
      name: 'estate',
      tenant: { id: '00000000-0000-0000-0000-000000000001' },
      cloudSignIn: { secret: 'kerberos-admin' },
      domains: Array.from({ length: n }, (_, i) => domain(i)),
      rings: [{ name: 'all', domains: Array.from({ length: n }, (_, i) => `d${i}.corp.contoso.com`), concurrency: 20, failureBudget: 10 }],
    });
    const valid = validateSpec(spec(MAX_DOMAINS), 'spec');
    expect(valid.domains).toHaveLength(MAX_DOMAINS);
    expect(Buffer.byteLength(JSON.stringify(valid))).toBeLessThan(TEMPORAL_PAYLOAD_LIMIT_BYTES);
    expect(() => validateSpec(spec(MAX_DOMAINS + 1), 'spec')).toThrow(new RegExp(`at most ${MAX_DOMAINS} domains per rollout`));
  });

  test(`a runbook run takes at most ${RUNBOOK_MAX_DOMAINS} domains; a rotation schedule over more is refused, a drift check schedule is not`, () => {
    expect(runbookSizeProblem(RUNBOOK_MAX_DOMAINS)).toBeUndefined();
    expect(runbookSizeProblem(RUNBOOK_MAX_DOMAINS + 1)).toMatch(/at most 250 domains .* this one would take 251: name a part with domains/);
    const names = Array.from({ length: RUNBOOK_MAX_DOMAINS + 1 }, (_, i) => `d${i}.corp.contoso.com`);
    const spec = {
      name: 'estate',
      tenant: { id: '00000000-0000-0000-0000-000000000001' },
      cloudSignIn: { secret: 'kerberos-admin' },
      domains: names.map((name) => ({ name, channel: 'gpo', gpo: { targets: [`DC=${name.split('.').join(',DC=')}`], computerGroup: 'WHfB-Devices' } })),
      rings: [{ name: 'all', domains: names }],
    };
    const rotation = scheduleRequestSchema.safeParse({ name: 'weekly', kind: 'rotate-keys', spec, every: '90d' });
    expect(rotation.success ? [] : rotation.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['domains', expect.stringMatching(/^a runbook run takes at most 250 domains/)]]);
    expect(scheduleRequestSchema.safeParse({ name: 'weekly', kind: 'rotate-keys', spec, every: '90d', domains: names.slice(0, 10) }).success).toBe(true);
    expect(scheduleRequestSchema.safeParse({ name: 'daily', kind: 'drift-check', spec, every: '1d' }).success).toBe(true);
  });
});
