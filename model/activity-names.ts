/**
 * Activity type names from before one name per step (a step's activity is the camelCase of its contract id), old
 * -> new. Histories of runs started before the change schedule the old names: workers register them too
 * (activities/legacy-names.ts), and workflows schedule them while replaying those runs (workflows/activity-options.ts).
 */
export const LEGACY_ACTIVITY_NAMES = {
  inventoryDomain: 'domainReadInventory',
  inventoryForest: 'forestReadInventory',
  checkHostModule: 'hostReadModule',
  ensureHostModule: 'hostEnsureModule',
  getKerberosServer: 'kerberosReadServer',
  ensureKerberosServer: 'kerberosEnsureServer',
  rotateKerberosKey: 'kerberosRotateKey',
  removeKerberosServer: 'kerberosRemoveServer',
  checkKerberosReplication: 'kerberosCheckReplication',
  checkKerberosObjectHealth: 'kerberosCheckHealth',
  readKerberosReplicationPolicy: 'kerberosReadReplicationPolicy',
  checkUserReadiness: 'usersCheckReadiness',
  scanGpoPassport: 'gpoScanPassport',
  ensureGpoPolicy: 'gpoEnsurePolicy',
  ensureGpoLinks: 'gpoEnsureLinks',
  ensureGpoFiltering: 'gpoEnsureFiltering',
  rollbackGpoPolicy: 'gpoRollbackPolicy',
  readIntuneTenant: 'intuneReadTenant',
  scanIntunePassport: 'intuneScanPassport',
  ensureIntuneGroup: 'intuneEnsureGroup',
  ensureIntuneProfile: 'intuneEnsureProfile',
  ensureIntuneAssignment: 'intuneEnsureAssignment',
  rollbackIntunePolicy: 'intuneRollbackProfile',
  readIntuneCatalogPolicy: 'intuneReadCatalogPolicy',
  ensureIntuneCatalogPolicy: 'intuneEnsureCatalogPolicy',
  ensureIntuneCatalogAssignment: 'intuneEnsureCatalogAssignment',
  rollbackIntuneCatalogPolicy: 'intuneRollbackCatalogPolicy',
  sampleClients: 'clientsReadDevices',
} as const;

export type LegacyActivityName = keyof typeof LEGACY_ACTIVITY_NAMES;
