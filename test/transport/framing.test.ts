import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellSession } from '../../activities/bridge/session';
import { allSteps } from '../../activities/steps';
import { hostScripts } from '../../activities/steps/contract';
import { echoStep } from '../../activities/steps/echo';
import { fixtures, labPool } from './pool-fixture';

const INJECTION_CORPUS = [
  `'; Remove-Item -Recurse C:\\ ; '`,
  `"; Write-Host pwned; "`,
  '$(Remove-Item C:\\ -Recurse -WhatIf)',
  '`$env:USERNAME` and `"backticks`"',
  'a; b & c | d && e || f',
  'line1\nWrite-Host injected\r\nline3',
  'nul\u0000inside',
  `‘curly’ “quotes” ‚low‛`,
  '@{ a = 1 }; [scriptblock]::Create("x")',
  '<<cloudtrust:deadbeefdeadbeef:e30=>>',
  '[Console]::Out.WriteLine("0123456789abcdef")',
  'Invoke-CloudtrustStep -CallId x -ScriptId y',
  'x'.repeat(100 * 1024),
];

describe('bridge framing through node-powershell and the lab host', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    pool = labPool(2);
    await pool.warm();
  });
  afterAll(() => pool.close());

  test('unicode travels both ways unchanged', async () => {
    const out = await runStep(pool, echoStep, { text: 'OU=Zoë-Ω-東京,DC=corp', items: ['Zoë', 'Ω', '東京', '🔐'] });
    expect(out.result.text).toBe('OU=Zoë-Ω-東京,DC=corp');
    expect(out.result.items).toEqual(['Zoë', 'Ω', '東京', '🔐']);
  });

  test('single-item arrays stay arrays', async () => {
    const out = await runStep(pool, echoStep, { text: 'x', items: ['only'] });
    expect(out.result.items).toEqual(['only']);
  });

  test('a 5 MB result arrives whole', async () => {
    const bytes = 5 * 1024 * 1024;
    const out = await runStep(pool, fixtures.big, { bytes });
    const unit = 'Zoë-Ω-東京|';
    expect(out.result.blob).toBe(unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))));
    expect(Buffer.byteLength(out.result.blob)).toBeGreaterThanOrEqual(bytes);
  });

  test('console noise and stderr around the envelope neither corrupt nor fail the call', async () => {
    const out = await runStep(pool, fixtures.noise, {});
    expect(out.result).toEqual({ survived: 'noise' });
    expect(out.changed).toBe(true);
    expect(out.warnings).toEqual(['a warning record']);
    const next = await runStep(pool, echoStep, { text: 'after noise' });
    expect(next.result.text).toBe('after noise');
  });

  test('output written after the closing delimiter neither loses the result nor wedges the pool', async () => {
    for (let round = 0; round < 2; round += 1) {
      const started = Date.now();
      const out = await runStep(pool, fixtures.noise, {}, { timeoutMs: 20_000 });
      expect(out.result).toEqual({ survived: 'noise' });
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    expect((await runStep(pool, echoStep, { text: 'ok' })).result.text).toBe('ok');
  });

  test.each(INJECTION_CORPUS.map((text) => [text.length > 60 ? `${text.slice(0, 20)}… (${text.length} chars)` : JSON.stringify(text), text]))(
    'hostile input arrives as inert data: %s',
    async (_label, text) => {
      const out = await runStep(pool, echoStep, { text, items: [text] });
      expect(out.result.text).toBe(text);
      expect(out.result.length).toBe(text.length);
      expect(out.result.items).toEqual([text]);
    },
  );
});

describe('one session: node-powershell defaults fixed', () => {
  const scripts = hostScripts([...allSteps, ...Object.values(fixtures)]);
  const executable = resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'lab', CLOUDTRUST_LAB_FIXTURES: '1' });

  test('the process is started with -NoProfile and -NonInteractive', async () => {
    const session = await PowerShellSession.start(executable, scripts, { timeoutMs: 10_000 });
    try {
      expect(session.hostInfo.argv).toEqual(expect.arrayContaining(['-NoProfile', '-NonInteractive']));
    } finally {
      await session.dispose();
    }
  });

  test('no command history is retained (it would hold every argument, secrets included)', async () => {
    const session = await PowerShellSession.start(executable, scripts, { timeoutMs: 10_000 });
    try {
      await session.call('diagnostics.echo', { Text: 'x', Credential: { __pscredential: { userName: 'admin@corp', password: 'S3cret-Pa55' } } }, { timeoutMs: 5_000 });
      const history = (session as unknown as { shell: { history: unknown[] } }).shell.history;
      expect(history).toHaveLength(0);
    } finally {
      await session.dispose();
    }
  });

  test('secrets are masked in error text the host sends back', async () => {
    const session = await PowerShellSession.start(executable, scripts, { timeoutMs: 10_000 });
    try {
      const outcome = await session.call(
        'fixture.fail',
        { Message: 'logon failure for admin@corp with password S3cret-Pa55', Category: 'AuthenticationError', ErrorId: 'LogonFailure' },
        { timeoutMs: 5_000, secrets: ['S3cret-Pa55'] },
      );
      expect(outcome.envelope.errors[0].message).toBe('logon failure for admin@corp with password ***');
    } finally {
      await session.dispose();
    }
  });

  test('NODE_POWERSHELL cannot silently override the configured executable', async () => {
    process.env.NODE_POWERSHELL = '/bin/sh';
    try {
      await expect(PowerShellSession.start(executable, scripts, { timeoutMs: 5_000 })).rejects.toThrow(/NODE_POWERSHELL is set/);
    } finally {
      delete process.env.NODE_POWERSHELL;
    }
  });

  test('a script whose file changed since review is refused at start', async () => {
    const tampered = scripts.map((s) => (s.id === 'diagnostics.echo' ? { ...s, sha256: '0'.repeat(64) } : s));
    await expect(PowerShellSession.start(executable, tampered, { timeoutMs: 5_000 })).rejects.toThrow(/diagnostics\.echo: content differs/);
  });
});
