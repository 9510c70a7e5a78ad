import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allSteps } from '../../activities/steps';
import { renderMarkdown } from '../../model/report-render';
import type { DriftReport, RolloutReport, RunbookReport } from '../../model/report-types';
import { currentStepName, withCurrentStepNames, WORKFLOW_STEP_NAMES } from '../../model/step-names';

/** The result a saved history's run returned: reports recorded before one name per step, with their old record ids. */
function resultOf<T>(file: string): T {
  const history = JSON.parse(readFileSync(path.join(__dirname, '..', 'histories', file), 'utf8')) as { events: Record<string, any>[] };
  const completed = history.events.find((e) => e.workflowExecutionCompletedEventAttributes)!;
  return JSON.parse(Buffer.from(completed.workflowExecutionCompletedEventAttributes.result.payloads[0].data, 'base64').toString('utf8')) as T;
}

const known = new Set([...allSteps.map((s) => s.id), ...Object.keys(WORKFLOW_STEP_NAMES)]);

function stepsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(stepsOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => (key === 'step' && typeof item === 'string' ? [item] : stepsOf(item)));
}

describe('reports of runs from before one name per step read with today’s names', () => {
  test.each(['v1-apply-rollout.json', 'v1-plan-rollout.json', 'v1-apply-domain.json', 'v1-apply-rotate.json', 'v2-rotation-replication-wait-double-rotate.json', 'v3-dc-capacity-rollback-apply.json', 'v4-rollout-batches-apply-batch.json'])(
    '%s',
    (file) => {
      const old = resultOf<unknown>(file);
      const before = JSON.stringify(old);
      const oldSteps = stepsOf(old);
      expect(oldSteps.length).toBeGreaterThan(0);
      expect(oldSteps.some((s) => !known.has(s))).toBe(true);
      const current = withCurrentStepNames(old);
      expect(stepsOf(current).filter((s) => !known.has(s))).toEqual([]);
      expect(JSON.stringify(old)).toBe(before);
    },
  );

  test('a rollout report renders its records by their step names', () => {
    const markdown = renderMarkdown(withCurrentStepNames(resultOf<RolloutReport>('v1-apply-rollout.json')));
    expect(markdown).toContain('| gpo.ensure-policy |');
    expect(markdown).toContain('| kerberos.ensure-server |');
    expect(markdown).not.toMatch(/\| (gpo-policy|kerberos-object|verify-policy) \|/);
  });

  test('the "<step>: …" lines of a drift report and a plan summary take the new ids; other text stays', () => {
    const recorded = resultOf<DriftReport>('v4-rollout-batches-drift-check.json');
    expect(withCurrentStepNames(recorded)).toEqual(recorded);
    const drift = withCurrentStepNames({ ...recorded, domains: [{ domain: 'x', status: 'planned', changes: ['kerberos-object: create it'], problem: 'site A has only read-only DCs: x' }] });
    expect(drift.domains[0]).toMatchObject({ changes: ['kerberos.ensure-server: create it'], problem: 'site A has only read-only DCs: x' });
    const summary = withCurrentStepNames({ domain: 'x', status: 'planned', plan: { changes: ['gpo-policy: set Enabled', 'no step here'], problem: 'kerberos-object: AccessDenied: no' } });
    expect(summary.plan).toEqual({ changes: ['gpo.ensure-policy: set Enabled', 'no step here'], problem: 'kerberos.ensure-server: AccessDenied: no' });
  });

  test('a record keeps its own changes; unknown and current ids stay as they are', () => {
    const runbook = withCurrentStepNames({ domains: [{ step: 'kerberos-rotate', status: 'ok', changes: ['kerberos-rotate: stays'] }] } as unknown as RunbookReport);
    expect(runbook.domains[0]).toEqual({ step: 'kerberos.rotate-key', status: 'ok', changes: ['kerberos-rotate: stays'] });
    expect(currentStepName('gpo.ensure-policy')).toBe('gpo.ensure-policy');
    expect(currentStepName('toString')).toBe('toString');
  });
});
