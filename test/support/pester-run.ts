import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface PesterProblem {
  kind: 'test' | 'block' | 'container';
  name: string;
  result: string;
  file: string;
  errors: string[];
}

export interface PesterContainer {
  path: string;
  result: string;
  tests: number;
  errors: string[];
}

/** What test/pester/Invoke-PesterSuites.ps1 writes. */
export interface PesterSummary {
  pester: string;
  powershell: string;
  edition: string;
  result: string;
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
  inconclusive: number;
  containers: PesterContainer[];
  problems: PesterProblem[];
}

export interface PesterRun {
  summary: PesterSummary;
  /** Pester's own report (stdout and stderr, interleaved). */
  output: string;
}

export interface RunPesterOptions {
  powershell: string;
  pesterManifest: string;
  /** The runner script: imports Pester, runs the suites, writes the summary. */
  runner: string;
  timeoutMs: number;
  /** Folders of stand-in modules (the lab's generated stubs: the real commands' parameters), first on PSModulePath. */
  standInPaths: string[];
}

export async function runPesterSuites(options: RunPesterOptions): Promise<PesterRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-pester-run-'));
  const summaryPath = path.join(dir, 'summary.json');
  try {
    const args = ['-NoProfile', '-NonInteractive', '-File', options.runner, '-PesterManifest', options.pesterManifest, '-SummaryPath', summaryPath];
    const { output, outcome } = await run(options.powershell, args, options.timeoutMs, options.standInPaths);
    const text = await readFile(summaryPath, 'utf8').catch(() => undefined);
    if (text === undefined) throw new Error(`${path.basename(options.runner)} ${outcome} without writing its summary.\n${output}`);
    return { summary: normalise(JSON.parse(text.replace(/^\uFEFF/, '')) as PesterSummary), output };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number, standInPaths: string[]): Promise<{ output: string; outcome: string }> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    // A zone behind UTC (without daylight saving), so that a local time taken for UTC reads as earlier than it is
    // even on a machine that runs in UTC.
    const env = { ...process.env, TZ: 'Pacific/Honolulu', CLOUDTRUST_PESTER_STAND_INS: standInPaths.join(path.delimiter) };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ output: chunks.join(''), outcome: `could not be started (${error.message})` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const outcome = signal ? `was killed by ${signal}${signal === 'SIGKILL' ? ` after ${timeoutMs / 1000} s` : ''}` : `exited with code ${code}`;
      resolve({ output: chunks.join(''), outcome });
    });
  });
}

/** A list that PowerShell unrolled into one value, or into nothing, still reads as a list. */
function normalise(summary: PesterSummary): PesterSummary {
  const list = <T>(value: T | T[] | null | undefined): T[] => (value == null ? [] : Array.isArray(value) ? value : [value]);
  return {
    ...summary,
    containers: list(summary.containers).map((container) => ({ ...container, errors: list(container.errors) })),
    problems: list(summary.problems).map((problem) => ({ ...problem, errors: list(problem.errors) })),
  };
}
