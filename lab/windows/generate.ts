import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../activities/bridge/paths';
import { catalogDir, loadCatalog, PARAMETER_TYPES, type Catalog, type CatalogCommand, type CatalogModule } from './catalog';

/** Commands of Windows.json that the management host's own session gets (the rest run inside simulated remote computers). */
export const SESSION_COMMANDS = new Set(['invoke-command', 'new-pssessionoption']);
/** Modules a management host has only once Install-Module put them there: generated into gallery/, never on PSModulePath. */
export const GALLERY_MODULES = new Set(['AzureADHybridAuthenticationManagement']);
/** RSAT and Microsoft.Graph modules: generated into gallery/ too, and on a host's module path as the estate lists them (managementHost.platformModules). */
export const isPlatformModule = (name: string) => name === 'ActiveDirectory' || name === 'GroupPolicy' || name.startsWith('Microsoft.Graph.');
/** Commands PowerShell 7 has for real and the lab leaves alone even where the catalog documents them. */
const REAL_COMMANDS = new Set(['join-path', 'split-path', 'resolve-path', 'get-content', 'set-content', 'start-sleep', 'get-date']);

const COMMON = new Set(['verbose', 'debug', 'erroraction', 'warningaction', 'informationaction', 'progressaction', 'errorvariable', 'warningvariable', 'informationvariable', 'outvariable', 'outbuffer', 'pipelinevariable', 'whatif', 'confirm']);
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const COMMAND_NAME = /^[A-Za-z]+-[A-Za-z0-9]+$/;

