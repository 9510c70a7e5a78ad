import { execFile, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** Resolves when the process has exited. */
  result: Promise<CliResult>;
  /** What it has written to stdout so far. */
  stdoutSoFar(): string;
  signal(signal: NodeJS.Signals): void;
}

const MAIN = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

/** The environment without this machine's Temporal or cloudtrust settings, so only what a test passes applies. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TEMPORAL_|CLOUDTRUST_)/.test(name) || name === 'TEMPORAL_CLI_PATH'));
}

/** Starts the built CLI (`node dist/cli/main.js`, as npm's bin does); its output can be watched while it runs. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { input?: string; timeoutMs?: number } = {}): RunningCli {
  let stdout = '';
  let child: ChildProcess | undefined;
  const result = new Promise<CliResult>((resolve, reject) => {
    child = execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...cleanEnv(), CLOUDTRUST_LOG_LEVEL: 'warn', ...env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, out, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) reject(new Error(`cloudtrust ${args.join(' ')} did not exit normally: ${error?.message}\n${stderr}`));
        else resolve({ code, stdout: out, stderr });
      },
    );
    child.stdout?.on('data', (chunk: Buffer | string) => (stdout += chunk.toString()));
    child.stdin?.end(options.input ?? '');
  });
  return { result, stdoutSoFar: () => stdout, signal: (signal) => child?.kill(signal) };
}

/** Runs the built CLI to its end and collects its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, env, options).result;
}
