import { rolloutResult, startRollout } from '../../client/rollouts';
import type { CommandSpec } from '../command';
import { EXIT } from '../exit-codes';
import { followRolloutLive } from '../live/follow-rollout';
import { rolloutExitCode, rolloutOutcomeLine } from '../outcome';
import { planView } from '../render/plan-view';
import { readSpec } from '../spec-input';
import { warnIfNoWorker } from '../task-queue';

export const planCommand: CommandSpec = {
  name: 'plan',
  group: 'rollouts',
  summary: 'plan a rollout and wait for it: what would change, per domain (nothing is changed)',
  args: ['<spec>'],
  details: [
    'Nothing in the estate is changed. The plan runs as a workflow (cloudtrust-plan:<name>:<digest>) on the worker,',
    'so it needs a running worker. Exits 0 when the plan completed with no failed domain, 1 otherwise; domains held',
    'back by preflight ("not ready") are listed with their reasons and do not change the exit code.',
  ],
  async run(ctx, input) {
    const spec = await readSpec(input.positionals[0]);
    const { client, taskQueue } = await ctx.attach();
    await warnIfNoWorker(ctx.io, client, taskQueue);
    const started = await startRollout(client, spec, 'plan', taskQueue);
    for (const warning of started.warnings) ctx.io.err(`warning: ${warning}`);
    if (!ctx.io.json) ctx.io.err(`${started.started ? 'planning' : 'joined the plan already running as'} ${started.workflowId} …`);
    const report = await rolloutResult(client, started.workflowId);
    if (ctx.io.json) ctx.io.emit(report);
    else ctx.io.out(planView(report, started.workflowId, ctx.io.style).join('\n'));
    return rolloutExitCode(report);
  },
};

export const applyCommand: CommandSpec = {
  name: 'apply',
  group: 'rollouts',
  summary: 'start a rollout, or join the one running for the spec; --follow shows it live',
  args: ['<spec>'],
  options: {
    follow: { type: 'boolean', short: 'f', description: 'follow the rollout until it ends; the exit code is its outcome' },
    force: { type: 'boolean', description: 'start although a domain of the spec was rolled out to another tenant (one AD domain has one Kerberos server object)' },
  },
  details: [
    'The rollout runs as cloudtrust:<name> on the worker: one at a time per spec name. Starting the same spec again',
    'joins the running rollout; a changed spec under the same name is refused (exit 5), and so is a spec with a domain',
    'already rolled out to another tenant, unless --force (a domain has one Kerberos server object, for one tenant).',
    'Following on a terminal redraws a table per domain in place and, when a ring waits for approval, shows the',
    '`cloudtrust approve` command to run from another terminal. Not on a terminal it prints a line per change; with',
    '--json, NDJSON snapshots {event: "progress"} and then {event: "final"} with the report. Ctrl-C stops following,',
    'not the rollout. Exit code when following: 0 completed with no failed domain, 1 halted, cancelled or a domain failed.',
  ],
  async run(ctx, input) {
    const spec = await readSpec(input.positionals[0]);
    const { client, taskQueue } = await ctx.attach();
    await warnIfNoWorker(ctx.io, client, taskQueue);
    const started = await startRollout(client, spec, 'apply', taskQueue, { force: input.flag('force') });
    const id = started.workflowId;
    if (!ctx.io.json) for (const warning of started.warnings) ctx.io.err(`warning: ${warning}`);
    if (!input.flag('follow')) {
      if (ctx.io.json) ctx.io.emit({ id, started: started.started, taskQueue, ...(started.warnings.length > 0 ? { warnings: started.warnings } : {}) });
      else {
        ctx.io.out(`${started.started ? 'started' : 'joined the running'} rollout ${id}`);
        ctx.io.out(`follow it: cloudtrust status ${id}   (or cloudtrust apply ${input.positionals[0]} --follow)`);
      }
      return EXIT.ok;
    }
    if (!ctx.io.json) ctx.io.err(`${started.started ? 'started' : 'joined'} rollout ${id}`);
    const report = await followRolloutLive(ctx.io, client, id);
    if (!ctx.io.json) {
      ctx.io.out(rolloutOutcomeLine(report));
      ctx.io.out(`report: cloudtrust report ${id} --format md`);
    }
    return rolloutExitCode(report);
  },
};
