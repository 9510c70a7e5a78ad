import { delimiter } from 'node:path';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { allSteps } from '../../activities/steps';
import { hostScripts } from '../../activities/steps/contract';
import { domainInventoryStep } from '../../activities/steps/domain-inventory';
import { echoStep } from '../../activities/steps/echo';

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const candidate of [name, `${name}.exe`]) {
      const file = path.join(dir, candidate);
      if (dir && existsSync(file)) return file;
    }
  }
  return undefined;
}

const pwsh = findOnPath('pwsh');
const suite = pwsh ? describe : describe.skip;

suite(pwsh ? `the real scripts under ${pwsh} with stub AD cmdlets` : 'real PowerShell (SKIPPED: pwsh is not on PATH; these tests run the .ps1 files when it is)', () => {
  let pool: PowerShellPool;
  beforeAll(async () => {
    const stubs = path.join(__dirname, 'stubs');
    const env = { ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh', PSModulePath: `${stubs}${delimiter}${process.env.PSModulePath ?? ''}` };
    pool = new PowerShellPool({ executable: resolveExecutable(env), scripts: hostScripts(allSteps), size: 1, startTimeoutMs: 60_000 });
    await pool.warm();
  }, 90_000);
  afterAll(() => pool?.close());

  test.each([`'; Remove-Item -Recurse C:\\; '`, '$(whoami)', '`n backtick', 'line1\nline2', 'Zoë-Ω-東京', 'nul\u0000inside'])('echo keeps %j inert', async (text) => {
    const out = await runStep(pool, echoStep, { text, items: [text], credential: { userName: 'admin@corp.example.com', password: 'Pa55-w0rd!' } });
    expect(out.result).toEqual({ text, length: text.length, items: [text], credentialUser: 'admin@corp.example.com' });
  });

  test('the domain inventory excludes the AzureADKerberos pseudo-RODC and reports an unreachable DC', async () => {
    const out = await runStep(pool, domainInventoryStep, { domain: 'corp.example.com' });
    expect(out.result.controllers.map((c) => c.name)).toEqual(['DC1', 'RODC1']);
    expect(out.result.controllers[0]).toMatchObject({ currentBuild: 17763, ubr: 1012, supportedEncryptionTypes: 24, reachable: true });
    expect(out.result.controllers[1]).toMatchObject({ reachable: false, error: expect.stringContaining('WinRM') });
    expect(out.result.forestSites).toEqual(['HQ', 'Branch']);
  });
});
