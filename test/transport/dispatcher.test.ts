import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveExecutable, type ExecutableConfig } from '../../activities/bridge/executable';
import { PowerShellSession } from '../../activities/bridge/session';
import { runStep } from '../../activities/bridge/run-step';
import { PowerShellPool } from '../../activities/bridge/pool';
import { echoStep } from '../../activities/steps/echo';
import { pwshPool, transportScripts } from './pool-fixture';

const pwsh = () => resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh' });
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const scriptSaying = (word: string) => `[CmdletBinding()]\nparam()\n@{ Changed = $false; Result = '${word}' }\n`;

describe('the dispatcher through real pwsh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-dispatcher-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('with a warm pool', () => {
    let pool: PowerShellPool;
    beforeAll(async () => {
      pool = pwshPool(1);
      await pool.warm();
    });
    afterAll(() => pool.close());

    test('review row 3: an ISO timestamp string argument arrives as the exact string (PowerShell 6+ ConvertFrom-Json would make it a date)', async () => {
      const stamps = ['2026-11-25T10:00:00Z', '2026-11-25T10:00:00.1234567+01:00', '2026-11-25'];
      const out = await runStep(pool, echoStep, { text: stamps[0], items: stamps });
      expect(out.result.text).toBe(stamps[0]);
      expect(out.result.items).toEqual(stamps);
    });
  });

  test('review row 10: a script changed on disk after the process started never runs; the verified text does', async () => {
    const file = path.join(dir, 'Mutable.ps1');
    writeFileSync(file, scriptSaying('reviewed'));
    const session = await PowerShellSession.start(pwsh(), [...transportScripts(), { id: 'fixture.mutable', path: file, sha256: sha256(scriptSaying('reviewed')) }], { timeoutMs: 60_000 });
    try {
      writeFileSync(file, scriptSaying('tampered'));
      const outcome = await session.call('fixture.mutable', {}, { timeoutMs: 10_000 });
      expect(outcome.envelope).toMatchObject({ ok: true, result: 'reviewed' });
    } finally {
      await session.dispose();
    }
  });

  test('review row 10: a PowerShell in ConstrainedLanguage mode (WDAC/AppLocker) fails to start with a clear error', async () => {
    // Under WDAC/AppLocker script enforcement the whole session is ConstrainedLanguage from its start; a profile
    // that sets it stands in for the policy.
    const config = path.join(dir, 'config');
    mkdirSync(path.join(config, 'powershell'), { recursive: true });
    writeFileSync(path.join(config, 'powershell', 'Microsoft.PowerShell_profile.ps1'), "$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'\n");
    const base = pwsh();
    const { '-NoProfile': _dropped, ...options } = base.executableOptions;
    const env = { ...base.env, XDG_CONFIG_HOME: config };
    const constrained: ExecutableConfig = { ...base, executableOptions: options, env, prepare: async () => ({ ...(await base.prepare()), env }) };
    await expect(PowerShellSession.start(constrained, transportScripts(), { timeoutMs: 20_000 })).rejects.toMatchObject({
      kind: 'Unsupported',
      message: expect.stringMatching(/PowerShell runs in ConstrainedLanguage mode \(WDAC\/AppLocker/),
    });
  }, 60_000);
});

describe('review row 21: warm-up imports', () => {
  test('a module that cannot be imported at start is a warning of the start, not a dead host', async () => {
    const session = await PowerShellSession.start(pwsh(), transportScripts(), { timeoutMs: 60_000, imports: ['Microsoft.PowerShell.Utility', 'Cloudtrust.Not.There'] });
    try {
      expect(session.hostInfo).toMatchObject({ imported: 1 });
      expect(session.hostWarnings).toEqual([expect.stringMatching(/^warm-up import of Cloudtrust\.Not\.There failed: /)]);
      expect((await session.call('diagnostics.check-echo', { Text: 'alive' }, { timeoutMs: 10_000 })).envelope.result).toMatchObject({ text: 'alive' });
    } finally {
      await session.dispose();
    }
  });

  test("the pool passes each process's start warnings on once (the worker logs them)", async () => {
    const told: Array<{ pid: number; warnings: readonly string[] }> = [];
    const pool = new PowerShellPool({ executable: pwsh(), scripts: transportScripts(), imports: ['Cloudtrust.Not.There'], size: 1, onStartWarnings: (pid, warnings) => told.push({ pid, warnings }) });
    try {
      await pool.warm();
      await runStep(pool, echoStep, { text: 'alive' });
      expect(told).toEqual([{ pid: expect.any(Number), warnings: [expect.stringMatching(/^warm-up import of Cloudtrust\.Not\.There failed: /)] }]);
    } finally {
      await pool.close();
    }
  });

  test('a warm-up import name outside the module-name alphabet is refused before anything is sent', async () => {
    await expect(PowerShellSession.start(pwsh(), transportScripts(), { timeoutMs: 60_000, imports: ["x'; whoami"] })).rejects.toThrow(/warm-up import/);
  });
});
