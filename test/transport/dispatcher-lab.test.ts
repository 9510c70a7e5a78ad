import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellPool, type PoolOptions } from '../../activities/bridge/pool';
import { runStep } from '../../activities/bridge/run-step';
import { hostScripts } from '../../activities/steps/contract';
import { labEstateFile } from '../steps/lab-estate';
import { labProbes } from './fixture-steps';

/**
 * The dispatcher against the lab's simulated modules, where PowerShellGet and the Graph SDK's sub-modules are
 * script modules (catalog "implementation": "script"): their stand-ins are not strict-mode clean, keep their own
 * module's preference variables and may be slow to import; PackageManagement is a compiled (binary) module.
 */
function probePool(env: NodeJS.ProcessEnv, options: Partial<PoolOptions> = {}): PowerShellPool {
  return new PowerShellPool({ executable: resolveExecutable({ ...env, CLOUDTRUST_POWERSHELL: 'lab' }), scripts: hostScripts(Object.values(labProbes)), size: 1, startTimeoutMs: 60_000, ...options });
}

describe('the dispatcher with script and binary modules (lab)', () => {
  describe('a host without PSGallery, offline', () => {
    const lab = labEstateFile('default', (estate) => {
      estate.managementHost.psGalleryRegistered = false;
      estate.managementHost.psGalleryReachable = false;
    });
    let pool: PowerShellPool;
    beforeAll(async () => {
      pool = probePool(lab.env);
      await pool.warm();
    }, 60_000);
    afterAll(() => pool.close());

    // Strict mode set outside a module does not reach into it on Windows PowerShell 3+ and PowerShell 7 (engine:
    // ExecutionContext.IsStrictVersion stops at the module scope, "We shouldn't check global scope if we were in a
    // module"); psget/psget#55/#57 date from PowerShell 2. A regression guard, not a failing-before test.
    test('review row 5 (strict mode half: not a defect on 5.1/7): a script module that is not strict-mode clean runs under the dispatcher', async () => {
      const out = await runStep(pool, labProbes.moduleWarnings, {});
      expect(out.result).toEqual({ repositories: 0, providers: 0 });
    });

    test('review row 6: warnings from a script module and from a compiled cmdlet the script calls reach envelope.warnings, not the console', async () => {
      const outcome = await pool.run(labProbes.moduleWarnings.id, {}, { timeoutMs: 30_000 });
      expect(outcome.envelope.ok).toBe(true);
      expect(outcome.envelope.warnings).toEqual([
        expect.stringMatching(/^Unable to find module repositories\.$/),
        expect.stringMatching(/Unable to download from URI/),
        expect.stringMatching(/Unable to download the list of available providers/),
      ]);
      expect(outcome.noise).not.toMatch(/WARNING|Unable to find module repositories/);
    });

    test('review row 5: a Graph SDK function writes its HTTP errors as non-terminating: only -ErrorAction Stop in the script stops it', async () => {
      // Without -ErrorAction Stop the script's own $ErrorActionPreference does not reach into the module: the
      // error goes by and the script reports "no groups" (msgraph-sdk-powershell#1129).
      const loose = await pool.run(labProbes.graphGroups.id, {}, { timeoutMs: 30_000 });
      expect(loose.envelope).toMatchObject({ ok: true, result: { groups: 0 } });
      expect(loose.noise).toMatch(/Authentication needed/);
      const strict = await pool.run(labProbes.graphGroups.id, { Stop: true }, { timeoutMs: 30_000 });
      expect(strict.envelope.ok).toBe(false);
      expect(strict.envelope.errors[0].message).toMatch(/Authentication needed/);
    });
  });

  describe('review row 21: a host where importing a Graph SDK module is slow', () => {
    const lab = labEstateFile('default', (estate) => {
      estate.managementHost.moduleImportMs = 4_000;
    });

    test('a step with a short timeout fails when it imports the module cold, and passes once the host imported it at warm-up', async () => {
      const cold = probePool(lab.env);
      try {
        await cold.warm();
        await expect(runStep(cold, labProbes.graphGroups, {}, { timeoutMs: 2_000 })).rejects.toMatchObject({ kind: 'Timeout' });
      } finally {
        await cold.close();
      }
      const warm = probePool(lab.env, { imports: ['Microsoft.Graph.Groups', 'Microsoft.Graph.Cloudtrust.Missing'] });
      try {
        await warm.warm();
        expect((await runStep(warm, labProbes.graphGroups, {}, { timeoutMs: 2_000 })).result).toEqual({ groups: 0 });
      } finally {
        await warm.close();
      }
    }, 90_000);
  });
});
