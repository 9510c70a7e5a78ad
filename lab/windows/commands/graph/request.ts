import { createHash } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import type { CommandContext } from '../types';
import { directoryForbidden, intuneForbidden, intuneNotLicensed } from './errors';
import { GRAPH_ENDPOINTS, hasRole, type GraphConnection } from './session';

/** One request to the simulated Graph service, on behalf of the process's signed-in app. */
export interface GraphRequest {
  lab: CommandContext;
  connection: GraphConnection;
  version: 'v1.0' | 'beta';
  /** The request URL as Graph sees it (Intune quotes it in its error texts). */
  url: string;
}

export function graphRequest(lab: CommandContext, connection: GraphConnection, version: 'v1.0' | 'beta', path: string): GraphRequest {
  return { lab, connection, version, url: `https://${GRAPH_ENDPOINTS[connection.environment]}/${version}/${path.replace(/^\/+/, '')}` };
}

/** Directory reads and writes need one of these application permissions (the directory answers 403 otherwise). */
export function requireDirectory(request: GraphRequest, ...anyOf: string[]): void {
  const directory = anyOf.some((role) => role.endsWith('.Read.All')) ? ['Directory.Read.All', 'Directory.ReadWrite.All'] : ['Directory.ReadWrite.All'];
  if (!hasRole(request.connection, ...anyOf, ...directory)) throw directoryForbidden();
}

export const INTUNE_READ = ['DeviceManagementConfiguration.Read.All', 'DeviceManagementConfiguration.ReadWrite.All'];
export const INTUNE_WRITE = ['DeviceManagementConfiguration.ReadWrite.All'];

/**
 * Intune (deviceManagement/*): "The Microsoft Graph API for Intune requires an active Intune license for the tenant"
 * (https://learn.microsoft.com/graph/api/resources/intune-graph-overview), then the app's permission.
 */
export function requireIntune(request: GraphRequest, estate: LabEstate, scopes: string[]): void {
  if (!estate.tenant.intuneLicensed) throw intuneNotLicensed();
  if (!hasRole(request.connection, ...scopes)) throw intuneForbidden(request.url, scopes);
}

/** A stable object id for a directory object the estate names but does not give an id (devices by name). */
export function objectId(tenantId: string, kind: string, name: string): string {
  const hex = createHash('sha256').update(`${tenantId.toLowerCase()}:${kind}:${name.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
