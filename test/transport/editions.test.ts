import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { echoStep } from '../../activities/steps/echo';
import { ensurePowerShell } from '../../worker/powershell-install';
import { bridgeFailure } from '../support/bridge-failure';
import { transportScripts } from './pool-fixture';

/** A step that needs Windows PowerShell 5.1 (as the Kerberos module's do, review row 4). */
const desktopEcho = { ...echoStep, edition: 'desktop' as const };

describe('one set of processes per PowerShell edition', () => {
  test('the executables per edition: CLOUDTRUST_POWERSHELL, and CLOUDTRUST_WINDOWS_POWERSHELL for the 5.1 steps', () => {
    const windowsPwsh = resolveExecutable({ CLOUDTRUST_POWERSHELL: 'pwsh' }, 'win32');
    expect(windowsPwsh).toMatchObject({ kind: 'pwsh', edition: 'core', otherEdition: { kind: 'powershell', edition: 'desktop' } });
    expect(resolveExecutable({ CLOUDTRUST_POWERSHELL: 'pwsh' }, 'linux').otherEdition).toBeUndefined();
    expect(resolveExecutable({ CLOUDTRUST_POWERSHELL: 'pwsh', CLOUDTRUST_WINDOWS_POWERSHELL: 'powershell' }, 'linux').otherEdition).toMatchObject({ edition: 'desktop' });
    const windowsPowerShell = resolveExecutable({ CLOUDTRUST_POWERSHELL: 'powershell' }, 'win32');
    expect(windowsPowerShell).toMatchObject({ kind: 'powershell', edition: 'desktop' });
    expect(windowsPowerShell.otherEdition).toBeUndefined();
    expect(resolveExecutable({ CLOUDTRUST_POWERSHELL: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' }, 'win32').edition).toBe('desktop');
    const lab = resolveExecutable({ CLOUDTRUST_POWERSHELL: 'lab' });
    expect([lab.edition, lab.env.CLOUDTRUST_LAB_EDITION, lab.otherEdition?.edition, lab.otherEdition?.env.CLOUDTRUST_LAB_EDITION]).toEqual(['core', 'Core', 'desktop', 'Desktop']);
  });

  test('a step that needs Windows PowerShell 5.1 where none is configured fails Unsupported, saying how to configure one', async () => {
    const pool = new PowerShellPool({ executable: resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh', CLOUDTRUST_WINDOWS_POWERSHELL: '' }, 'linux'), scripts: transportScripts(), size: 1 });
    try {
      const failure = await bridgeFailure(runStep(pool, desktopEcho, { text: 'x' }));
      expect(failure.kind).toBe('Unsupported');
      expect(failure.message).toContain('CLOUDTRUST_WINDOWS_POWERSHELL');
      expect(pool.stats().started).toBe(0);
    } finally {
      await pool.close();
    }
  });

  test('a 5.1 executable that turns out to be PowerShell 7 is refused, and the main set still serves', async () => {
    const pwsh = await ensurePowerShell({ env: process.env });
    const pool = new PowerShellPool({ executable: resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh', CLOUDTRUST_WINDOWS_POWERSHELL: pwsh }, 'linux'), scripts: transportScripts(), size: 1, startTimeoutMs: 60_000 });
    try {
      const failure = await bridgeFailure(runStep(pool, desktopEcho, { text: 'x' }));
      expect(failure.kind).toBe('Unsupported');
      expect(failure.message).toContain('reports edition Core, not Desktop');
      expect((await runStep(pool, echoStep, { text: 'x' })).result.text).toBe('x');
      expect(pool.stats()).toMatchObject({ live: 1, started: 1 });
    } finally {
      await pool.close();
    }
  });
});
