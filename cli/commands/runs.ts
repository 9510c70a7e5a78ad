import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TriggerError } from '../../client/errors';
import { describeRun, hasReport, listRuns, runReport, RUN_KINDS, type RunReport, type RunSummary } from '../../client/runs';
import { renderHtml, renderMarkdown } from '../../model/report-render';
import type { CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { choice, listValues, oneOf, positiveInteger } from '../options';
import { rolloutOutcomeLine } from '../outcome';
import { isFinalRolloutState, rolloutView } from '../render/rollout-view';
import { driftMarkdown, driftView, runbookMarkdown, runbookView } from '../render/runbook-view';
import { shortTime, table } from '../render/table';
import { paintStatus } from '../style';
import { workflowPollers } from '../task-queue';

function runsTable(ctx: CliContext, runs: RunSummary[]): string[] {
  const { style } = ctx.io;
  return table(
    ['ID', 'KIND', 'SPEC', 'STATE', 'STATUS', 'STARTED', 'CLOSED'],
    runs.map((r) => [r.id, r.kind, r.spec, paintStatus(style, r.state), paintStatus(style, r.status), shortTime(r.startedAt), shortTime(r.closedAt)]),
    style,
  );
}

async function overview(ctx: CliContext): Promise<number> {
  const settings = ctx.settings();
  const { client, address, taskQueue } = await ctx.attach();
  const [pollers, running] = await Promise.all([workflowPollers(client, taskQueue), listRuns(client, { running: true, limit: 100 })]);
  const webUi = settings.mode === 'embedded' ? `http://127.0.0.1:${settings.devUiPort}` : undefined;
  if (ctx.io.json) {
    ctx.io.emit({ temporal: { address, namespace: settings.namespace, mode: settings.mode, taskQueue, ...(webUi ? { webUi } : {}) }, workers: pollers ?? null, running });
    return EXIT.ok;
  }
  const { style } = ctx.io;
  ctx.io.out(`Temporal    ${address} · namespace ${settings.namespace} · ${settings.mode === 'embedded' ? `embedded dev server (data in ${settings.dataDir})` : 'external server (TEMPORAL_ADDRESS)'}`);
  if (webUi) ctx.io.out(`Web UI      ${webUi}`);
  ctx.io.out(
    `task queue  ${taskQueue} · ${
      pollers === undefined ? 'workers unknown' : pollers === 0 ? style.yellow('no worker polls it: start `cloudtrust worker` or `cloudtrust server`') : `${pollers} worker${pollers === 1 ? '' : 's'} polling`
    }`,
  );
  ctx.io.out();
  if (running.length === 0) ctx.io.out('no runs are running (`cloudtrust list` shows the finished ones)');
  else ctx.io.out([`${running.length} running:`, ...runsTable(ctx, running)].join('\n'));
  return EXIT.ok;
}

async function oneRun(ctx: CliContext, id: string): Promise<number> {
  const { client } = await ctx.attach();
  const run = await describeRun(client, id);
  const found = hasReport(run) ? await runReport(client, id, run) : undefined;
  if (ctx.io.json) {
    ctx.io.emit({ run, ...(found ? { report: found.report } : {}) });
    return EXIT.ok;
  }
  const { style } = ctx.io;
  if (!found) {
    ctx.io.out(`${run.kind} ${style.bold(run.spec)} ${style.dim(`(${id})`)}  ${paintStatus(style, run.status)}  started ${shortTime(run.startedAt)}${run.closedAt ? `, closed ${shortTime(run.closedAt)}` : ''}`);
    if (run.kind === 'drift-check' && run.status === 'RUNNING') ctx.io.out(`  planning: \`cloudtrust status ${id}/plan\``);
    else ctx.io.out('  it left no report: see its history in the Temporal Web UI');
    return EXIT.ok;
  }
  switch (found.kind) {
    case 'rollout':
    case 'plan':
      ctx.io.out(rolloutView(found.report, id, style, { full: true }).join('\n'));
      if (isFinalRolloutState(found.report.state)) ctx.io.out(rolloutOutcomeLine(found.report));
      break;
    case 'rotate-keys':
    case 'rollback':
    case 'migrate-intune':
      ctx.io.out(runbookView(found.report, id, style, { full: true }).join('\n'));
      break;
    case 'drift-check':
      ctx.io.out(driftView(found.report, id, style).join('\n'));
      break;
  }
  return EXIT.ok;
}

export const statusCommand: CommandSpec = {
  name: 'status',
  group: 'runs',
  summary: 'the Temporal server, its workers and the running runs; or one run in detail',
  args: ['[id]'],
  details: ['A rollout shows its rings and a row per domain, why domains are held back, and what is waited for (an approval, an operator command).'],
  run: (ctx, input) => (input.positionals[0] ? oneRun(ctx, input.positionals[0]) : overview(ctx)),
};

export const listCommand: CommandSpec = {
  name: 'list',
  group: 'runs',
  summary: 'runs, newest first',
  args: [],
  options: {
    kind: { type: 'string', multiple: true, value: 'KIND', description: `only runs of this kind: ${RUN_KINDS.join(', ')} (comma-separated works too)` },
    spec: { type: 'string', value: 'NAME', description: 'only runs of the spec with this name' },
    running: { type: 'boolean', description: 'only runs still running' },
    limit: { type: 'string', value: 'N', description: 'at most N runs (default 50)' },
  },
  async run(ctx, input) {
    const kinds = listValues(input.strings('kind')).map((kind) => oneOf('kind', kind, RUN_KINDS));
    const { client } = await ctx.attach();
    const runs = await listRuns(client, {
      ...(kinds.length > 0 ? { kinds } : {}),
      ...(input.string('spec') !== undefined ? { spec: input.string('spec') } : {}),
      running: input.flag('running'),
      limit: positiveInteger('limit', input.string('limit'), 50),
    });
    if (ctx.io.json) ctx.io.emit(runs);
    else if (runs.length === 0) ctx.io.out('no runs');
    else ctx.io.out(runsTable(ctx, runs).join('\n'));
    return EXIT.ok;
  },
};

const FORMATS = ['md', 'json', 'html'] as const;

function renderReport(found: RunReport, format: (typeof FORMATS)[number], id: string): string {
  if (format === 'json') return `${JSON.stringify(found.report, null, 2)}\n`;
  switch (found.kind) {
    case 'rollout':
    case 'plan':
      return format === 'md' ? renderMarkdown(found.report) : renderHtml(found.report);
    case 'rotate-keys':
    case 'rollback':
    case 'migrate-intune':
    case 'drift-check':
      if (format === 'html') throw new TriggerError('invalid-input', `HTML reports exist for rollouts and plans; ${id} is a ${found.kind}`, 'use --format md or --format json');
      return found.kind === 'drift-check' ? driftMarkdown(found.report, id) : runbookMarkdown(found.report, id);
  }
}

export const reportCommand: CommandSpec = {
  name: 'report',
  group: 'runs',
  summary: "a run's report (the live progress of a run still running)",
  args: ['<id>'],
  options: {
    format: { type: 'string', value: 'md|json|html', description: 'Markdown (default), JSON (default with --json) or HTML (rollouts and plans)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'write the report to FILE instead of stdout' },
  },
  async run(ctx, input) {
    const id = input.positionals[0];
    const format = choice('format', input.string('format'), FORMATS, ctx.io.json ? 'json' : 'md');
    const { client } = await ctx.attach();
    const found = await runReport(client, id);
    if (found.run.status === 'RUNNING' && !ctx.io.json) ctx.io.err(`${id} is still running: this is its live progress`);
    const text = renderReport(found, format, id);
    const out = input.string('out');
    if (!out) {
      ctx.io.raw(text);
      return EXIT.ok;
    }
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await writeFile(out, text);
    if (ctx.io.json) ctx.io.emit({ file: out, format });
    else ctx.io.out(`wrote ${out}`);
    return EXIT.ok;
  },
};
