import { TriggerError } from '../../client/errors';
import type { Client } from '@temporalio/client';
import { startDriftCheck, startMigrateIntune, startRollback, startRotateKeys } from '../../client/runbooks';
import type { RunbookReport } from '../../model/report-types';
import type { RolloutSpec } from '../../model/spec';
import type { CommandInput, CommandSpec } from '../command';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { followRunbookLive } from '../live/follow-runbook';
import { listValues } from '../options';
import { driftView, runbookSucceeded, runbookView } from '../render/runbook-view';
import { readSpec } from '../spec-input';
import { warnIfNoWorker } from '../task-queue';
import { UsageError } from '../usage-error';

/** The named domains as the spec spells them; a name the spec does not declare is invalid input. */
function declaredDomains(spec: RolloutSpec, names: string[]): string[] {
  const unknown = names.filter((name) => !spec.domains.some((d) => d.name.toLowerCase() === name.toLowerCase()));
  if (unknown.length > 0) {
    throw new TriggerError('invalid-input', `not declared in spec ${spec.name}: ${unknown.join(', ')}`, `its domains: ${spec.domains.map((d) => d.name).join(', ')}`);
  }
  return names.map((name) => spec.domains.find((d) => d.name.toLowerCase() === name.toLowerCase())!.name);
}

/** Starts a runbook, then returns at once, waits for a plan, or follows it; the exit code is its outcome once it has ended. */
async function runRunbook(
  ctx: CliContext,
  input: CommandInput,
  mode: 'plan' | 'apply',
  what: string,
  start: (client: Client, taskQueue: string) => Promise<{ workflowId: string; result(): Promise<RunbookReport> }>,
): Promise<number> {
  const { client, taskQueue } = await ctx.attach();
  await warnIfNoWorker(ctx.io, client, taskQueue);
  const handle = await start(client, taskQueue);
  const id = handle.workflowId;
  if (!input.flag('follow') && mode === 'apply') {
    if (ctx.io.json) ctx.io.emit({ id, started: true, taskQueue });
    else ctx.io.out(`started ${what} ${id}\nfollow it: cloudtrust status ${id}`);
    return EXIT.ok;
  }
  if (!ctx.io.json) ctx.io.err(`started ${mode === 'plan' ? `a ${what} plan` : what} ${id}`);
  const report = input.flag('follow') ? await followRunbookLive(ctx.io, client, id) : await handle.result();
  if (ctx.io.json) {
    if (!input.flag('follow')) ctx.io.emit(report);
  } else {
    ctx.io.out(runbookView(report, id, ctx.io.style, { full: true }).join('\n'));
  }
  return runbookSucceeded(report) ? EXIT.ok : EXIT.endedBadly;
}

export const rotateKeysCommand: CommandSpec = {
  name: 'rotate-keys',
  group: 'runbooks',
  summary: "rotate the Azure AD Kerberos server keys of a spec's domains",
  args: ['<spec>'],
  options: {
    domain: { type: 'string', multiple: true, value: 'DOMAIN', description: 'only this domain (comma-separated works too)' },
    force: { type: 'boolean', description: 'rotate even when a key was updated less than 24 hours ago or was reset outside the module' },
    double: { type: 'boolean', description: 'rotate twice to retire the old key too: rotate, wait for every writable DC, cool down, rotate again' },
    plan: { type: 'boolean', description: 'report what would rotate, change nothing, and wait for the answer' },
    follow: { type: 'boolean', short: 'f', description: 'follow the rotation until it ends; the exit code is its outcome' },
  },
  details: [
    'One rotation per spec at a time (cloudtrust-rotate:<name>; a plan adds :plan). A domain whose admin is',
    'MFA-protected gets the exact command to run by hand. Exit code once it has ended: 0 when no domain failed or',
    'still needs an operator, 1 otherwise. After each rotation every writable DC must hold the new key version',
    '(options.replicationTimeout). --double waits options.keyRotation.maxTicketLifetime (default 10h) between the',
    'rotations, and never less than 24 hours unless --force.',
  ],
  async run(ctx, input) {
    const spec = await readSpec(input.positionals[0]);
    const domains = listValues(input.strings('domain'));
    const mode = input.flag('plan') ? 'plan' : 'apply';
    const request = { spec, mode, force: input.flag('force'), double: input.flag('double'), ...(domains.length > 0 ? { domains: declaredDomains(spec, domains) } : {}) } as const;
    return runRunbook(ctx, input, mode, 'key rotation', (client, taskQueue) => startRotateKeys(client, request, taskQueue));
  },
};

