import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../activities/bridge/paths';
import { cacheRoot } from '../worker/provisioning';
import { EstateStore } from './estate/store';
import type { LabEstate } from './estate/schema';
import { estatePath } from './estate/estate-file';
import { LabService } from './service/server';
import { processStateDir } from './windows/commands/packages/host-process';
import { loadCatalog } from './windows/catalog';
import { generateLabModules, isPlatformModule, type GeneratedLab } from './windows/generate';

/** What a lab PowerShell process needs: the environment that points it at the stubs and the service, and its first line. */
export interface LabSession {
  env: NodeJS.ProcessEnv;
  /** Sent before the dispatcher: the lab's module path (stubs first, then PowerShell's own), and the remoting stand-in. */
  prelude: string[];
  service: LabService;
}

const running = new Map<string, Promise<{ service: LabService; generated: GeneratedLab; hostModules: string }>>();

/**
 * Starts (once per estate file and Node process) the lab estate service and generates the stub modules; every
 * lab PowerShell process of this Node process then talks to that service.
 */
export async function prepareLabSession(env: NodeJS.ProcessEnv): Promise<LabSession> {
  const file = estatePath(env, projectRoot());
  let started = running.get(file);
  if (!started) {
    started = (async () => {
      const generated = generateLabModules(path.join(cacheRoot(env), 'lab-modules'));
      const hostModules = path.join(path.dirname(file), `${path.basename(file, '.json')}.host-modules`);
      const service = await LabService.start(file, { afterChange: (estate) => syncHostModules(estate, generated, hostModules) });
      syncHostModules(await new EstateStore(file).read(), generated, hostModules);
      return { service, generated, hostModules };
    })();
    running.set(file, started);
    started.catch(() => running.delete(file));
  }
  const { service, generated, hostModules } = await started;
  const estate = await new EstateStore(file).read();
  return {
    service,
    env: {
      CLOUDTRUST_LAB_ENDPOINT: service.endpoint,
      CLOUDTRUST_LAB_TOKEN: service.token,
      CLOUDTRUST_LAB_PSMODULEPATH: [generated.modulesDir, hostModules].join(path.delimiter),
      COMPUTERNAME: estate.managementHost.hostName,
      SystemRoot: 'C:\\Windows',
      ProgramData: 'C:\\ProgramData',
      // Read by the lab's host module (lab/windows/powershell/Cloudtrust.Lab.Host): the process token and TLS defaults.
      CLOUDTRUST_LAB_ELEVATED: String(estate.managementHost.elevated),
      CLOUDTRUST_LAB_TLS12_BY_DEFAULT: String(estate.managementHost.tls12ByDefault),
      CLOUDTRUST_LAB_TLS_SYSTEM_DEFAULT: String(estate.managementHost.tlsSystemDefault),
      CLOUDTRUST_LAB_PROCESS_DIR: processStateDir(),
    },
    prelude: [
      // PowerShell 7 puts the user's, the machine's and its own module folders before PSModulePath; the lab's stubs must come first.
      "$env:PSModulePath = $env:CLOUDTRUST_LAB_PSMODULEPATH + [System.IO.Path]::PathSeparator + [System.IO.Path]::Combine($PSHOME, 'Modules'); Import-Module -Name 'Cloudtrust.Lab.Session'; Import-Module -Name 'Cloudtrust.Lab.Host'",
    ],
  };
}

/** The RSAT and Graph modules of the host: as the estate lists them, else every one the catalog has at its version. */
export function platformModulesOf(estate: LabEstate): Array<{ name: string; version: string }> {
  return estate.managementHost.platformModules ?? loadCatalog().modules.filter((m) => isPlatformModule(m.module)).map((m) => ({ name: m.module, version: m.version }));
}

/**
 * The management host's installed modules (estate.managementHost.modules and its RSAT and Graph modules) as module
 * folders that the real Get-Module -ListAvailable finds: a copy of the stub per installed version, with that version
 * in its manifest.
 */
export function syncHostModules(estate: LabEstate, generated: GeneratedLab, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const installed = [...estate.managementHost.modules, ...platformModulesOf(estate)];
  const wanted = new Set(installed.map((m) => `${m.name}/${m.version}`));
  for (const name of readdirSync(dir)) {
    for (const version of existsSync(path.join(dir, name)) ? readdirSync(path.join(dir, name)) : []) {
      if (!wanted.has(`${name}/${version}`)) rmSync(path.join(dir, name, version), { recursive: true, force: true });
    }
  }
  for (const module of installed) {
    const source = path.join(generated.galleryDir, module.name);
    const target = path.join(dir, module.name, module.version);
    if (existsSync(target) || !existsSync(source)) continue;
    cpSync(source, target, { recursive: true });
    const manifest = path.join(target, `${module.name}.psd1`);
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/ModuleVersion\s*=\s*'[^']*'/, `ModuleVersion     = '${module.version}'`));
  }
}
