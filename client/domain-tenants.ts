import type { Client } from '@temporalio/client';
import { tenantKey } from '../model/search-attributes';
import type { RolloutSpec } from '../model/spec';
import { TriggerError } from './errors';

/**
 * One AD domain has one Azure AD Kerberos server object, for one tenant: a second tenant's Set-AzureADKerberosServer
 * overwrites the first tenant's object (reference §1.4, "One AD domain ↔ one tenant"). The server knows which
 * domains each rollout it started covers (memo `domains`, kept by startRollout) and its tenant (CloudtrustTenant).
 */
export class DomainTenantConflictError extends TriggerError {
  override readonly name = 'DomainTenantConflictError';
  constructor(conflicts: string[]) {
    super(
      'conflict',
      `already rolled out to another tenant: ${conflicts.join('; ')}. A domain has one Azure AD Kerberos server object: this rollout would overwrite that tenant's object and end its cloud Kerberos trust for the domain`,
      'remove the domain from this spec, or start with force (CLI --force, API "force": true) after the other tenant has removed its object; the Kerberos step still refuses an object of another tenant unless the domain sets kerberosTakeOver',
    );
  }
}

/** The memo a rollout starts with, so later starts can find its domains. */
export function domainsMemo(spec: RolloutSpec): string[] {
  return spec.domains.map((d) => d.name.toLowerCase());
}

/** "<domain> (tenant <id>, rollout <workflow id>, <status>)" for every domain of the spec an apply of another tenant covered. */
export async function domainsOfOtherTenants(client: Client, spec: RolloutSpec): Promise<string[]> {
  const wanted = new Set(domainsMemo(spec));
  // The tenant id is a validated GUID: safe inside the visibility query's quotes.
  const query = `CloudtrustKind = 'rollout' AND CloudtrustTenant != '${spec.tenant.id}'`;
  const conflicts: string[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const domains = execution.memo?.domains;
    if (!Array.isArray(domains)) continue;
    const tenant = execution.typedSearchAttributes.get(tenantKey) ?? '(unknown tenant)';
    for (const domain of domains) {
      if (typeof domain === 'string' && wanted.has(domain)) conflicts.push(`${domain} (tenant ${tenant}, rollout ${execution.workflowId}, ${execution.status.name.toLowerCase()})`);
    }
  }
  return [...new Set(conflicts)];
}
