import { ApplicationFailure, patched } from '@temporalio/workflow';
import { graphEnvironment } from '../model/cloud';
import { isCloudKerberosTrust } from '../model/client-assessment';
import { intuneDeliveryOf } from '../model/intune-delivery';
import type { Finding } from '../model/preflight';
import type { RolloutReport } from '../model/report-types';
import type { RolloutSpec } from '../model/spec';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import type { DomainRolloutInput } from './domain';
import { describeFailure, type StepRecorder } from './domain-steps';
import { applyCatalogPolicy, verifyCatalogPolicy } from './policy-catalog';

type Acts = ReturnType<typeof stepActivities>;

const CHARACTER_RULE = { allow: 0, require: 1, disallow: 2 } as const;

export function graphOf(input: Pick<DomainRolloutInput, 'tenant'>) {
  const graph = input.tenant.graph;
  if (!graph) throw ApplicationFailure.nonRetryable('the intune channel needs tenant.graph in the spec', 'InvalidSpec');
  return graphConnection(input.tenant, graph);
}

/**
 * The Graph sign-in of the steps; the environment only when the spec names one or a cloud that implies one
 * (model/cloud.ts), so earlier histories replay unchanged.
 */
function graphConnection(tenant: RolloutSpec['tenant'], graph: NonNullable<RolloutSpec['tenant']['graph']>) {
  const environment = graphEnvironment(tenant);
  return { tenantId: tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(environment ? { environment } : {}) };
}

export const WHFB_ENABLED_BY = {
  profile: 'WHfB enabled by policy (UsePassportForWork in the profile)',
  enrollmentConfiguration: 'WHfB enabled by the enrollment configuration (tenant-wide Windows Hello for Business: enabled)',
} as const;

