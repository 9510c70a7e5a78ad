import { keyAgeOf, keyFindings, keyRotationOptions } from '../model/key-rotation';
import type { Finding } from '../model/preflight';
import type { RolloutSpec } from '../model/spec';
import type { RunbookDomain } from './runbook-common';

export interface KeyCheck {
  findings: Finding[];
  /** Writable, reachable DCs: where a new key must replicate. */
  writableServers: string[];
  /** A writable DC to read the source side of the replication check from. */
  sourceServer: string;
  replicationTimeout: string;
  replicationPollInterval: string;
}

/**
 * Before a rotation (read-only): the key as the module reports it, the writable DCs (inventory) and krbtgt_AzureAD's
 * msDS-KeyVersionNumber on each. Sets the domain's keyAge and findings (model/key-rotation.ts keyFindings) and
 * records the step kerberos.key-check. A domain without an object is left to the rotation, which says so.
 */
export async function checkKey(d: RunbookDomain, signIn: { domain: string; cloudCredentialRef: string; domainCredentialRef?: string }, options: RolloutSpec['options']): Promise<KeyCheck> {
  d.entry.step = 'kerberos.key-check';
  const startedAt = new Date().toISOString();
  const { replicationTimeout, replicationPollInterval } = options;
  const { maxKeyAge } = keyRotationOptions(options);
  const inventory = await d.acts.domainReadInventory({ domain: d.domain.name });
  const writable = inventory.result.controllers.filter((dc) => !dc.isReadOnly);
  const writableServers = writable.filter((dc) => dc.reachable).map((dc) => dc.hostName);
  const unreachable = writable.filter((dc) => !dc.reachable).map((dc) => `${dc.hostName} is unreachable: a new key is not checked there`);
  const state = (await d.acts.kerberosReadServer(signIn)).result;
  const sourceServer = writableServers.find((host) => host.toLowerCase() === state.keyUpdatedFrom?.toLowerCase()) ?? writableServers[0] ?? '';
  if (state.id === null || writableServers.length === 0) {
    d.steps.note('kerberos.key-check', { status: 'skipped', detail: state.id === null ? 'no Azure AD Kerberos server object' : 'no reachable writable DC', warnings: unreachable, startedAt });
    return { findings: [], writableServers, sourceServer, replicationTimeout, replicationPollInterval };
  }
  const replicas = (
    await d.acts.kerberosCheckReplication({ domain: d.domain.name, sourceServer, servers: writableServers, domainCredentialRef: d.domain.domainCredential?.secret })
  ).result.replicas;
  const age = keyAgeOf(state.keyUpdatedOn, Date.now(), maxKeyAge);
  const findings = keyFindings({ domain: d.domain.name, keyVersion: state.keyVersion, cloudKeyVersion: state.cloudKeyVersion, keyUpdatedOn: state.keyUpdatedOn, replicas }, age);
  if (age) d.entry.keyAge = age;
  d.entry.findings = findings;
  const versions = replicas.map((r) => `${r.server} ${r.keyVersion ?? (r.error ? 'unreachable' : 'none')}`).join(', ');
  d.steps.note('kerberos.key-check', {
    status: 'ok',
    detail: `key version ${state.keyVersion} (cloud ${state.cloudKeyVersion})${age ? `, updated ${age.keyUpdatedOn}, ${age.age} old` : ''}; on the writable DCs: ${versions}`,
    warnings: [...unreachable, ...findings.filter((f) => f.severity !== 'info').map((f) => f.message)],
    startedAt,
  });
  return { findings, writableServers, sourceServer, replicationTimeout, replicationPollInterval };
}
