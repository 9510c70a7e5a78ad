import type { CommandSimulation, WireCredential } from '../types';
import { canAuthenticate, isAdministrator, remotingAccount } from './accounts';
import { findComputer } from './computers';

const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9A-Fa-f:]+:[0-9A-Fa-f:.]*\]?)$/;
/** WinRM's default listeners: HTTP 5985; HTTPS 5986 only where a certificate listener was configured (not modelled). */
const HTTP_PORT = 5985;
/** PSSessionOption.OpenTimeout's default: "Default: 3 * 60 * 1000 = 3 minutes" (catalog Windows.json New-PSSessionOption). */
const DEFAULT_OPEN_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Invoke-Command -ComputerName, the connection half: one WinRM connection per name, in the order given. A name
 * that connects is answered with the estate's id of that computer (the script block then runs in a runspace
 * standing for it); one that does not gets its own non-terminating PSRemotingTransportException, as the
 * remoting job writes it (catalog Windows.json errors; about_Remote_Troubleshooting). Order of the checks
 * follows the connection: name resolution, the listener, authentication, then authorisation. An unreachable
 * computer (offline or firewalled: nothing answers) fails only when the client's OpenTimeout expires; the lab
 * waits that long in the estate's scaled time (timeScale), the connections of one call in parallel.
 */
export const invokeCommand: CommandSimulation = async (call, lab) => {
  if (call.parameterSet !== 'ComputerName' && call.parameterSet !== 'FilePathComputerName') {
    throw new Error(`only -ComputerName is simulated, not the ${call.parameterSet} parameter set`);
  }
  for (const unsupported of ['AsJob', 'InDisconnectedSession', 'SessionName', 'CertificateThumbprint', 'ApplicationName', 'ConfigurationName']) {
    if (call.has(unsupported)) throw new Error(`-${unsupported} is not simulated`);
  }
  const authentication = call.get<string>('Authentication') ?? 'Default';
  if (!['Default', 'Negotiate', 'Kerberos', 'NegotiateWithImplicitCredential'].includes(authentication)) {
    throw new Error(`-Authentication ${authentication} is not simulated`);
  }
  const estate = await lab.read();
  const credential = call.get<WireCredential>('Credential');
  const account = remotingAccount(estate, credential);
  const useSsl = call.get<boolean>('UseSSL') === true;
  const port = call.get<number>('Port');
  const openTimeoutMs = call.get<{ OpenTimeout?: number }>('SessionOption')?.OpenTimeout ?? DEFAULT_OPEN_TIMEOUT_MS;
  let waitMs = 0;
  const output: string[] = [];
  for (const given of call.get<string[]>('ComputerName') ?? ['localhost']) {
    const fail = (key: string) => lab.writeError(key, { computer: given }, { targetObject: given });
    if (IP_ADDRESS.test(given)) {
      // An IP address cannot be authenticated with Kerberos; it needs HTTPS or TrustedHosts (not configured here).
      fail('ServerNotTrusted');
      continue;
    }
    const computer = findComputer(estate, given);
    if (!computer) {
      fail('ComputerNotFound');
      continue;
    }
    if (computer.kind === 'management-host') throw new Error(`remoting to the management host itself (${given}) is not simulated`);
    if (!computer.reachable) {
      waitMs = Math.max(waitMs, openTimeoutMs);
      fail('WinRMOperationTimeout');
      continue;
    }
    if (useSsl || (port !== undefined && port !== HTTP_PORT)) {
      fail('CannotConnect');
      continue;
    }
    if (account === 'logon-failure' || !canAuthenticate(account, computer)) {
      fail('LogonFailure');
      continue;
    }
    if (!isAdministrator(account, computer)) {
      fail('AccessDenied');
      continue;
    }
    output.push(computer.id);
  }
  if (estate.timeScale !== undefined && waitMs > 0) await sleep(waitMs / estate.timeScale);
  return output;
};
