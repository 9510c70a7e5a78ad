import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ensurePowerShell } from '../../worker/powershell-install';
import { generateLabModules } from '../../lab/windows/generate';
import { cacheRoot } from '../../worker/provisioning';
import { ensurePester, PESTER_VERSION } from '../support/pester';
import { runPesterSuites, type PesterProblem, type PesterRun } from '../support/pester-run';

const suiteFiles = readdirSync(__dirname).filter((name) => name.endsWith('.Tests.ps1')).sort();

function describeProblem(problem: PesterProblem): string {
  const where = problem.file ? ` [${path.relative(process.cwd(), problem.file)}]` : '';
  const errors = problem.errors.length > 0 ? `\n      ${problem.errors.join('\n      ')}` : '';
  return `  ${problem.kind} ${problem.result}: ${problem.name}${where}${errors}`;
}

describe(`the Pester ${PESTER_VERSION} suites of the PowerShell scripts (test/pester/*.Tests.ps1)`, () => {
  let run: PesterRun;

  beforeAll(async () => {
    const powershell = process.env.CLOUDTRUST_TEST_PWSH ?? (await ensurePowerShell());
    const pesterManifest = await ensurePester();
    // The stand-ins are the lab's stub modules, generated from the command catalog; no lab service runs, so a call
    // that reaches one (was not mocked) fails.
    const lab = generateLabModules(path.join(cacheRoot(), 'lab-modules'));
    run = await runPesterSuites({ powershell, pesterManifest, runner: path.join(__dirname, 'Invoke-PesterSuites.ps1'), timeoutMs: 8 * 60_000, standInPaths: [lab.modulesDir, lab.galleryDir] });
  }, 10 * 60_000);

  it('runs every suite file, and each one runs tests', () => {
    const ran = run.summary.containers.map((container) => ({ file: path.basename(container.path), withTests: container.tests > 0 }));
    expect(ran.sort((a, b) => a.file.localeCompare(b.file))).toEqual(suiteFiles.map((file) => ({ file, withTests: true })));
  });

  it('passes every Pester test, and skips none', () => {
    const { summary } = run;
    if (summary.problems.length > 0 || summary.passed !== summary.total || summary.total === 0) {
      throw new Error(
        [
          `Pester ${summary.pester} on PowerShell ${summary.powershell} (${summary.edition}): ${summary.passed} of ${summary.total} passed, ` +
            `${summary.failed} failed, ${summary.skipped} skipped, ${summary.notRun} not run, ${summary.inconclusive} inconclusive.`,
          ...summary.problems.map(describeProblem),
          '',
          "Pester's report:",
          run.output,
        ].join('\n'),
      );
    }
  });
});
