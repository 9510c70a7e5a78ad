import type { LabEstate } from '../../../estate/schema';
import type { CommandCall, CommandContext, CommandSimulation } from '../types';
import { stsTrailer } from './errors';

/**
 * Get-/Set-AzureADKerberosServerEndpoint (how-to, "Select Azure Cloud (Default is Azure Commercial)"): which
 * cloud the module's other cmdlets sign in to, 0 Public (the default), 1 China, 2 Us Government. Where the module
 * keeps the choice is undocumented: the lab keeps it per PowerShell process, as a static of the loaded module would
 * be (INFERRED), so a fresh process starts at 0.
 */
const NAMES: Record<number, string> = { 0: 'Public', 1: 'China', 2: 'Us Government' };

/** The endpoint a tenant of each national cloud needs (USGov and USGovDoD are both "Us Government"). */
const ENDPOINT_OF_ENVIRONMENT: Record<LabEstate['tenant']['environment'], number> = { Global: 0, China: 1, USGov: 2, USGovDoD: 2 };

const endpoints = new Map<number, number>();

export const endpointOf = (process: number): number => endpoints.get(process) ?? 0;

/**
 * The lines the how-to shows. Whether they go to the output stream or only to the host is undocumented: the lab
 * writes them as strings to the output stream (INFERRED; the scripts read both streams).
 */
export const getKerberosServerEndpoint: CommandSimulation = (call) => {
  const current = endpointOf(call.process);
  return [`Current Endpoint = ${current}(${NAMES[current]})`, 'Supported Endpoints:', ...Object.entries(NAMES).map(([n, name]) => `   ${n} :${name}`)];
};

/** Writes nothing (the how-to shows no output). */
export const setKerberosServerEndpoint: CommandSimulation = (call) => {
  endpoints.set(call.process, Number(call.get<number>('TargetEndpoint')));
  return [];
};

/**
 * A sign-in through another cloud's Entra authority does not find the tenant: the module's token request fails
 * the way Entra answers for a tenant unknown to that cloud (AADSTS90002, as Connect-MgGraph does; the module's own
 * text for it is undocumented, INFERRED).
 */
export function requireTenantEndpoint(call: CommandCall, lab: CommandContext, estate: LabEstate, commandClass: string, upn: string): void {
  if (endpointOf(call.process) === ENDPOINT_OF_ENVIRONMENT[estate.tenant.environment]) return;
  lab.fail('KdcTenantNotInCloud', { CommandClass: commandClass, tenant: upn.slice(upn.indexOf('@') + 1), ...stsTrailer(lab.now()) });
}
