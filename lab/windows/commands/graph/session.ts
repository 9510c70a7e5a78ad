/**
 * The Microsoft Graph PowerShell SDK keeps one sign-in per PowerShell process (GraphSession.Instance.AuthContext):
 * Connect-MgGraph replaces it, Disconnect-MgGraph clears it, and every Graph command of that process uses it.
 * The lab keeps it here, by the calling process id.
 */
/** Get-MgEnvironment's built-in clouds and their Graph endpoints (learn.microsoft.com get-mgenvironment example). */
export const GRAPH_ENDPOINTS: Record<string, string> = {
  Global: 'graph.microsoft.com',
  China: 'microsoftgraph.chinacloudapi.cn',
  USGov: 'graph.microsoft.us',
  USGovDoD: 'dod-graph.microsoft.us',
};

export interface GraphConnection {
  /** The Connect-MgGraph -Environment the process signed in to (GraphSession.Instance.Environment). */
  environment: string;
  /** The tenant GUID the token was issued for (its tid claim), whatever -TenantId named. */
  tenantId: string;
  clientId: string;
  appName: string;
  certificateThumbprint: string | null;
  certificateSubjectName: string | null;
  contextScope: 'Process' | 'CurrentUser';
  /** The application permissions in the token (roles claim). */
  roles: string[];
}

const connections = new Map<number, GraphConnection>();

export function connectionOf(process: number): GraphConnection | undefined {
  return connections.get(process);
}

export function setConnection(process: number, connection: GraphConnection): void {
  connections.set(process, connection);
}

export function clearConnection(process: number): GraphConnection | undefined {
  const connection = connections.get(process);
  connections.delete(process);
  return connection;
}

/** Whether the token carries one of these permissions. */
export function hasRole(connection: GraphConnection, ...anyOf: string[]): boolean {
  const granted = new Set(connection.roles.map((r) => r.toLowerCase()));
  return anyOf.some((role) => granted.has(role.toLowerCase()));
}