export const rollbackCommand: CommandSpec = {
  name: 'rollback',
  group: 'runbooks',
  summary: "roll a spec's domains back: the policy first, the Kerberos object only when asked twice",
  args: ['<spec>'],
  options: {
    policy: { type: 'string', value: 'unlink|disable', description: 'GPO channel: unlink the GPO from its targets, or disable WHfB in it (required); Intune: the assignment is removed either way' },
    domain: { type: 'string', multiple: true, value: 'DOMAIN', description: 'only this domain (comma-separated works too)' },
    'remove-kerberos-object': { type: 'boolean', description: 'also remove the Azure AD Kerberos server object (needs --confirm-removal)' },
    'confirm-removal': { type: 'boolean', description: 'confirms --remove-kerberos-object: cloud Kerberos trust and FIDO2 sign-in on premises end for the domain' },
    plan: { type: 'boolean', description: 'report what would change, change nothing, and wait for the answer' },
    follow: { type: 'boolean', short: 'f', description: 'follow the rollback until it ends; the exit code is its outcome' },
  },
  details: [
    'One rollback per spec at a time (cloudtrust-rollback:<name>; a plan adds :plan). GPOs and custom Intune profiles',
    'are never deleted; a settings-catalog policy left with no assignment is. A domain whose policy step fails keeps',
    'its Kerberos object. Try it with --plan first.',
  ],
  async run(ctx, input) {
    const policy = input.string('policy');
    if (policy !== 'unlink' && policy !== 'disable') throw new UsageError('rollback needs --policy unlink (remove the GPO links) or --policy disable (set Enabled = 0 in the GPO, keep its links)', 'rollback');
    if (input.flag('remove-kerberos-object') && !input.flag('confirm-removal')) {
      throw new UsageError('--remove-kerberos-object needs --confirm-removal: removing the Azure AD Kerberos server object ends cloud Kerberos trust for the domain', 'rollback');
    }
    const spec = await readSpec(input.positionals[0]);
    const domains = listValues(input.strings('domain'));
    const mode = input.flag('plan') ? 'plan' : 'apply';
    const request = {
      spec,
      mode,
      policy,
      removeKerberosObject: input.flag('remove-kerberos-object'),
      confirmRemoval: input.flag('confirm-removal'),
      ...(domains.length > 0 ? { domains: declaredDomains(spec, domains) } : {}),
    } as const;
    return runRunbook(ctx, input, mode, 'rollback', (client, taskQueue) => startRollback(client, request, taskQueue));
  },
};

export const migrateIntuneCommand: CommandSpec = {
  name: 'migrate-intune',
  group: 'runbooks',
  summary: "move intune domains from the custom OMA-URI profile to the settings-catalog policy, without a gap",
  args: ['<spec>'],
  options: {
    domain: { type: 'string', multiple: true, value: 'DOMAIN', description: 'only this domain (comma-separated works too)' },
    plan: { type: 'boolean', description: 'report what would change, change nothing, and wait for the answer' },
    follow: { type: 'boolean', short: 'f', description: 'follow the migration until it ends; the exit code is its outcome' },
  },
  details: [
    'Creates and assigns the settings-catalog policy, reads it back, and only then unassigns the group from the',
    'custom profile (deleted once nothing else is assigned to it): the group always receives one of the two.',
    'Re-run a failed migration: every step is idempotent. One per spec at a time (cloudtrust-migrate-intune:<name>;',
    'a plan adds :plan). The spec must not say intune.delivery: custom-profile.',
  ],
  async run(ctx, input) {
    const spec = await readSpec(input.positionals[0]);
    const domains = listValues(input.strings('domain'));
    const mode = input.flag('plan') ? 'plan' : 'apply';
    const request = { spec, mode, ...(domains.length > 0 ? { domains: declaredDomains(spec, domains) } : {}) } as const;
    return runRunbook(ctx, input, mode, 'Intune migration', (client, taskQueue) => startMigrateIntune(client, request, taskQueue));
  },
};

export const driftCheckCommand: CommandSpec = {
  name: 'drift-check',
  group: 'runbooks',
  summary: 'plan the spec against the estate now: any change it would make is drift',
  args: ['<spec>'],
  options: { 'no-wait': { type: 'boolean', description: 'start it and return; read it later with `cloudtrust report <id>`' } },
  details: ['Nothing is changed. Joins a check of the same spec already running. Exits 0 in sync, 1 on drift or when a domain could not be checked.'],
  async run(ctx, input) {
    const spec = await readSpec(input.positionals[0]);
    const { client, taskQueue } = await ctx.attach();
    await warnIfNoWorker(ctx.io, client, taskQueue);
    const handle = await startDriftCheck(client, spec, taskQueue);
    const id = handle.workflowId;
    if (input.flag('no-wait')) {
      if (ctx.io.json) ctx.io.emit({ id, started: true, taskQueue });
      else ctx.io.out(`started drift check ${id}\nits report, once done: cloudtrust report ${id}`);
      return EXIT.ok;
    }
    if (!ctx.io.json) ctx.io.err(`checking ${spec.name} for drift (${id}) …`);
    const report = await handle.result();
    if (ctx.io.json) ctx.io.emit(report);
    else ctx.io.out(driftView(report, id, ctx.io.style).join('\n'));
    return report.verdict === 'in-sync' ? EXIT.ok : EXIT.endedBadly;
  },
};
