import type { LabEstate } from '../../lab/estate/schema';
import { type Style } from '../style';
import { table } from './table';

/** What `lab show` reports of the estate: the parts a rollout reads and changes, and what it changed. */
export function labSummary(estate: LabEstate, file: string) {
  const outcomes: Record<string, number> = {};
  for (const device of estate.devices) outcomes[device.outcome] = (outcomes[device.outcome] ?? 0) + 1;
  return {
    file,
    name: estate.name,
    tenant: {
      id: estate.tenant.id,
      displayName: estate.tenant.displayName,
      verifiedDomains: estate.tenant.verifiedDomains,
      intuneLicensed: estate.tenant.intuneLicensed,
      admins: estate.tenant.admins.map((a) => ({ userPrincipalName: a.userPrincipalName, mfaEnforced: a.mfaEnforced, entraRoles: a.entraRoles, adGroups: a.adGroups })),
      groups: estate.tenant.groups.map((g) => ({ displayName: g.displayName, members: g.members.length })),
      deviceConfigurations: estate.tenant.deviceConfigurations.map((c) => ({ displayName: c.displayName, settings: c.omaSettings.length, assignments: c.assignments.length })),
    },
    managementHost: {
      hostName: estate.managementHost.hostName,
      modules: estate.managementHost.modules,
      elevated: estate.managementHost.elevated,
      psGalleryReachable: estate.managementHost.psGalleryReachable,
      tls12ByDefault: estate.managementHost.tls12ByDefault,
    },
    forests: estate.forests.map((forest) => ({
      name: forest.name,
      sites: forest.sites,
      domains: forest.domains.map((d) => ({
        dnsName: d.dnsName,
        netBiosName: d.netBiosName,
        controllers: d.controllers.map((c) => ({ hostName: c.hostName, site: c.site, operatingSystem: c.operatingSystem, build: `${c.currentBuild}.${c.ubr}`, readOnly: c.isReadOnly, reachable: c.reachable })),
        kerberosServer: {
          ad: d.kerberosServer.ad && { keyVersion: d.kerberosServer.ad.keyVersion, keyUpdatedOn: d.kerberosServer.ad.keyUpdatedOn, previousKeyVersion: d.kerberosServer.ad.previousKeyVersion },
          cloud: d.kerberosServer.cloud && { keyVersion: d.kerberosServer.cloud.keyVersion, keyUpdatedOn: d.kerberosServer.cloud.keyUpdatedOn },
          replicationDelaySeconds: d.kerberosServer.replicationDelaySeconds,
        },
        gpos: d.gpos.map((g) => ({
          displayName: g.displayName,
          status: g.status,
          values: g.registryValues.length,
          links: g.links.map((l) => l.target),
          appliesTo: g.permissions.filter((p) => p.permission === 'GpoApply').map((p) => p.trustee),
        })),
      })),
    })),
    devices: { total: estate.devices.length, byOutcome: outcomes },
    faults: estate.faults,
    latencyMs: estate.latencyMs,
    mutations: estate.mutations,
  };
}

export type LabSummary = ReturnType<typeof labSummary>;

export function labView(summary: LabSummary, style: Style): string[] {
  const lines = [
    `lab estate ${style.bold(summary.name)} ${style.dim(summary.file)}`,
    `tenant ${summary.tenant.displayName} (${summary.tenant.id}) · verified ${summary.tenant.verifiedDomains.join(', ')} · Intune ${summary.tenant.intuneLicensed ? 'licensed' : 'not licensed'}`,
    ...summary.tenant.admins.map((a) => `  admin ${a.userPrincipalName}${a.mfaEnforced ? ' (MFA)' : ''}${[...a.entraRoles, ...a.adGroups].length ? `: ${[...a.entraRoles, ...a.adGroups].join(', ')}` : ''}`),
    ...summary.tenant.deviceConfigurations.map((c) => `  Intune profile "${c.displayName}": ${c.settings} settings, ${c.assignments} assignments`),
    `management host ${summary.managementHost.hostName} · modules: ${summary.managementHost.modules.map((m) => `${m.name} ${m.version}`).join(', ') || 'none'}`,
  ];
  for (const forest of summary.forests) {
    lines.push('', `forest ${style.bold(forest.name)} · sites ${forest.sites.join(', ')}`);
    for (const d of forest.domains) {
      const { ad, cloud } = d.kerberosServer;
      const kerberos = ad || cloud ? `AD key v${ad?.keyVersion ?? '—'}, cloud key v${cloud?.keyVersion ?? '—'}${ad ? ` (updated ${ad.keyUpdatedOn})` : ''}` : style.dim('not created');
      lines.push(`  domain ${style.bold(d.dnsName)} (${d.netBiosName}) · Kerberos server object: ${kerberos}`);
      lines.push(
        ...table(
          ['    DC', 'SITE', 'BUILD', 'OS', 'NOTES'],
          d.controllers.map((c) => [`    ${c.hostName}`, c.site, c.build, c.operatingSystem, [c.readOnly ? 'read-only' : '', c.reachable ? '' : style.red('unreachable')].filter(Boolean).join(', ')]),
          style,
        ),
      );
      for (const g of d.gpos) lines.push(`    GPO "${g.displayName}" · ${g.values} values · linked to ${g.links.join('; ') || 'nothing'}${g.appliesTo.length ? ` · applies to ${g.appliesTo.join(', ')}` : ''}`);
    }
  }
  const outcomes = Object.entries(summary.devices.byOutcome).map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  lines.push('', `devices: ${summary.devices.total}${outcomes ? ` (${outcomes})` : ''}`);
  lines.push(`faults: ${summary.faults.length === 0 ? 'none' : summary.faults.map((f) => `${f.command}${f.target ? `@${f.target}` : ''} ${f.mode}`).join(', ')}${summary.latencyMs ? ` · latency ${summary.latencyMs} ms per call` : ''}`);
  const mutations = Object.entries(summary.mutations);
  lines.push(`changes applied: ${mutations.length === 0 ? 'none' : ''}`);
  for (const [key, count] of mutations) lines.push(`  ${key} ×${count}`);
  return lines;
}