/** The policy, through the domain's channel: Group Policy (GPO, security filtering, links) or Intune (group, profile, assignment). */
export async function applyPolicyChannel(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void> {
  const planOnly = input.mode === 'plan';
  const pin = input.options.pinComplexity;
  const rule = (value?: keyof typeof CHARACTER_RULE) => (value === undefined ? undefined : CHARACTER_RULE[value]);
  if (input.domain.channel === 'gpo') {
    const gpo = input.domain.gpo!;
    const target = { domain: input.domain.name, gpoName: gpo.name };
    await steps.run('gpo-policy', () =>
      acts.ensureGpoPolicy({
        ...target,
        requireSecurityDevice: input.options.requireSecurityDevice,
        pinComplexity: pin && {
          minimumPinLength: pin.minimumLength,
          maximumPinLength: pin.maximumLength,
          uppercaseLetters: rule(pin.uppercaseLetters),
          lowercaseLetters: rule(pin.lowercaseLetters),
          specialCharacters: rule(pin.specialCharacters),
          digits: rule(pin.digits),
          history: pin.history,
          expiration: pin.expirationDays,
        },
        planOnly,
      }),
    );
    const links = () => steps.run('gpo-links', () => acts.ensureGpoLinks({ ...target, targets: gpo.targets, planOnly }));
    const filtering = () => steps.run('gpo-filtering', () => acts.ensureGpoFiltering({ ...target, groupName: gpo.computerGroup, planOnly }));
    // A new GPO is linked nowhere and grants Authenticated Users GpoApply: filtered first, then linked, no state of
    // the rollout (a failed or crashed one included) applies it to every computer under the targets.
    if (patched('gpo-filter-before-link')) {
      await filtering();
      await links();
    } else {
      await links();
      await filtering();
    }
    return;
  }
  const intune = input.domain.intune!;
  const graph = graphOf(input);
  if (intuneDeliveryOf(intune) === 'settings-catalog') {
    await applyCatalogPolicy(acts, input, steps);
    return;
  }
  const group = await steps.run('intune-group', () => acts.ensureIntuneGroup({ ...graph, displayName: intune.group, planOnly }));
  const profile = await steps.run('intune-profile', () =>
    acts.ensureIntuneProfile({
      ...graph,
      displayName: intune.profile,
      requireSecurityDevice: input.options.requireSecurityDevice,
      pinMinimumLength: pin?.minimumLength,
      pinMaximumLength: pin?.maximumLength,
      pinDigits: rule(pin?.digits),
      pinLowercaseLetters: rule(pin?.lowercaseLetters),
      pinUppercaseLetters: rule(pin?.uppercaseLetters),
      pinSpecialCharacters: rule(pin?.specialCharacters),
      pinHistory: pin?.history,
      pinExpiration: pin?.expirationDays,
      planOnly,
    }),
  );
  // Results recorded before the step reported it (replayed histories) carry no whfb.
  const enabledBy = (profile.result as { whfb?: typeof profile.result.whfb }).whfb?.enabledBy;
  if (enabledBy) steps.lastRecord()!.detail = WHFB_ENABLED_BY[enabledBy];
  const groupId = group.result.after?.id;
  if (!groupId) {
    steps.note('intune-assignment', { status: 'skipped', changes: [`assign ${intune.profile} to ${intune.group} once the group exists`] });
    return;
  }
  await steps.run('intune-assignment', () => acts.ensureIntuneAssignment({ ...graph, profileDisplayName: intune.profile, groupId, planOnly }));
}

/** Reads the policy back through the same channel, then samples the named devices. Skipped in plan mode. */
export async function verifyPolicyChannel(acts: Acts, input: DomainRolloutInput, steps: StepRecorder): Promise<void> {
  if (input.mode === 'plan') return;
  const problems: string[] = [];
  if (input.domain.channel === 'gpo') {
    const gpo = input.domain.gpo!;
    const scan = await steps.run('verify-policy', () => acts.scanGpoPassport({ domain: input.domain.name }));
    const ours = scan.result.gpos.find((g) => g.displayName.toLowerCase() === gpo.name.toLowerCase());
    const value = (name: string) => ours?.values.find((v) => v.scope === 'Computer' && v.valueName === name && v.policyState === 'Set')?.value;
    if (!ours) problems.push(`GPO ${gpo.name} carries no PassportForWork settings`);
    else {
      if (Number(value('Enabled')) !== 1) problems.push(`GPO ${gpo.name}: Enabled is not 1`);
      if (Number(value('UseCloudTrustForOnPremAuth')) !== 1) problems.push(`GPO ${gpo.name}: UseCloudTrustForOnPremAuth is not 1`);
      for (const targetDn of gpo.targets) {
        if (!ours.links.some((l) => l.target.toLowerCase() === targetDn.toLowerCase() && l.enabled)) problems.push(`GPO ${gpo.name} is not linked (enabled) to ${targetDn}`);
      }
    }
    for (const conflict of scan.result.certificateTrustGpos) problems.push(`GPO ${conflict.displayName} sets UseCertificateForOnPremAuth: certificate trust takes precedence`);
  } else if (intuneDeliveryOf(input.domain.intune) === 'settings-catalog') {
    problems.push(...(await verifyCatalogPolicy(acts, input, steps)));
  } else {
    const intune = input.domain.intune!;
    const scan = await steps.run('verify-policy', () => acts.scanIntunePassport(graphOf(input)));
    const profile = scan.result.profiles.find((p) => p.displayName.toLowerCase() === intune.profile.toLowerCase());
    if (!profile) problems.push(`profile ${intune.profile} not found`);
    else {
      if (!profile.usesCloudTrust) problems.push(`profile ${intune.profile} does not set UseCloudTrustForOnPremAuth`);
      if (profile.usePassportForWork === false) problems.push(`profile ${intune.profile} sets UsePassportForWork to false`);
      if (!profile.assignments.some((a) => a.targetType === 'group' && a.groupId)) problems.push(`profile ${intune.profile} is not assigned to a group`);
    }
    for (const conflict of scan.result.conflicts) problems.push(`profile ${conflict.displayName}: ${conflict.reason}`);
  }
  if (problems.length > 0) {
    const last = steps.lastRecord();
    if (last) Object.assign(last, { status: 'failed', error: { type: 'VerificationFailed', message: problems.join('; ') } });
    throw ApplicationFailure.nonRetryable(problems.join('; '), 'VerificationFailed');
  }
  if (input.domain.sampleDevices.length > 0) {
    // Histories from before user-context collection sampled over remoting, with no collect in the input.
    const collect = patched('client-user-context') ? (input.domain.clientVerification?.collect ?? 'user-session-task') : undefined;
    if (collect === 'remediation-output') {
      steps.note('client-sample', { status: 'skipped', changes: [`collected by the Intune remediation Get-WhfbUserState.ps1: import its exported output with cloudtrust clients import <file> --spec <spec>`] });
      return;
    }
    const sample = await steps.run('client-sample', () =>
      acts.sampleClients({ computerName: input.domain.sampleDevices, tenantId: input.tenant.id, ...(collect === undefined ? {} : { collect }) }),
    );
    const record = steps.lastRecord()!;
    const tally = new Map<string, number>();
    for (const device of sample.result.devices) {
      tally.set(device.assessment, (tally.get(device.assessment) ?? 0) + 1);
      if (!isCloudKerberosTrust(device.assessment)) record.warnings.push(`${device.name}: ${device.assessment} — ${device.reasons.join('; ')}`);
    }
    record.detail = [...tally].map(([assessment, count]) => `${count} ${assessment}`).join(', ');
    const devices = sample.result.devices.map((d) => ({ name: d.name, assessment: d.assessment, reasons: d.reasons, describes: d.describes ?? 'the sampling session' }));
    if (devices.length > 0) record.clients = devices;
  }
}

/**
 * Conflicts the guide says to look for before anything changes: UseCertificateForOnPremAuth in any GPO or Intune
 * profile (certificate trust wins), cloud trust set in user scope, and WHfB settings in both channels for the same
 * devices (GPO wins; the Intune setting is ignored). Adds findings to the domains and returns tenant-wide ones.
 */
export async function scanPolicyConflicts(spec: RolloutSpec, report: RolloutReport, defaultQueue: string): Promise<Finding[]> {
  const tenantFindings: Finding[] = [];
  let intuneWhfbEverywhere = false;
  let intuneGroups: string[] = [];
  if (spec.tenant.graph) {
    try {
      const acts = stepActivities(spec.routing.default ?? defaultQueue);
      const graph = graphConnection(spec.tenant, spec.tenant.graph);
      if (spec.domains.some((d) => d.channel === 'intune')) {
        const tenant = await acts.readIntuneTenant(graph);
        if (!tenant.result.intune.usable) {
          tenantFindings.push({ severity: 'blocker', code: 'intune-not-licensed', message: `tenant ${tenant.result.displayName} has no active Intune licence: device configuration profiles cannot be used` });
        }
      }
      const scan = await acts.scanIntunePassport(graph);
      intuneWhfbEverywhere = scan.result.assignedToAll;
      intuneGroups = scan.result.assignedGroupIds;
      for (const conflict of scan.result.conflicts) {
        const code = conflict.kind === 'whfbBlocked' ? 'intune-whfb-blocked' : 'intune-certificate-trust';
        tenantFindings.push({ severity: 'blocker', code, target: conflict.displayName, message: `Intune profile ${conflict.displayName} (${conflict.omaUri}): ${conflict.reason}` });
      }
    } catch (error) {
      const failure = describeFailure(error);
      tenantFindings.push({ severity: 'warning', code: 'intune-scan-failed', message: `Intune could not be scanned for conflicts: ${failure.message}` });
    }
  }
  await boundedAll(report.domains, spec.options.preflightConcurrency, async (entry) => {
    if (entry.status === 'not-ready') return;
    const acts = stepActivities(entry.taskQueue);
    try {
      const scan = await acts.scanGpoPassport({ domain: entry.domain });
      for (const gpo of scan.result.certificateTrustGpos) {
        entry.findings.push({ severity: 'blocker', code: 'gpo-certificate-trust', target: gpo.displayName, message: `GPO ${gpo.displayName} sets UseCertificateForOnPremAuth: certificate trust takes precedence over cloud trust` });
      }
      for (const gpo of scan.result.userScopeCloudTrustGpos) {
        entry.findings.push({ severity: 'warning', code: 'gpo-user-scope-cloud-trust', target: gpo.displayName, message: `GPO ${gpo.displayName} sets cloud trust in user scope, where no such policy exists` });
      }
      const ourGpo = spec.domains.find((d) => d.name === entry.domain)?.gpo?.name.toLowerCase();
      const otherWhfb = scan.result.whfbGpos.filter((g) => g.displayName.toLowerCase() !== ourGpo);
      if (entry.channel === 'intune' && otherWhfb.length > 0) {
        entry.findings.push({ severity: 'blocker', code: 'both-channels', message: `GPOs ${otherWhfb.map((g) => g.displayName).join(', ')} carry WHfB settings: with Group Policy present the Intune settings are ignored` });
      }
      if (entry.channel === 'gpo' && (intuneWhfbEverywhere || intuneGroups.length > 0)) {
        entry.findings.push({ severity: 'warning', code: 'both-channels', message: `Intune also assigns WHfB settings (${intuneWhfbEverywhere ? 'to all devices' : `to ${intuneGroups.length} groups`}); on devices that get both, Group Policy wins` });
      }
    } catch (error) {
      const failure = describeFailure(error);
      entry.findings.push({ severity: 'blocker', code: 'gpo-scan-failed', message: `Group Policy could not be scanned for conflicts: ${failure.message}` });
    }
  });
  if (tenantFindings.some((f) => f.severity === 'blocker')) {
    for (const entry of report.domains) {
      if (entry.channel === 'intune') entry.findings.push(...tenantFindings.filter((f) => f.severity === 'blocker'));
    }
  }
  return tenantFindings;
}
