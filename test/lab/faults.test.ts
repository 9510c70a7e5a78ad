import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { domainInventoryStep } from '../../activities/steps/domain-inventory';
import type { LabFault } from '../../lab/estate/schema';
import { labEstateFile } from '../steps/lab-estate';
import { bridgeFailure } from '../support/bridge-failure';
import { labPool } from '../transport/pool-fixture';

const CORP = 'corp.contoso.com';
const EMEA = 'emea.corp.contoso.com';
/** The first command domain.read-inventory calls; each fault targets it by command name (and the domain it names). */
const COMMAND = 'Get-ADDomain';

/** A lab pool that knows only the script under test. */
const inventoryPool = (env: NodeJS.ProcessEnv) => labPool(1, env, [domainInventoryStep]);

describe('fault injection through the lab', () => {
  let pool: PowerShellPool | undefined;
  let lab: ReturnType<typeof labEstateFile>;

  async function start(faults: LabFault[], latencyMs = 0): Promise<PowerShellPool> {
    lab = labEstateFile('default', (estate) => {
      estate.faults = faults;
      estate.latencyMs = latencyMs;
    });
    pool = inventoryPool(lab.env);
    await pool.warm();
    return pool;
  }
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  test('a transient fault with remaining = 2 fails exactly two calls, then the script succeeds', async () => {
    const p = await start([{ command: COMMAND, mode: 'transient', remaining: 2 }]);
    for (const attempt of [1, 2]) {
      const error = await bridgeFailure(runStep(p, domainInventoryStep, { domain: CORP }));
      expect({ attempt, kind: error.kind, retryable: error.retryable }).toEqual({ attempt, kind: 'Unreachable', retryable: true });
      expect(error.message).toContain('The server is not operational.');
    }
    const third = await runStep(p, domainInventoryStep, { domain: CORP });
    expect(third.result.domain.dnsRoot).toBe(CORP);
    expect((await lab.store.read()).faults[0].remaining).toBe(0);
    expect((await runStep(p, domainInventoryStep, { domain: CORP })).result.controllers).toHaveLength(3);
  });

  test('a permanent fault with a target hits only that target', async () => {
    const p = await start([{ command: COMMAND, mode: 'permanent', target: EMEA }]);
    expect((await runStep(p, domainInventoryStep, { domain: CORP })).result.domain.dnsRoot).toBe(CORP);
    for (let i = 0; i < 2; i += 1) {
      const error = await bridgeFailure(runStep(p, domainInventoryStep, { domain: EMEA }));
      expect(error.kind).toBe('AccessDenied');
      expect(error.retryable).toBe(false);
      expect(error.errors[0]).toMatchObject({ category: 'PermissionDenied', targetObject: null });
    }
    expect((await runStep(p, domainInventoryStep, { domain: CORP })).result.domain.dnsRoot).toBe(CORP);
  });

  test('a permanent fault carries the declared error record', async () => {
    const p = await start([
      { command: COMMAND, mode: 'permanent', target: CORP, message: 'The operation being requested was not performed because the user has not been authenticated.', category: 'SecurityError', errorId: 'AuthenticationException' },
    ]);
    const error = await bridgeFailure(runStep(p, domainInventoryStep, { domain: CORP }));
    expect(error.kind).toBe('AccessDenied');
    // The stub writes the record as the command, so PowerShell appends the command to the declared error id.
    expect(error.errors[0]).toMatchObject({ category: 'SecurityError', fullyQualifiedErrorId: `AuthenticationException,${COMMAND}` });
  });

  test('latency delays the answer; estate-wide latency adds to it', async () => {
    // Estate-wide latency delays every command call; the step makes at least three (Get-ADDomain, Get-ADForest, Get-ADDomainController).
    // The targeted latency is large against the step's own run time (about 0.7 s here, over 3 s on a loaded
    // machine), so the comparisons hold however busy the machine is.
    const LATENCY_MS = 5_000;
    const p = await start([{ command: COMMAND, mode: 'latency', target: EMEA, latencyMs: LATENCY_MS }], 30);
    await runStep(p, domainInventoryStep, { domain: CORP });
    const fast = await runStep(p, domainInventoryStep, { domain: CORP });
    const slow = await runStep(p, domainInventoryStep, { domain: EMEA });
    expect(fast.durationMs).toBeGreaterThanOrEqual(90);
    expect(fast.durationMs).toBeLessThan(LATENCY_MS);
    expect(slow.durationMs).toBeGreaterThanOrEqual(LATENCY_MS + 90);
    expect(slow.durationMs).toBeGreaterThan(fast.durationMs + LATENCY_MS / 2);
    expect(slow.result.domain.dnsRoot).toBe(EMEA);
  });

  test('a hang is killed by the bridge timeout and the next call runs on a fresh process', async () => {
    const p = await start([{ command: COMMAND, mode: 'hang', target: EMEA }]);
    const [before] = p.pids();
    const started = Date.now();
    const error = await bridgeFailure(runStep(p, domainInventoryStep, { domain: EMEA }, { timeoutMs: 800 }));
    expect(error.kind).toBe('Timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    const next = await runStep(p, domainInventoryStep, { domain: CORP });
    expect(next.result.domain.dnsRoot).toBe(CORP);
    expect(p.pids()).not.toContain(before);
  });

  test('throttling carries retryAfterMs and stops once its count is used up', async () => {
    const p = await start([{ command: COMMAND, mode: 'throttle', remaining: 1, retryAfterSeconds: 7 }]);
    const error = await bridgeFailure(runStep(p, domainInventoryStep, { domain: CORP }));
    expect(error.kind).toBe('Throttled');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7_000);
    expect((await runStep(p, domainInventoryStep, { domain: CORP })).result.domain.dnsRoot).toBe(CORP);
  });

  test('faults of other commands leave this one alone', async () => {
    const p = await start([{ command: 'Get-InstalledModule', mode: 'permanent' }]);
    expect((await runStep(p, domainInventoryStep, { domain: CORP })).result.domain.dnsRoot).toBe(CORP);
  });
});
