import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot, elapsedSeconds, exeName, findOnPath, isExecutableFile, runInstallCommand, underInstallLock } from './provisioning';

/** The PowerShell global tool version cloudtrust installs when no pwsh is found. */
export const POWERSHELL_VERSION = '7.6.9';

const LOCK_STALE_MS = 20 * 60_000;

export class PowerShellUnavailableError extends Error {
  override readonly name = 'PowerShellUnavailableError';
}

export interface EnsurePowerShellOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** `<cache>/powershell/<version>`: the tool path `dotnet tool install --tool-path` fills (relocatable). */
export function powershellCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'powershell', POWERSHELL_VERSION);
}

/**
 * Absolute path of PowerShell 7, found in this order: `pwsh` on PATH, the per-user cache, or installed into that
 * cache with `dotnet tool install PowerShell --version 7.6.9` (under a lock, with progress). CLOUDTRUST_POWERSHELL
 * set to a path or to `powershell` is handled by the caller and never reaches here.
 */
export async function ensurePowerShell(options: EnsurePowerShellOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const onPath = await findOnPath('pwsh', env);
  if (onPath) return onPath;
  const dir = powershellCacheDir(env);
  const cached = path.join(dir, exeName('pwsh'));
  if (await isExecutableFile(cached)) return cached;
  const dotnet = await findOnPath('dotnet', env);
  if (!dotnet) throw new PowerShellUnavailableError(unavailableMessage(cached));
  await underInstallLock(
    { file: `${dir}.lock`, what: `PowerShell ${POWERSHELL_VERSION}`, staleMs: LOCK_STALE_MS, done: () => isExecutableFile(cached), log },
    () => dotnetToolInstall({ dotnet, env, dir, log }),
  );
  return cached;
}

interface InstallRequest {
  dotnet: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  log: (line: string) => void;
}

async function dotnetToolInstall(request: InstallRequest): Promise<void> {
  const parent = path.dirname(request.dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, '.install-'));
  const started = Date.now();
  request.log(`Installing PowerShell ${POWERSHELL_VERSION} with ${request.dotnet} tool install into ${request.dir} (once per machine; put pwsh on PATH to skip this)...`);
  try {
    const { failure, lastLines } = await runInstallCommand({
      command: request.dotnet,
      args: ['tool', 'install', 'PowerShell', '--version', POWERSHELL_VERSION, '--tool-path', staging],
      env: { ...request.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      log: request.log,
      progress: 'still installing PowerShell',
    });
    if (failure) {
      throw new PowerShellUnavailableError(
        `dotnet tool install PowerShell --version ${POWERSHELL_VERSION} ${failure}.\nLast output:\n${lastLines}\n\n${unavailableMessage(path.join(request.dir, exeName('pwsh')))}`,
      );
    }
    if (!(await isExecutableFile(path.join(staging, exeName('pwsh'))))) throw new Error(`dotnet tool install succeeded but left no pwsh in ${staging}`);
    await rm(request.dir, { recursive: true, force: true });
    await rename(staging, request.dir);
    request.log(`PowerShell ${POWERSHELL_VERSION} ready at ${path.join(request.dir, exeName('pwsh'))} (${elapsedSeconds(started)}s)`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function unavailableMessage(cachedPath: string): string {
  return [
    `No PowerShell 7 found, and the .NET SDK is not installed to install one. Provide it in one of three ways:`,
    `  1. install PowerShell 7 so that 'pwsh' is on your PATH (https://learn.microsoft.com/powershell/scripting/install/installing-powershell);`,
    `  2. set CLOUDTRUST_POWERSHELL to the path of a pwsh executable;`,
    `  3. install the .NET SDK (8 or later), and cloudtrust will run 'dotnet tool install PowerShell --version ${POWERSHELL_VERSION}'`,
    `     into ${path.dirname(cachedPath)}.`,
  ].join('\n');
}
