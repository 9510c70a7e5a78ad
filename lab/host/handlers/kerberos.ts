import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LabDomain } from '../../estate/schema';
import { recordMutation } from '../../estate/store';
import { bindParameters } from '../bind';
import { findDomain } from '../estate-lookup';
import { LabError, type StepHandler } from '../handler';
import { labCredential } from './credential';
import { insufficientAccessRights, signInToDomain, signInToEntra } from './kerberos-sign-in';
import { DNS_NAME_PATTERN } from '../../../model/names';

const dnsName = z.string().regex(DNS_NAME_PATTERN);
const signInParameters = { Domain: dnsName, CloudCredential: labCredential, DomainCredential: labCredential.optional() };
const ROTATION_JUMP = 20349;
const DAY_MS = 24 * 60 * 60 * 1000;

function serverState(domain: LabDomain) {
  const { ad, cloud } = domain.kerberosServer;
  return {
    id: ad ? String(ad.id) : null,
    userAccount: ad?.userAccount ?? null,
    computerAccount: ad?.computerAccount ?? null,
    displayName: ad ? `krbtgt_${ad.id}` : null,
    domainDnsName: ad ? domain.dnsName : null,
    keyVersion: ad ? String(ad.keyVersion) : null,
    keyUpdatedOn: ad?.keyUpdatedOn ?? null,
    keyUpdatedFrom: ad?.keyUpdatedFrom ?? null,
    cloudId: cloud ? String(cloud.id) : null,
    cloudDisplayName: cloud?.displayName ?? null,
    cloudDomainDnsName: cloud?.domainDnsName ?? null,
    cloudKeyVersion: cloud ? String(cloud.keyVersion) : null,
    cloudKeyUpdatedOn: cloud?.keyUpdatedOn ?? null,
    cloudTrustDisplay: null,
  };
}

function summary(domain: LabDomain) {
  const s = serverState(domain);
  const configured = s.id !== null;
  const problems: string[] = [];
  if (configured) {
    if (s.id !== s.cloudId) problems.push(`Id ${s.id} differs from CloudId ${s.cloudId ?? ''}`);
    if (s.keyVersion !== s.cloudKeyVersion) problems.push(`KeyVersion ${s.keyVersion} differs from CloudKeyVersion ${s.cloudKeyVersion ?? ''}`);
    if (s.domainDnsName !== s.cloudDomainDnsName) problems.push(`DomainDnsName ${s.domainDnsName} differs from CloudDomainDnsName ${s.cloudDomainDnsName ?? ''}`);
  }
  return { configured, consistent: configured && problems.length === 0, problems, id: s.id ?? '', keyVersion: s.keyVersion ?? '', cloudKeyVersion: s.cloudKeyVersion ?? '' };
}

function writableSource(domain: LabDomain): string {
  const dc = domain.controllers.find((c) => !c.isReadOnly && c.reachable);
  if (!dc) throw new LabError(`No writable domain controller of ${domain.dnsName} could be contacted.`, 'ResourceUnavailable', 'ActiveDirectoryServer:8250', domain.dnsName);
  return dc.hostName;
}

/** What Set-AzureADKerberosServer leaves behind: both halves written with a new key on one writable DC. */
function writeKey(domain: LabDomain, now: Date, keyVersion: number): void {
  const current = domain.kerberosServer;
  const id = current.ad?.id ?? (parseInt(createHash('sha256').update(domain.dnsName).digest('hex').slice(0, 6), 16) % 60000) + 1000;
  const keyUpdatedOn = now.toISOString();
  current.ad = {
    id,
    keyVersion,
    previousKeyVersion: current.ad?.keyVersion ?? null,
    keyUpdatedOn,
    keyUpdatedFrom: writableSource(domain),
    userAccount: `CN=krbtgt_AzureAD,CN=Users,${domain.distinguishedName}`,
    computerAccount: `CN=AzureADKerberos,OU=Domain Controllers,${domain.distinguishedName}`,
  };
  current.cloud = { id, keyVersion, keyUpdatedOn, domainDnsName: domain.dnsName, displayName: `krbtgt_${id}` };
}

