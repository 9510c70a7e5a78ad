import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { echoStep } from '../../activities/steps/echo';
import { bridgeFailure } from '../support/bridge-failure';
import { fixtures, isProcessAlive, labPool, waitFor } from './pool-fixture';

describe('bridge failure containment', () => {
  let pool: PowerShellPool;
  beforeEach(async () => {
    pool = labPool(1);
    await pool.warm();
  });
  afterEach(() => pool.close());

  test('a hanging script is killed at its timeout and the next call runs on a fresh process', async () => {
    const [before] = pool.pids();
    const started = Date.now();
    const failure = await bridgeFailure(runStep(pool, fixtures.hang, {}, { timeoutMs: 800 }));
    expect(failure.kind).toBe('Timeout');
    expect(failure.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor(() => !isProcessAlive(before));
    const next = await runStep(pool, fixtures.pid, {});
    expect(next.result.pid).not.toBe(before);
  });

  test('a process that dies mid-call fails the call retryably and the pool recovers', async () => {
    const failure = await bridgeFailure(runStep(pool, fixtures.dieNow, {}));
    expect(failure.kind).toBe('HostCrashed');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/died during the call \(exit code 7\)/);
    const next = await runStep(pool, echoStep, { text: 'still here' });
    expect(next.result.text).toBe('still here');
  });

  test('a process that exits while idle is replaced on the next call', async () => {
    const first = await runStep(pool, fixtures.exitAfterReply, { delayMs: 50, code: 3 });
    await waitFor(() => !isProcessAlive(first.result.pid));
    const next = await runStep(pool, fixtures.pid, {});
    expect(next.result.pid).not.toBe(first.result.pid);
  });

  test('cancellation kills the process running the call', async () => {
    const controller = new AbortController();
    const [pid] = pool.pids();
    setTimeout(() => controller.abort(), 300);
    const failure = await bridgeFailure(runStep(pool, fixtures.hang, {}, { signal: controller.signal, timeoutMs: 30_000 }));
    expect(failure.kind).toBe('Cancelled');
    await waitFor(() => !isProcessAlive(pid));
  });

  test('stderr output is data: the call succeeds and the process keeps serving', async () => {
    const [pid] = pool.pids();
    const out = await runStep(pool, fixtures.stderr, {});
    expect(out.result).toEqual({ survived: 'stderr' });
    expect((await runStep(pool, fixtures.pid, {})).result.pid).toBe(pid);
  });

  test('invalid input is refused before anything is sent', async () => {
    const failure = await bridgeFailure(runStep(pool, echoStep, { text: 42 as unknown as string }));
    expect(failure.kind).toBe('InvalidInput');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/^diagnostics\.echo: invalid input: text: /);
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

    const throttled = await bridgeFailure(runStep(pool, fixtures.fail, { message: 'Too Many Requests', category: 'LimitsExceeded', errorId: 'Graph429', retryAfterSeconds: 12 }));
    expect(throttled.kind).toBe('Throttled');
    expect(throttled.retryAfterMs).toBe(12_000);
  });
});

describe('concurrency across the pool', () => {
  test('calls run in parallel on distinct processes, bounded by the pool size', async () => {
    const pool = labPool(3);
    try {
      await pool.warm();
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 6 }, () => runStep(pool, fixtures.slow, { milliseconds: 400 })));
      const elapsed = Date.now() - started;
      expect(new Set(results.map((r) => r.result.pid)).size).toBe(3);
      expect(elapsed).toBeGreaterThanOrEqual(800);
      expect(elapsed).toBeLessThan(6 * 400);
    } finally {
      await pool.close();
    }
  });
});

const scenario = (name: string) => path.join(__dirname, '..', '..', 'dist', 'test', 'transport', 'scenarios', `${name}.js`);

describe('node-powershell hazards seen from a separate Node process', () => {
  test('a shell exiting non-zero while idle is not an unhandled rejection', () => {
    const output = execFileSync(process.execPath, [scenario('idle-exit')], { encoding: 'utf8', timeout: 30_000 });
    expect(output).toContain('node survived the idle exit');
  });

  test('DEBUG=* does not make node-powershell print commands (they carry every argument)', () => {
    const output = execFileSync(process.execPath, [scenario('debug-env')], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, DEBUG: '*' }, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toContain('call done');
    expect(output).not.toContain('Invoke-CloudtrustStep');
  });
});
