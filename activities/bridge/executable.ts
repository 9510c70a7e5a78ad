import path from 'node:path';
import { z } from 'zod';
import { ensurePowerShell } from '../../worker/powershell-install';

/** Which PowerShell the bridge speaks to, and how: the lab runs the real scripts in PowerShell 7 against simulated Windows. */
export interface ExecutableConfig {
  kind: 'lab' | 'pwsh' | 'powershell' | 'custom';
  /** Flags in node-powershell's map form; it adds -NoLogo, -NoExit and -Command - itself. */
  executableOptions: Record<string, string | boolean>;
  env: NodeJS.ProcessEnv;
  /** Finds (or installs) the executable and, for the lab, starts the estate service; memoised. */
  prepare: () => Promise<PreparedExecutable>;
}

export interface PreparedExecutable {
  executable: string;
  env: NodeJS.ProcessEnv;
  /** Lines sent before the dispatcher (the lab's module path and remoting stand-in); none on a real host. */
  prelude: string[];
}

const executionPolicy = z.enum(['AllSigned', 'RemoteSigned', 'Bypass', 'Unrestricted']);

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    value.catch(() => (value = undefined));
    return value;
  };
}

/**
 * CLOUDTRUST_POWERSHELL: `lab` (default: PowerShell 7 against the lab estate), `pwsh`, `powershell` (Windows
 * PowerShell 5.1) or a path to a PowerShell executable. PowerShell 7 for `lab` and `pwsh` comes from PATH, the
 * per-user cache, or `dotnet tool install` into that cache (worker/powershell-install.ts).
 * CLOUDTRUST_PS_EXECUTION_POLICY: the -ExecutionPolicy for real PowerShell (default RemoteSigned).
 */
export function resolveExecutable(env: NodeJS.ProcessEnv = process.env): ExecutableConfig {
  const choice = env.CLOUDTRUST_POWERSHELL?.trim() || 'lab';
  const childEnv: NodeJS.ProcessEnv = { ...env, NO_COLOR: '1' };
  const policy = executionPolicy.safeParse(env.CLOUDTRUST_PS_EXECUTION_POLICY ?? 'RemoteSigned');
  if (!policy.success) {
    throw new Error(`CLOUDTRUST_PS_EXECUTION_POLICY must be one of ${executionPolicy.options.join(', ')}; got ${JSON.stringify(env.CLOUDTRUST_PS_EXECUTION_POLICY)}`);
  }
  const options = { '-NoProfile': true, '-NonInteractive': true, '-ExecutionPolicy': policy.data, '-OutputFormat': 'Text' };
  if (choice === 'lab') {
    return {
      kind: 'lab',
      executableOptions: options,
      env: childEnv,
      prepare: once(async () => {
        const executable = await ensurePowerShell({ env });
        // Loaded lazily: a worker on a real management host never starts the lab.
        const { prepareLabSession } = await import('../../lab/runtime');
        const lab = await prepareLabSession(env);
        return { executable, env: { ...childEnv, ...lab.env }, prelude: lab.prelude };
      }),
    };
  }
  if (choice === 'pwsh') {
    return { kind: 'pwsh', executableOptions: options, env: childEnv, prepare: once(async () => ({ executable: await ensurePowerShell({ env }), env: childEnv, prelude: [] })) };
  }
  const executable = choice === 'powershell' ? choice : path.resolve(choice);
  return { kind: choice === 'powershell' ? 'powershell' : 'custom', executableOptions: options, env: childEnv, prepare: async () => ({ executable, env: childEnv, prelude: [] }) };
}