const get: StepHandler = async (args, context) => {
  const p = bindParameters('kerberos.get', z.object(signInParameters), args);
  const estate = await context.estate();
  const { domain } = findDomain(estate, p.Domain);
  signInToDomain(estate, p.DomainCredential, 'GetAzureADKerberosServer');
  signInToEntra(estate, p.CloudCredential, 'GetAzureADKerberosServer');
  return { changed: false, result: serverState(domain) };
};

const ensure: StepHandler = (args, context) => {
  const p = bindParameters('kerberos.ensure', z.object({ ...signInParameters, PlanOnly: z.boolean().default(false) }), args);
  return context.update((estate) => {
    const { domain } = findDomain(estate, p.Domain);
    const ad = signInToDomain(estate, p.DomainCredential, 'SetAzureADKerberosServer');
    signInToEntra(estate, p.CloudCredential, 'SetAzureADKerberosServer');
    const before = summary(domain);
    const changes: string[] = [];
    if (!before.configured) changes.push(`create the Azure AD Kerberos server object for ${p.Domain}`);
    else if (!before.consistent) changes.push(`repair the Azure AD Kerberos server object for ${p.Domain} (Set-AzureADKerberosServer -Force): ${before.problems.join('; ')}`);
    if (changes.length > 0 && !p.PlanOnly) {
      if (!ad.canWrite) throw insufficientAccessRights('SetAzureADKerberosServer');
      const base = domain.kerberosServer.ad?.keyVersion ?? 100_000 + (domain.kerberosServer.ad?.id ?? 0);
      writeKey(domain, context.now(), before.configured ? base + ROTATION_JUMP : base);
      recordMutation(estate, `kerberos:${domain.dnsName}`);
    }
    const after = changes.length > 0 && !p.PlanOnly ? summary(domain) : before;
    return { changed: changes.length > 0, result: { planOnly: p.PlanOnly, changes, before, after } };
  });
};

const rotate: StepHandler = (args, context) => {
  const p = bindParameters(
    'kerberos.rotate',
    z.object({ ...signInParameters, RequestedAt: z.string(), Force: z.boolean().default(false), PlanOnly: z.boolean().default(false) }),
    args,
  );
  return context.update((estate) => {
    const { domain } = findDomain(estate, p.Domain);
    const ad = signInToDomain(estate, p.DomainCredential, 'SetAzureADKerberosServer');
    signInToEntra(estate, p.CloudCredential, 'SetAzureADKerberosServer');
    const keyState = () => {
      const s = serverState(domain);
      return { configured: s.id !== null, keyVersion: s.keyVersion ?? '', cloudKeyVersion: s.cloudKeyVersion ?? '', keyUpdatedOn: s.keyUpdatedOn };
    };
    const before = keyState();
    const current = domain.kerberosServer.ad;
    if (!current) throw new LabError(`the Azure AD Kerberos server object of ${p.Domain} does not exist; create it before rotating its key`, 'ObjectNotFound', 'RuntimeException', p.Domain);
    const now = context.now();
    const updated = new Date(current.keyUpdatedOn);
    const changes: string[] = [];
    const warnings: string[] = [];
    let skipped: string | null = null;
    if (updated.getTime() >= new Date(p.RequestedAt).getTime()) skipped = 'already rotated for this request';
    else if (now.getTime() - updated.getTime() < DAY_MS && !p.Force) {
      skipped = 'key updated less than 24 hours ago';
      warnings.push(`${p.Domain}: key updated at ${current.keyUpdatedOn}, less than 24 hours ago; not rotated (use force to rotate anyway)`);
    } else changes.push(`rotate the Kerberos server key of ${p.Domain} (key version ${current.keyVersion})`);
    if (changes.length > 0 && !p.PlanOnly) {
      if (!ad.canWrite) throw insufficientAccessRights('SetAzureADKerberosServer');
      writeKey(domain, now, current.keyVersion + ROTATION_JUMP);
      recordMutation(estate, `kerberos-key:${domain.dnsName}`);
    }
    return { changed: changes.length > 0, warnings, result: { planOnly: p.PlanOnly, changes, skipped, before, after: keyState() } };
  });
};

