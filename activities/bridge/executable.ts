import { z } from 'zod';
import { labHostExecutable } from './paths';

/** Which program the bridge speaks to. The lab host is the embedded default; pwsh and powershell.exe run the real scripts. */
export interface ExecutableConfig {
  kind: 'lab' | 'pwsh' | 'powershell' | 'custom';
  executable: string;
  /** Flags in node-powershell's map form; it adds -NoLogo, -NoExit and -Command - itself. */
  executableOptions: Record<string, string | boolean>;
  env: NodeJS.ProcessEnv;
}

const executionPolicy = z.enum(['AllSigned', 'RemoteSigned', 'Bypass', 'Unrestricted']);

/**
 * CLOUDTRUST_POWERSHELL: `lab` (default), `pwsh`, `powershell` (Windows PowerShell 5.1) or a path to a PowerShell executable.
 * CLOUDTRUST_PS_EXECUTION_POLICY: the -ExecutionPolicy for real PowerShell (default RemoteSigned).
 */
export function resolveExecutable(env: NodeJS.ProcessEnv = process.env): ExecutableConfig {
  const choice = env.CLOUDTRUST_POWERSHELL?.trim() || 'lab';
  const baseOptions = { '-NoProfile': true, '-NonInteractive': true };
  const childEnv: NodeJS.ProcessEnv = { ...env, NO_COLOR: '1' };
  if (choice === 'lab') {
    return { kind: 'lab', executable: labHostExecutable(), executableOptions: baseOptions, env: childEnv };
  }
  const policy = executionPolicy.safeParse(env.CLOUDTRUST_PS_EXECUTION_POLICY ?? 'RemoteSigned');
  if (!policy.success) {
    throw new Error(`CLOUDTRUST_PS_EXECUTION_POLICY must be one of ${executionPolicy.options.join(', ')}; got ${JSON.stringify(env.CLOUDTRUST_PS_EXECUTION_POLICY)}`);
  }
  const options = { ...baseOptions, '-ExecutionPolicy': policy.data, '-OutputFormat': 'Text' };
  if (choice === 'pwsh' || choice === 'powershell') return { kind: choice, executable: choice, executableOptions: options, env: childEnv };
  return { kind: 'custom', executable: choice, executableOptions: options, env: childEnv };
}
