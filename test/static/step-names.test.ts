import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createActivities, createStepActivities } from '../../activities';
import type { ActivityDependencies } from '../../activities/dependencies';
import { allSteps } from '../../activities/steps';
import { LEGACY_ACTIVITY_NAMES } from '../../model/activity-names';
import { LEGACY_STEP_NAMES, WORKFLOW_STEP_NAMES } from '../../model/step-names';
import { sourceFiles } from './module-graph';

/** One name per step (model/step-names.ts): the contract id gives the script, the activity and the report's record id. */
const repoRoot = path.resolve(__dirname, '..', '..');
const VERBS = ['read', 'scan', 'check', 'ensure', 'rotate', 'remove', 'rollback'];
const STEP_NAME = new RegExp(`^([a-z]+)\\.((${VERBS.join('|')})-[a-z]+(-[a-z]+)*)$`);
/** Steps no workflow schedules, so without an activity: the bridge's own round trip. */
const WITHOUT_ACTIVITY = ['diagnostics.check-echo'];

const camel = (id: string) => id.replace(/[.-]([a-z])/g, (_match, letter: string) => letter.toUpperCase());
const ids = allSteps.map((s) => s.id);
const noDeps = {} as ActivityDependencies;

describe('one name per step', () => {
  test.each(ids)('%s is <area>.<verb>-<noun> and its script is powershell/<area>/<verb>-<noun>.ps1', (id) => {
    const match = STEP_NAME.exec(id);
    expect(match).not.toBeNull();
    const step = allSteps.find((s) => s.id === id)!;
    expect(step.script).toBe(`${match![1]}/${match![2]}.ps1`);
    expect(existsSync(path.join(repoRoot, 'powershell', step.script))).toBe(true);
  });

  test('ids are unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the activities are camel(id) of every step, and the worker registers every old name as the same function', () => {
    const current = Object.keys(createStepActivities(noDeps)).sort();
    expect(current).toEqual(ids.filter((id) => !WITHOUT_ACTIVITY.includes(id)).map(camel).sort());
    const registered = createActivities(noDeps) as Record<string, unknown>;
    expect(Object.keys(registered).sort()).toEqual([...current, ...Object.keys(LEGACY_ACTIVITY_NAMES)].sort());
    for (const [old, name] of Object.entries(LEGACY_ACTIVITY_NAMES)) {
      expect(current).toContain(name);
      expect(registered[old]).toBe(registered[name]);
    }
  });

  const historyDir = path.join(repoRoot, 'test', 'histories');
  const histories = readdirSync(historyDir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');
  const activityTypes = (files: string[]) =>
    new Set(files.flatMap((file) => [...readFileSync(path.join(historyDir, file), 'utf8').matchAll(/"activityType":\s*\{\s*"name":\s*"([^"]+)"/g)].map((match) => match[1])));

  test('every activity type in a saved history is registered: by its name, or by its old name', () => {
    const types = activityTypes(histories);
    expect(types.size).toBeGreaterThan(10);
    const registered = Object.keys(createActivities(noDeps));
    expect([...types].filter((type) => !registered.includes(type))).toEqual([]);
  });

  test('runs recorded since one name per step schedule the activities by their names', () => {
    const recent = histories.filter((f) => f.startsWith('v5-one-name-per-step-'));
    expect(recent.length).toBeGreaterThanOrEqual(12);
    const current = Object.keys(createStepActivities(noDeps));
    expect([...activityTypes(recent)].filter((type) => !current.includes(type))).toEqual([]);
  });

  test('the workflow-only names have the same form, name no script and are not step names', () => {
    for (const name of Object.keys(WORKFLOW_STEP_NAMES)) {
      expect(name).toMatch(/^[a-z]+\.[a-z]+(-[a-z]+)*$/);
      expect(ids).not.toContain(name);
      expect(existsSync(path.join(repoRoot, 'powershell', `${name.replace('.', '/')}.ps1`))).toBe(false);
    }
  });

  test('every old record id maps to a step name or a workflow-only name', () => {
    const known = [...ids, ...Object.keys(WORKFLOW_STEP_NAMES)];
    expect(Object.values(LEGACY_STEP_NAMES).filter((name) => !known.includes(name))).toEqual([]);
  });

  test('every record id a workflow writes is a step name or a workflow-only name', () => {
    const known = new Set([...ids, ...Object.keys(WORKFLOW_STEP_NAMES)]);
    const used = new Map<string, string>();
    const patterns = [/\.(?:run|note|fail)\(\s*'([^']+)'/g, /\.step = '([^']+)'/g, /needsOperator\([^,]+,[^,]+,\s*'([^']+)'/g];
    for (const file of sourceFiles(repoRoot, ['workflows'])) {
      const text = readFileSync(path.join(repoRoot, file), 'utf8');
      for (const pattern of patterns) for (const match of text.matchAll(pattern)) used.set(match[1], file);
      expect(text).not.toMatch(/\.(?:run|note|fail)\(\s*[`"]/);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter(([name]) => !known.has(name)).map(([name, file]) => `${file}: ${name}`)).toEqual([]);
  });

  test('the README lists every step and every workflow-only name, and no other', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Steps\n'), readme.indexOf('## How it is built\n'));
    const listed = [...section.matchAll(/^\| ((?:`[a-z.-]+`(?:, )?)+) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([a-z.-]+)`/g)].map((m) => m[1]));
    expect(listed.sort()).toEqual([...ids, ...Object.keys(WORKFLOW_STEP_NAMES)].sort());
  });
});
