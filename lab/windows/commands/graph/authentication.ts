import { randomUUID } from 'node:crypto';
import type { LabEstate } from '../../../estate/schema';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from '../types';
import { clearConnection, connectionOf, GRAPH_ENDPOINTS, setConnection, type GraphConnection } from './session';

/**
 * Microsoft.Graph.Authentication: Connect-MgGraph (app-only with a certificate), Disconnect-MgGraph, Get-MgContext.
 * Connect-MgGraph (ConnectMgGraph.cs) validates its parameters (a thumbprint must have 40 characters), looks the
 * certificate up, unexpired, in Cert:\CurrentUser\My then Cert:\LocalMachine\My (AuthenticationHelpers.GetCertificate),
 * then asks Entra ID for an app-only token (Azure.Identity ClientCertificateCredential). A failure past validation is
 * written, not thrown: WriteError(new ErrorRecord(exception, string.Empty, NotSpecified, null)).
 */

const AUTH_CONTEXT = 'Microsoft.Graph.PowerShell.Authentication.AuthContext';
/** Get-MgEnvironment's built-in clouds; the lab tenant lives in estate.tenant.environment. */
const ENVIRONMENTS = Object.keys(GRAPH_ENDPOINTS);

/** The rest of an MSAL service error text: "Trace ID: ... Correlation ID: ... Timestamp: ..." (msgraph-sdk-powershell#2439). */
function traceSuffix(lab: CommandContext): string {
  const now = lab.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return ` Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${now}`;
}

/** The tenant a -TenantId names at the Entra authority: its GUID or one of its verified domains. */
function tenantNamed(estate: LabEstate, tenantId: string): boolean {
  const wanted = tenantId.toLowerCase();
  return estate.tenant.id.toLowerCase() === wanted || estate.tenant.verifiedDomains.some((d) => d.toLowerCase() === wanted);
}

function authContext(lab: CommandContext, connection: GraphConnection): LabObject {
  return lab.object(AUTH_CONTEXT, {
    Account: null,
    AppName: connection.appName,
    AuthType: 'AppOnly',
    Certificate: null,
    CertificateSubjectName: connection.certificateSubjectName,
    CertificateThumbprint: connection.certificateThumbprint,
    ClientId: connection.clientId,
    ClientSecret: null,
    ContextScope: connection.contextScope,
    ManagedIdentityId: null,
    PSHostVersion: null,
    Scopes: connection.roles,
    TenantId: connection.tenantId,
    TokenCredentialType: 'ClientCertificate',
  });
}

function authenticationFailed(lab: CommandContext, reason: string): [] {
  lab.writeError('ConnectAuthenticationFailed', { reason: `${reason}${traceSuffix(lab)}` });
  return [];
}

async function connectWithCertificate(call: CommandCall, lab: CommandContext): Promise<unknown[]> {
  const thumbprintGiven = call.get<string>('CertificateThumbprint');
  if (thumbprintGiven !== undefined && thumbprintGiven.length !== 40) lab.fail('ConnectInvalidCertificateThumbprint');
  const environment = call.get<string>('Environment') ?? 'Global';
  const known = ENVIRONMENTS.find((e) => e.toLowerCase() === environment.toLowerCase());
  if (!known) lab.fail('ConnectInvalidEnvironment', { environment });
  const estate = await lab.read();
  const now = lab.now().getTime();
  const valid = (notAfter: string | undefined) => notAfter === undefined || Date.parse(notAfter) > now;

  // AuthenticationHelpers.GetCertificate: -CertificateSubjectName (a subject distinguished name), else
  // -CertificateThumbprint, each in CurrentUser\My then LocalMachine\My, unexpired only; else -Certificate.
  const subjectName = call.get<string>('CertificateSubjectName');
  const candidates = ['CurrentUser\\My', 'LocalMachine\\My'].flatMap((store) => estate.managementHost.certificates.filter((c) => c.store === store && valid(c.notAfter)));
  let thumbprint: string;
  if (subjectName !== undefined || thumbprintGiven !== undefined) {
    const found =
      subjectName !== undefined
        ? candidates.find((c) => c.subject.toLowerCase() === subjectName.toLowerCase())
        : candidates.find((c) => c.thumbprint.toLowerCase() === thumbprintGiven!.toLowerCase());
    if (!found) {
      const [property, value] = subjectName !== undefined ? ['subject name', subjectName] : ['thumbprint', thumbprintGiven!];
      lab.writeError('ConnectCertificateNotFound', { property, value });
      return [];
    }
    thumbprint = found.thumbprint;
  } else {
    const passed = call.get<{ thumbprint: string }>('Certificate');
    if (!passed) throw new Error('cloudtrust lab: Connect-MgGraph without -CertificateSubjectName, -CertificateThumbprint or -Certificate');
    thumbprint = passed.thumbprint;
  }

  const tenantId = call.get<string>('TenantId')!;
  const clientId = call.get<string>('ClientId')!;
  // Each cloud has its own Entra authority (AzureADEndpoint): a tenant is found only in its own cloud.
  if (known !== estate.tenant.environment || !tenantNamed(estate, tenantId)) {
    return authenticationFailed(
      lab,
      `AADSTS90002: Tenant '${tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  const application = estate.tenant.applications.find((a) => a.appId.toLowerCase() === clientId.toLowerCase());
  if (!application) {
    return authenticationFailed(
      lab,
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${estate.tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (!application.certificateThumbprints.some((t) => t.toLowerCase() === thumbprint.toLowerCase())) {
    return authenticationFailed(
      lab,
      `AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint.toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${application.appId}'.]`,
    );
  }
  const scope = call.get<string>('ContextScope');
  setConnection(call.process, {
    environment: known,
    tenantId: estate.tenant.id.toLowerCase(),
    clientId: application.appId,
    appName: application.displayName,
    // The context keeps what was passed (ConnectMgGraph: authContext.CertificateThumbprint = CertificateThumbprint).
    certificateThumbprint: thumbprintGiven ?? null,
    certificateSubjectName: subjectName ?? null,
    contextScope: scope?.toLowerCase() === 'currentuser' ? 'CurrentUser' : 'Process',
    roles: application.roles,
  });
  // The welcome banner shown without -NoWelcome is not simulated (the catalog documents no pipeline output).
  return [];
}

export const authenticationCommands: Record<string, CommandSimulation> = {
  'Connect-MgGraph': async (call, lab) => {
    if (call.parameterSet !== 'AppCertificateParameterSet') {
      throw new Error(`cloudtrust lab: Connect-MgGraph ${call.parameterSet} is not simulated (only app-only sign-in with a certificate)`);
    }
    return connectWithCertificate(call, lab);
  },

  /** Writes the context it signed out of; without one, "No application to sign out from." */
  'Disconnect-MgGraph': (call, lab) => {
    const connection = clearConnection(call.process);
    if (!connection) {
      lab.writeError('DisconnectNoApplication');
      return [];
    }
    return [authContext(lab, connection)];
  },

  /** Nothing when the process has not signed in. */
  'Get-MgContext': (call, lab) => {
    const connection = connectionOf(call.process);
    return connection ? [authContext(lab, connection)] : [];
  },
};