const remove: StepHandler = (args, context) => {
  const p = bindParameters('kerberos.remove', z.object({ ...signInParameters, ConfirmRemoval: z.boolean().default(false), PlanOnly: z.boolean().default(false) }), args);
  if (!p.ConfirmRemoval) throw new LabError('removing the Azure AD Kerberos server object needs an explicit confirmation (ConfirmRemoval)', 'InvalidArgument', 'RuntimeException');
  return context.update((estate) => {
    const { domain } = findDomain(estate, p.Domain);
    const ad = signInToDomain(estate, p.DomainCredential, 'RemoveAzureADKerberosServer');
    signInToEntra(estate, p.CloudCredential, 'RemoveAzureADKerberosServer');
    const present = domain.kerberosServer.ad !== null || domain.kerberosServer.cloud !== null;
    const changes = present ? [`remove the Azure AD Kerberos server object of ${p.Domain} (id ${domain.kerberosServer.ad?.id ?? domain.kerberosServer.cloud?.id})`] : [];
    if (present && !p.PlanOnly) {
      if (!ad.canWrite) throw insufficientAccessRights('RemoveAzureADKerberosServer');
      domain.kerberosServer.ad = null;
      domain.kerberosServer.cloud = null;
      recordMutation(estate, `kerberos-removed:${domain.dnsName}`);
    }
    return { changed: present, result: { planOnly: p.PlanOnly, changes, before: { present }, after: { present: present && p.PlanOnly } } };
  });
};

const replication: StepHandler = async (args, context) => {
  const p = bindParameters(
    'kerberos.replication',
    z.object({ Domain: dnsName, SourceServer: z.string(), Servers: z.array(z.string()).min(1), DomainCredential: labCredential.optional() }),
    args,
  );
  const estate = await context.estate();
  const { domain } = findDomain(estate, p.Domain);
  signInToDomain(estate, p.DomainCredential, 'GetADObject');
  const { ad, replicationDelaySeconds, replicationDelayOverrides } = domain.kerberosServer;
  const now = context.now().getTime();
  const seenOn = (server: string) => {
    const dc = domain.controllers.find((c) => c.hostName.toLowerCase() === server.toLowerCase());
    if (!dc || !dc.reachable) {
      throw new LabError(`Unable to contact the server. This may be because this server does not exist, it is currently down, or it does not have the Active Directory Web Services running.`, 'ResourceUnavailable', 'ActiveDirectoryServer:0', server);
    }
    if (!ad) return { keyVersion: null, computerObjectPresent: false };
    const delay = ad.keyUpdatedFrom.toLowerCase() === server.toLowerCase() ? 0 : (replicationDelayOverrides[dc.hostName] ?? replicationDelaySeconds);
    const visible = now >= new Date(ad.keyUpdatedOn).getTime() + delay * 1000;
    const keyVersion = visible ? ad.keyVersion : ad.previousKeyVersion;
    return { keyVersion, computerObjectPresent: keyVersion !== null };
  };
  const source = seenOn(p.SourceServer);
  const replicas = p.Servers.map((server) => {
    try {
      const seen = seenOn(server);
      return { server, reachable: true, ...seen, caughtUp: seen.keyVersion !== null && seen.keyVersion === source.keyVersion && seen.computerObjectPresent, error: null };
    } catch (error) {
      return { server, reachable: false, keyVersion: null, computerObjectPresent: false, caughtUp: false, error: (error as Error).message };
    }
  });
  return { changed: false, result: { sourceServer: p.SourceServer, sourceKeyVersion: source.keyVersion, replicas } };
};

export const kerberosHandlers: Record<string, StepHandler> = {
  'kerberos.get': get,
  'kerberos.ensure': ensure,
  'kerberos.rotate': rotate,
  'kerberos.remove': remove,
  'kerberos.replication': replication,
};
