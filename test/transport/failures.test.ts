import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { echoStep } from '../../activities/steps/echo';
import { bridgeFailure } from '../support/bridge-failure';
import { fixtures } from './fixture-steps';
import { isProcessAlive, pwshPool, waitFor } from './pool-fixture';

describe('bridge failure containment', () => {
  let pool: PowerShellPool;
  beforeEach(async () => {
    pool = pwshPool(1);
    await pool.warm();
  });
  afterEach(() => pool.close());

  /** The id of the PowerShell process that runs scripts (a launcher such as a dotnet tool shim may sit above it). */
  const powershellPid = async () => (await runStep(pool, fixtures.pid, {})).result.pid;

  test('the pool reports the ids of the PowerShell processes that run the scripts', async () => {
    expect(pool.pids()).toEqual([await powershellPid()]);
  });

  test('a hanging script is killed at its timeout and the next call runs on a fresh process', async () => {
    const before = await powershellPid();
    const failure = await bridgeFailure(runStep(pool, fixtures.hang, {}, { timeoutMs: 800 }));
    expect(failure.kind).toBe('Timeout');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/no answer within 800 ms; the PowerShell process was killed/);
    await waitFor(() => !isProcessAlive(before));
    expect(await powershellPid()).not.toBe(before);
  });

  test('a process that dies mid-call fails the call retryably and the pool recovers', async () => {
    const failure = await bridgeFailure(runStep(pool, fixtures.dieNow, { code: 7 }));
    expect(failure.kind).toBe('HostCrashed');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/died during the call \(exit code 7\)/);
    const next = await runStep(pool, echoStep, { text: 'still here' });
    expect(next.result.text).toBe('still here');
  });

  test('a process that exits while idle is replaced on the next call', async () => {
    const first = await runStep(pool, fixtures.exitAfterReply, { delayMs: 50, code: 3 });
    await waitFor(() => !isProcessAlive(first.result.pid));
    // PowerShell may run under a launcher, whose own exit (what the pool sees) follows a moment later.
    await waitFor(() => pool.stats().live === 0);
    expect(await powershellPid()).not.toBe(first.result.pid);
  });

  test('cancellation kills the process running the call', async () => {
    const pid = await powershellPid();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const failure = await bridgeFailure(runStep(pool, fixtures.hang, {}, { signal: controller.signal, timeoutMs: 120_000 }));
    expect(failure.kind).toBe('Cancelled');
    await waitFor(() => !isProcessAlive(pid));
  });

  test('stderr output is data: the call succeeds and the process keeps serving', async () => {
    const pid = await powershellPid();
    const out = await runStep(pool, fixtures.stderr, {});
    expect(out.result).toEqual({ survived: 'stderr' });
    expect(await powershellPid()).toBe(pid);
  });

  test('invalid input is refused before anything is sent', async () => {
    const failure = await bridgeFailure(runStep(pool, echoStep, { text: 42 as unknown as string }));
    expect(failure.kind).toBe('InvalidInput');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/^diagnostics\.check-echo: invalid input: text: /);
  });

  test('a result that breaks its contract is a precise, non-retryable error', async () => {
    const failure = await bridgeFailure(runStep(pool, fixtures.malformed, {}));
    expect(failure.kind).toBe('ContractViolation');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/result\.expected: /);
  });

  test('documented errors map to typed failures with the real error text', async () => {
    const denied = await bridgeFailure(
      runStep(pool, fixtures.fail, {
        message: 'Failed to create Azure AD Kerberos Server: Error sending directory request: The user has insufficient access rights.',
        category: 'NotSpecified',
        errorId: 'System.InvalidOperationException,Microsoft.AzureAD.Kdc.Management.SetAzureADKerberosServer',
      }),
    );
    expect(denied.kind).toBe('AccessDenied');
    expect(denied.retryable).toBe(false);
    expect(denied.message).toContain('The user has insufficient access rights.');
    expect(denied.errors[0]).toMatchObject({ category: 'NotSpecified', fullyQualifiedErrorId: 'System.InvalidOperationException,Microsoft.AzureAD.Kdc.Management.SetAzureADKerberosServer' });

    const throttled = await bridgeFailure(runStep(pool, fixtures.fail, { message: 'Too Many Requests', category: 'LimitsExceeded', errorId: 'Graph429', retryAfterSeconds: 12 }));
    expect(throttled.kind).toBe('Throttled');
    expect(throttled.retryAfterMs).toBe(12_000);
  });
});
