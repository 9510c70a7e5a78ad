import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { runStepActivity } from '../../activities/bridge/activity-step';
import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { fixtures } from './fixture-steps';
import { isProcessAlive, pwshPool, waitFor } from './pool-fixture';

describe('steps inside a Temporal activity context', () => {
  let pool: PowerShellPool;
  beforeEach(async () => {
    pool = pwshPool(1);
    await pool.warm();
  });
  afterEach(() => pool.close());

  test('a long call heartbeats while it runs', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details) => beats.push(details));
    const out: { result: { sleptMs: number } } = await env.run(() => runStepActivity(pool, fixtures.slow, { milliseconds: 700 }, { heartbeatEveryMs: 100 }));
    expect(out.result.sleptMs).toBe(700);
    expect(beats.length).toBeGreaterThanOrEqual(4);
    expect(beats[0]).toEqual({ scriptId: 'fixture.slow', elapsedMs: expect.any(Number) });
  });

  test('activity cancellation kills the PowerShell process and reports a cancellation', async () => {
    const env = new MockActivityEnvironment();
    const { pid } = (await runStep(pool, fixtures.pid, {})).result;
    const running = env.run(() => runStepActivity(pool, fixtures.hang, {}));
    setTimeout(() => env.cancel(), 300);
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    await waitFor(() => !isProcessAlive(pid));
  });

  test('a documented permission error becomes a non-retryable ApplicationFailure with the real text', async () => {
    const env = new MockActivityEnvironment();
    const failure = await env
      .run(() =>
        runStepActivity(pool, fixtures.fail, {
          message: 'Set-AzureADKerberosServer : Access is denied.',
          category: 'PermissionDenied',
          errorId: 'UnauthorizedAccess',
        }),
      )
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const app = failure as ApplicationFailure;
    expect(app.type).toBe('AccessDenied');
    expect(app.nonRetryable).toBe(true);
    expect(app.message).toBe('fixture.fail: Set-AzureADKerberosServer : Access is denied.');
    expect(app.details?.[0]).toMatchObject({ category: 'PermissionDenied', fullyQualifiedErrorId: 'UnauthorizedAccess' });
  });

  test('an unreachable DC is retryable; throttling carries the server-requested delay', async () => {
    const env = new MockActivityEnvironment();
    const unreachable = (await env
      .run(() => runStepActivity(pool, fixtures.fail, { message: 'The server is not operational', category: 'ResourceUnavailable', errorId: 'ActiveDirectoryServer:8250' }))
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(unreachable.type).toBe('Unreachable');
    expect(unreachable.nonRetryable).toBe(false);

    const throttled = (await new MockActivityEnvironment()
      .run(() => runStepActivity(pool, fixtures.fail, { message: 'Too Many Requests', category: 'LimitsExceeded', errorId: 'Graph429', retryAfterSeconds: 30 }))
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(throttled.type).toBe('Throttled');
    expect(throttled.nextRetryDelay).toBe(30_000);
  });
});
