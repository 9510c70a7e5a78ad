/**
 * The national cloud of a tenant, one value for both modules that sign in to it: AzureADHybridAuthenticationManagement
 * (Set-AzureADKerberosServerEndpoint -TargetEndpoint 0 Public, 1 China, 2 US Government; reference §1.2) and the
 * Graph SDK (Connect-MgGraph -Environment). Pure: used inside workflows.
 */
export type TenantCloud = 'public' | 'usgovernment' | 'china';
export type GraphEnvironment = 'Global' | 'USGov' | 'USGovDoD' | 'China';

export const KERBEROS_ENDPOINT: Record<TenantCloud, 0 | 1 | 2> = { public: 0, china: 1, usgovernment: 2 };

/** The Graph environment a cloud implies when the spec names none (US Government: GCC High, USGov). */
export const DEFAULT_GRAPH_ENVIRONMENT: Record<TenantCloud, GraphEnvironment> = { public: 'Global', usgovernment: 'USGov', china: 'China' };

/** The cloud of each Graph environment (GCC High and DoD both sign in to the US Government endpoint). */
export const CLOUD_OF_ENVIRONMENT: Record<GraphEnvironment, TenantCloud> = { Global: 'public', USGov: 'usgovernment', USGovDoD: 'usgovernment', China: 'china' };

interface TenantClouds {
  cloud?: TenantCloud;
  graph?: { environment?: GraphEnvironment };
}

/** The tenant's cloud: as the spec names it, else the one its Graph environment implies, else public. */
export function tenantCloud(tenant: TenantClouds): TenantCloud {
  if (tenant.cloud) return tenant.cloud;
  const environment = tenant.graph?.environment;
  return environment ? CLOUD_OF_ENVIRONMENT[environment] : 'public';
}

/** The Graph environment to connect to: as the spec names it, else the one the cloud implies; absent when neither is named. */
export function graphEnvironment(tenant: TenantClouds): GraphEnvironment | undefined {
  if (tenant.graph?.environment) return tenant.graph.environment;
  return tenant.cloud ? DEFAULT_GRAPH_ENVIRONMENT[tenant.cloud] : undefined;
}
