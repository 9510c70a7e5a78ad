import type { DomainReport } from '../model/report-types';
import type { RingSpec, RolloutSpec } from '../model/spec';
import type { DomainReadiness } from '../model/user-readiness';
import { stepActivities } from './activity-options';
import { boundedAll } from './bounded';
import { describeFailure } from './domain-steps';

/**
 * Before a ring's changes (and before its approval gate, so the approver sees it): per domain of the ring, the
 * AzureADKerberos password replication policy and the users of the ring's userGroups who cannot use cloud trust.
 * Each problem becomes a finding of the domain: a warning, or a blocker when the ring's userReadiness is block.
 * Returns whether a blocker was found. Read-only: plan mode runs it the same way.
 */
export async function checkRingReadiness(spec: Pick<RolloutSpec, 'tenant' | 'domains'>, ring: RingSpec, entries: DomainReport[]): Promise<{ readiness: DomainReadiness[]; blocked: boolean }> {
  const userGroups = ring.userGroups ?? [];
  const severity = ring.userReadiness === 'block' ? 'blocker' : 'warning';
  const graph = spec.tenant.graph;
  const results = await boundedAll(entries, ring.concurrency, async (entry): Promise<DomainReadiness> => {
    const acts = stepActivities(entry.taskQueue);
    const domainCredentialRef = spec.domains.find((d) => d.name.toLowerCase() === entry.domain.toLowerCase())?.domainCredential?.secret;
    const readiness: DomainReadiness = { domain: entry.domain, groups: [], totalUsers: 0, checked: 0, ready: 0, failingCount: 0, failing: [], entraChecked: false };
    try {
      const policy = (await acts.kerberosReadReplicationPolicy({ domain: entry.domain, userGroups, domainCredentialRef })).result;
      readiness.policy = { present: policy.present, allowed: policy.allowed.map((p) => p.name), denied: policy.denied.map((p) => p.name) };
      const checked = (
        await acts.usersCheckReadiness({
          domain: entry.domain,
          userGroups,
          allowedSids: policy.allowed.map((p) => p.sid),
          deniedSids: policy.denied.map((p) => p.sid),
          deniedNames: policy.denied.map((p) => p.name),
          domainCredentialRef,
          ...(graph
            ? { graph: { tenantId: spec.tenant.id, clientId: graph.clientId, certificateThumbprint: graph.certificateThumbprint, ...(graph.environment ? { environment: graph.environment } : {}) } }
            : {}),
        })
      ).result;
      readiness.groups = checked.groups.map((g) => {
        const prp = policy.groups.find((p) => p.name === g.name);
        return { ...g, deniedVia: prp?.deniedVia ?? null, deniedUsers: prp?.deniedUsers ?? 0 };
      });
      Object.assign(readiness, {
        totalUsers: checked.totalUsers,
        checked: checked.checked,
        ready: checked.ready,
        failingCount: checked.failingCount,
        failing: checked.failing,
        entraChecked: checked.entraChecked,
      });
      if (!policy.present) entry.findings.push({ severity: 'warning', code: 'replication-policy-default', message: `ring ${ring.name}: the AzureADKerberos object does not exist yet: users were checked against the default password replication policy it will get` });
    } catch (error) {
      const failure = describeFailure(error);
      readiness.error = `${failure.type}: ${failure.message}`;
      entry.findings.push({ severity: 'warning', code: 'user-readiness-failed', message: `ring ${ring.name}: user readiness could not be checked: ${readiness.error}` });
      return readiness;
    }
    for (const group of readiness.groups) {
      if (!group.found) entry.findings.push({ severity: 'warning', code: 'user-group-not-found', message: `ring ${ring.name}: user group ${group.name} does not exist in ${entry.domain}`, target: group.name });
      else if (group.deniedVia) entry.findings.push({ severity, code: 'user-group-denied', message: `ring ${ring.name}: user group ${group.name} is denied by the AzureADKerberos password replication policy (${group.deniedVia}): its ${group.users} users cannot use cloud Kerberos trust`, target: group.name });
    }
    if (readiness.failingCount > 0) {
      const bounded = readiness.checked < readiness.totalUsers ? ` (${readiness.checked} of ${readiness.totalUsers} checked)` : '';
      entry.findings.push({ severity, code: 'users-not-ready', message: `ring ${ring.name}: ${readiness.failingCount} of ${readiness.checked} users of ${userGroups.join(', ')} cannot use cloud Kerberos trust yet${bounded}; the ring's readiness section lists them` });
    }
    if (!readiness.entraChecked) entry.findings.push({ severity: 'info', code: 'entra-attributes-not-checked', message: `ring ${ring.name}: Entra attributes not checked (the spec has no tenant.graph)` });
    return readiness;
  });
  const blocked = entries.some((e) => e.findings.some((f) => f.severity === 'blocker' && (f.code === 'users-not-ready' || f.code === 'user-group-denied')));
  return { readiness: results, blocked };
}
