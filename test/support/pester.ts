import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cacheRoot, elapsedSeconds, findOnPath, runInstallCommand, underInstallLock } from '../../worker/provisioning';

/**
 * The Pester the PowerShell suites run on. The 5.x line loads on Windows PowerShell 5.1 (its net452 assembly) and on
 * PowerShell 7 (netstandard2.0) alike; 6.x is a new major version with a changed assertion syntax.
 */
export const PESTER_VERSION = '5.9.1';

const LOCK_STALE_MS = 10 * 60_000;

export class PesterUnavailableError extends Error {
  override readonly name = 'PesterUnavailableError';
}

export interface EnsurePesterOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** `<cache>/pester/<version>`: holds the NuGet packages folder `dotnet restore --packages` filled. */
export function pesterCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'pester', PESTER_VERSION);
}

/**
 * Absolute path of the Pester.psd1 to import: from the per-user cache, or restored into it from NuGet first (the
 * Pester package, with `dotnet restore`, under a lock, with progress).
 */
export async function ensurePester(options: EnsurePesterOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = pesterCacheDir(env);
  const cached = await findManifest(dir);
  if (cached) return cached;
  const dotnet = await findOnPath('dotnet', env);
  if (!dotnet) throw new PesterUnavailableError(unavailableMessage(dir));
  await underInstallLock(
    { file: `${dir}.lock`, what: `Pester ${PESTER_VERSION}`, staleMs: LOCK_STALE_MS, done: async () => (await findManifest(dir)) !== undefined, log },
    () => restore({ dotnet, env, dir, log }),
  );
  const restored = await findManifest(dir);
  if (!restored) throw new Error(`Pester ${PESTER_VERSION} was restored into ${dir}, but it holds no Pester.psd1`);
  return restored;
}

/** NuGet lays a package out as `<packages>/<lowercase id>/<version>/`; the module manifest sits somewhere inside. */
async function findManifest(dir: string): Promise<string | undefined> {
  return findFile(path.join(dir, 'nuget', 'pester', PESTER_VERSION), 'pester.psd1', 3);
}

async function findFile(dir: string, lowerCaseName: string, depth: number): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const file = entries.find((entry) => entry.isFile() && entry.name.toLowerCase() === lowerCaseName);
  if (file) return path.join(dir, file.name);
  if (depth === 0) return undefined;
  for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
    const found = await findFile(path.join(dir, entry.name), lowerCaseName, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** A project that only downloads the package: no framework reference, so no targeting pack is fetched with it. */
function restoreProject(): string {
  return [
    '<Project Sdk="Microsoft.NET.Sdk">',
    '  <PropertyGroup>',
    '    <TargetFramework>net8.0</TargetFramework>',
    '    <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>',
    '  </PropertyGroup>',
    '  <ItemGroup>',
    `    <PackageDownload Include="Pester" Version="[${PESTER_VERSION}]" />`,
    '  </ItemGroup>',
    '</Project>',
    '',
  ].join('\n');
}

interface RestoreRequest {
  dotnet: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  log: (line: string) => void;
}

async function restore(request: RestoreRequest): Promise<void> {
  const parent = path.dirname(request.dir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, '.restore-'));
  const project = await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-pester-'));
  const projectFile = path.join(project, 'pester.csproj');
  const started = Date.now();
  request.log(`Restoring Pester ${PESTER_VERSION} from NuGet with ${request.dotnet} restore into ${request.dir} (once per machine)...`);
  try {
    await writeFile(projectFile, restoreProject());
    const { failure, lastLines } = await runInstallCommand({
      command: request.dotnet,
      args: ['restore', projectFile, '--packages', path.join(staging, 'nuget')],
      cwd: project,
      env: { ...request.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
      log: request.log,
      progress: 'still restoring Pester',
    });
    if (failure) {
      throw new PesterUnavailableError(`dotnet restore of Pester ${PESTER_VERSION} ${failure}.\nLast output:\n${lastLines}\n\n${unavailableMessage(request.dir)}`);
    }
    if (!(await findManifest(staging))) throw new Error(`dotnet restore succeeded but left no Pester.psd1 in ${staging}`);
    await rm(request.dir, { recursive: true, force: true });
    await rename(staging, request.dir);
    request.log(`Pester ${PESTER_VERSION} ready in ${request.dir} (${elapsedSeconds(started)}s)`);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(project, { recursive: true, force: true });
  }
}

function unavailableMessage(dir: string): string {
  return [
    `Pester ${PESTER_VERSION} is not in ${dir}, and it could not be restored from NuGet. Provide it in one of two ways:`,
    `  1. install the .NET SDK (8 or later) with a NuGet source that serves the Pester package, and run the tests again;`,
    `  2. unpack the Pester ${PESTER_VERSION} package (pester.${PESTER_VERSION}.nupkg, a zip) into ${path.join(dir, 'nuget', 'pester', PESTER_VERSION)}.`,
  ].join('\n');
}
