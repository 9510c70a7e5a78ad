import path from 'node:path';
import { z } from 'zod';
import { ensurePowerShell } from '../../worker/powershell-install';

/** Windows PowerShell 5.1 (`desktop`) or PowerShell 7 (`core`). */
export type PowerShellEdition = 'desktop' | 'core';

/** Which PowerShell the bridge speaks to, and how: the lab runs the real scripts in PowerShell 7 against simulated Windows. */
export interface ExecutableConfig {
  kind: 'lab' | 'pwsh' | 'powershell' | 'custom';
  /** The edition its processes are; the lab's (all PowerShell 7) stand for it, told so by CLOUDTRUST_LAB_EDITION. */
  edition: PowerShellEdition;
  /** Where a step that needs the other edition runs; absent: nowhere, such a step fails Unsupported. */
  otherEdition?: ExecutableConfig;
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

/** The name PowerShell gives each edition in $PSVersionTable.PSEdition. */
export const EDITION_NAMES: Record<PowerShellEdition, 'Desktop' | 'Core'> = { desktop: 'Desktop', core: 'Core' };

/**
 * CLOUDTRUST_POWERSHELL: `lab` (default: PowerShell 7 against the lab estate), `pwsh`, `powershell` (Windows
 * PowerShell 5.1) or a path to a PowerShell executable (named powershell[.exe]: 5.1; otherwise PowerShell 7). PowerShell 7 for `lab` and `pwsh` comes from PATH, the
 * per-user cache, or `dotnet tool install` into that cache (worker/powershell-install.ts).
 * CLOUDTRUST_WINDOWS_POWERSHELL: where steps that need Windows PowerShell 5.1 (the Kerberos module's) run when
 * CLOUDTRUST_POWERSHELL is PowerShell 7: `powershell` or a path (default `powershell.exe` on Windows, none elsewhere).
 * The lab keeps the editions apart too: its processes of the 5.1 set stand for Windows PowerShell 5.1
 * (CLOUDTRUST_LAB_EDITION=Desktop), the others for PowerShell 7 on Windows (Core).
 * CLOUDTRUST_PS_EXECUTION_POLICY: the -ExecutionPolicy for real PowerShell (default RemoteSigned).
 */
export function resolveExecutable(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ExecutableConfig {
  const choice = env.CLOUDTRUST_POWERSHELL?.trim() || 'lab';
  const childEnv: NodeJS.ProcessEnv = { ...env, NO_COLOR: '1' };
  const policy = executionPolicy.safeParse(env.CLOUDTRUST_PS_EXECUTION_POLICY ?? 'RemoteSigned');
  if (!policy.success) {
    throw new Error(`CLOUDTRUST_PS_EXECUTION_POLICY must be one of ${executionPolicy.options.join(', ')}; got ${JSON.stringify(env.CLOUDTRUST_PS_EXECUTION_POLICY)}`);
  }
  const options = { '-NoProfile': true, '-NonInteractive': true, '-ExecutionPolicy': policy.data, '-OutputFormat': 'Text' };
  if (choice === 'lab') {
    const lab = (edition: PowerShellEdition): ExecutableConfig => {
      const editionEnv = { ...childEnv, CLOUDTRUST_LAB_EDITION: EDITION_NAMES[edition] };
      return {
        kind: 'lab',
        edition,
        executableOptions: options,
        env: editionEnv,
        prepare: once(async () => {
          const executable = await ensurePowerShell({ env });
          // Loaded lazily: a worker on a real management host never starts the lab.
          const { prepareLabSession } = await import('../../lab/runtime');
          const session = await prepareLabSession(env);
          return { executable, env: { ...editionEnv, ...session.env }, prelude: session.prelude };
        }),
      };
    };
    return { ...lab('core'), otherEdition: lab('desktop') };
  }
  const fixed = (kind: ExecutableConfig['kind'], executable: string, edition: PowerShellEdition): ExecutableConfig => ({
    kind,
    edition,
    executableOptions: options,
    env: childEnv,
    prepare: async () => ({ executable, env: childEnv, prelude: [] }),
  });
  const configured = env.CLOUDTRUST_WINDOWS_POWERSHELL?.trim() || (platform === 'win32' ? 'powershell.exe' : '');
  const windowsPowerShell = configured ? fixed('powershell', /^powershell(\.exe)?$/i.test(configured) ? configured : path.resolve(configured), 'desktop') : undefined;
  if (choice === 'pwsh') {
    return {
      kind: 'pwsh',
      edition: 'core',
      executableOptions: options,
      env: childEnv,
      prepare: once(async () => ({ executable: await ensurePowerShell({ env }), env: childEnv, prelude: [] })),
      ...(windowsPowerShell ? { otherEdition: windowsPowerShell } : {}),
    };
  }
  if (choice === 'powershell') return fixed('powershell', choice, 'desktop');
  const executable = path.resolve(choice);
  const edition: PowerShellEdition = /(^|[\\/])powershell(\.exe)?$/i.test(choice) ? 'desktop' : 'core';
  return { ...fixed('custom', executable, edition), ...(edition === 'core' && windowsPowerShell ? { otherEdition: windowsPowerShell } : {}) };
}
