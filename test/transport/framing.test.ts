import type { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { echoStep } from '../../activities/steps/echo';
import { fixtures } from './fixture-steps';
import { pwshPool } from './pool-fixture';

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

const codePoints = (text: string) => [...text].map((c) => c.codePointAt(0));

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('bridge framing through node-powershell and real pwsh', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    pool = pwshPool(2);
    await pool.warm();
  });
  afterAll(() => pool.close());

  test('unicode travels both ways unchanged', async () => {
    const text = 'OU=Zoë-Ω-東京,DC=corp 🔐 👩‍💻';
    const out = await runStep(pool, fixtures.unicode, { text });
    expect(out.result.text).toBe(text);
    expect(out.result.codePoints).toEqual(codePoints(text));
    expect(out.result.built).toBe('Zoë-Ω-東京-🔐');
  });

  test('unicode arrays reach a script parameter unchanged', async () => {
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

  // While Node is busy, the call's whole output and the late line pile up in the pipe and arrive as one chunk, in
  // which node-powershell misses its closing delimiter: the call would then end only at its timeout (2 minutes),
  // far past this test's, so finishing at all is the check.
  test('output written after the closing delimiter neither loses the result nor wedges the pool', async () => {
    const pending = runStep(pool, fixtures.lateOutput, { delayMs: 300 }, { timeoutMs: 120_000 });
    await new Promise((resolve) => setImmediate(resolve));
    blockEventLoop(1_500);
    expect((await pending).result).toEqual({ survived: 'late output' });
    for (let round = 0; round < 3; round += 1) {
      expect((await runStep(pool, echoStep, { text: 'ok' }, { timeoutMs: 120_000 })).result.text).toBe('ok');
    }
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