export interface GeneratedLab {
  /** Goes first on PSModulePath. */
  modulesDir: string;
  /** Modules Install-Module copies into a host's module folder. */
  galleryDir: string;
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function parameterBlock(command: CatalogCommand, where: string): string[] {
  const lines: string[] = [];
  for (const [name, parameter] of Object.entries(command.parameters)) {
    if (COMMON.has(name.toLowerCase())) continue;
    if (!NAME.test(name)) throw new Error(`${where}: parameter name ${JSON.stringify(name)} cannot be generated`);
    const attributes: string[] = [];
    const sets = Object.entries(parameter.sets ?? {});
    const top = parameter as { mandatory?: boolean; position?: number; valueFromPipeline?: boolean };
    const uses = sets.length > 0 ? sets : [[undefined, top] as const];
    for (const [set, use] of uses) {
      const parts: string[] = [];
      if (set !== undefined && set !== '__AllParameterSets') parts.push(`ParameterSetName = ${quote(set)}`);
      if (use.mandatory) parts.push('Mandatory = $true');
      if (use.position !== undefined) parts.push(`Position = ${use.position}`);
      if (use.valueFromPipeline) parts.push('ValueFromPipeline = $true');
      if ((use as { valueFromPipelineByPropertyName?: boolean }).valueFromPipelineByPropertyName) parts.push('ValueFromPipelineByPropertyName = $true');
      attributes.push(`        [Parameter(${parts.join(', ')})]`);
    }
    if (parameter.aliases?.length) attributes.push(`        [Alias(${parameter.aliases.map(quote).join(', ')})]`);
    if (parameter.values?.length) attributes.push(`        [ValidateSet(${parameter.values.map(quote).join(', ')})]`);
    const type = PARAMETER_TYPES[parameter.type as keyof typeof PARAMETER_TYPES];
    lines.push(`${attributes.join('\n')}\n        [${type}]$${name}`);
  }
  return lines;
}

function commandFunction(moduleName: string, name: string, command: CatalogCommand, body: string): string {
  const where = `${moduleName}/${name}`;
  if (!COMMAND_NAME.test(name)) throw new Error(`${where}: command name cannot be generated`);
  // Binary cmdlets bind by position only where a parameter declares one.
  const binding: string[] = ['PositionalBinding = $false'];
  if (command.defaultParameterSet) binding.push(`DefaultParameterSetName = ${quote(command.defaultParameterSet)}`);
  if (command.supportsShouldProcess) binding.push('SupportsShouldProcess = $true');
  const outputs = command.outputs.length ? `    [OutputType(${command.outputs.map(quote).join(', ')})]\n` : '';
  return [
    `# ${command.source}`,
    `function ${name} {`,
    `    [CmdletBinding(${binding.join(', ')})]`,
    `${outputs}    param(`,
    parameterBlock(command, where).join(',\n'),
    '    )',
    `    process { ${body} }`,
    '}',
    '',
  ].join('\n');
}

/**
 * A script module's stand-in is no more strict-mode clean than the real ones (psget/psget#55 and #57,
 * OneGet/oneget#112): it sets no strict mode of its own and reads a script variable it never assigns. Since
 * PowerShell 3 a strict mode set outside a module does not reach into it (ExecutionContext.IsStrictVersion stops at
 * the module scope), so this only fails where a caller could make it strict.
 */
const SCRIPT_MODULE_READ = 'if ($script:LabModuleOptions) { }';

function moduleFiles(module: CatalogModule, name: string, commands: Array<[string, CatalogCommand]>, bodyOf: (command: string) => string, extra = '', extraExports: string[] = []) {
  const script = module.implementation === 'script';
  const strictness = script ? '' : 'Set-StrictMode -Version Latest\n';
  const importCost = script ? `Wait-LabModuleImport -Name ${quote(name)}\n` : '';
  const header = `# Generated by the cloudtrust lab from lab/windows/catalog (${module.module}). A stand-in for ${name} on Linux PowerShell 7; never edit.\n${strictness}Import-Module -Name 'Cloudtrust.Lab'\n${importCost}\n`;
  const functions = commands.map(([command, declaration]) => commandFunction(name, command, declaration, bodyOf(command)));
  const exports = [...commands.map(([command]) => command), ...extraExports];
  const psm1 = `${header}${functions.join('\n')}${extra}\nExport-ModuleMember -Function ${exports.map(quote).join(', ')}\n`;
  const guid = createHash('sha256').update(name).digest('hex');
  const psd1 = [
    '@{',
    `    RootModule        = ${quote(`${name}.psm1`)}`,
    `    ModuleVersion     = ${quote(module.version)}`,
    `    GUID              = '${guid.slice(0, 8)}-${guid.slice(8, 12)}-${guid.slice(12, 16)}-${guid.slice(16, 20)}-${guid.slice(20, 32)}'`,
    `    Description       = ${quote(`cloudtrust lab stand-in for ${name}`)}`,
    `    FunctionsToExport = @(${exports.map(quote).join(', ')})`,
    '    CmdletsToExport   = @()',
    '    VariablesToExport = @()',
    '    AliasesToExport   = @()',
    '}',
    '',
  ].join('\n');
  return { psm1, psd1 };
}

function writeModule(dir: string, name: string, files: { psm1: string; psd1: string }): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, `${name}.psm1`), files.psm1);
  writeFileSync(path.join(dir, name, `${name}.psd1`), files.psd1);
}

function exceptionSource(catalog: Catalog): string {
  const byNamespace = new Map<string, string[]>();
  const ordered = [...catalog.exceptionTypes.entries()].sort(([a], [b]) => depth(catalog, a) - depth(catalog, b) || a.localeCompare(b));
  for (const [fullName, base] of ordered) {
    const cut = fullName.lastIndexOf('.');
    const ns = fullName.slice(0, cut);
    const name = fullName.slice(cut + 1);
    const members = byNamespace.get(ns) ?? [];
    const response = catalog.exceptionResponses.has(fullName)
      ? ` public global::System.Net.Http.HttpResponseMessage Response { get; set; } public ${name}(string message, global::System.Net.Http.HttpResponseMessage response) : base(message) { Response = response; }`
      : '';
    members.push(`    public class ${name} : global::${base} { public ${name}() : base() {} public ${name}(string message) : base(message) {} public ${name}(string message, global::System.Exception inner) : base(message, inner) {}${response} }`);
    byNamespace.set(ns, members);
  }
  return [...byNamespace.entries()].map(([ns, members]) => `namespace ${ns} {\n${members.join('\n')}\n}`).join('\n');
}

function depth(catalog: Catalog, name: string): number {
  let count = 0;
  for (let current = catalog.exceptionTypes.get(name); current && count < 20; current = catalog.exceptionTypes.get(current)) count += 1;
  return count;
}

function labSources(): string[] {
  const dir = path.join(projectRoot(), 'lab', 'windows', 'powershell');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}

/** Generates the stub modules into `<root>/<hash of catalog and lab sources>/` once; later calls reuse them. */
export function generateLabModules(root: string): GeneratedLab {
  const hash = createHash('sha256');
  for (const file of [...readdirSync(catalogDir()).map((f) => path.join(catalogDir(), f)).sort(), ...labSources(), __filename]) {
    hash.update(file).update(readFileSync(file));
  }
  const target = path.join(root, hash.digest('hex').slice(0, 16));
  const result = { modulesDir: path.join(target, 'modules'), galleryDir: path.join(target, 'gallery') };
  if (existsSync(path.join(target, 'complete'))) return result;
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const modulesDir = path.join(staging, 'modules');
  const galleryDir = path.join(staging, 'gallery');
  mkdirSync(modulesDir, { recursive: true });
  mkdirSync(galleryDir, { recursive: true });
  // The lab's own modules (Cloudtrust.Lab: the stubs' bridge to the service; Cloudtrust.Lab.Host: the host process).
  const labModules = path.join(projectRoot(), 'lab', 'windows', 'powershell');
  for (const entry of readdirSync(labModules, { withFileTypes: true })) {
    if (entry.isDirectory()) cpSync(path.join(labModules, entry.name), path.join(modulesDir, entry.name), { recursive: true });
  }
  const catalog = loadCatalog();
  const exceptions = exceptionSource(catalog);
  if (exceptions) writeFileSync(path.join(modulesDir, 'Cloudtrust.Lab.Exceptions.cs'), exceptions);
  const stubBody = (module: string) => (command: string) => `Invoke-LabCommand -Module ${quote(module)} -Command ${quote(command)} -Caller $PSCmdlet -Bound $PSBoundParameters`;
  const scriptStubBody = (module: string) => (command: string) => `${SCRIPT_MODULE_READ}; ${stubBody(module)(command)} -ScriptModule`;
  for (const module of catalog.modules) {
    const commands = Object.entries(module.commands).filter(([name]) => !REAL_COMMANDS.has(name.toLowerCase()));
    if (module.module === 'Windows') {
      const session = commands.filter(([name]) => SESSION_COMMANDS.has(name.toLowerCase()));
      const remote = commands.filter(([name]) => !SESSION_COMMANDS.has(name.toLowerCase()));
      writeModule(modulesDir, 'Cloudtrust.Lab.Session', moduleFiles(module, 'Cloudtrust.Lab.Session', session, (command) => (command.toLowerCase() === 'new-pssessionoption' ? 'New-LabSessionOption' : 'Invoke-LabRemoting') + ' -Caller $PSCmdlet -Bound $PSBoundParameters'));
      const dsregcmd = "\nfunction Invoke-LabDsregcmd { Invoke-LabNative -Name 'dsregcmd.exe' -Arguments $args }\nInitialize-LabRemoteHost\n";
      writeModule(modulesDir, 'Cloudtrust.Lab.RemoteHost', moduleFiles(module, 'Cloudtrust.Lab.RemoteHost', remote, stubBody('Windows'), dsregcmd, ['Invoke-LabDsregcmd']));
      continue;
    }
    const dir = GALLERY_MODULES.has(module.module) || isPlatformModule(module.module) ? galleryDir : modulesDir;
    writeModule(dir, module.module, moduleFiles(module, module.module, commands, (module.implementation === 'script' ? scriptStubBody : stubBody)(module.module)));
  }
  writeFileSync(path.join(staging, 'complete'), new Date().toISOString());
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'complete'))) throw error;
  }
  return result;
}
