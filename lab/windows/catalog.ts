import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../../activities/bridge/paths';
import { describeIssues } from '../../model/zod-issues';

/** The command catalog (lab/windows/catalog/*.json; its README is the reference of the shape). */

export const PARAMETER_TYPES = {
  string: 'string',
  'string[]': 'string[]',
  int: 'int',
  'int[]': 'int[]',
  long: 'long',
  uint: 'uint32',
  bool: 'bool',
  switch: 'switch',
  object: 'object',
  'object[]': 'object[]',
  hashtable: 'hashtable',
  scriptblock: 'scriptblock',
  pscredential: 'System.Management.Automation.PSCredential',
  securestring: 'System.Security.SecureString',
  datetime: 'datetime',
  guid: 'guid',
  'guid[]': 'guid[]',
  version: 'version',
  x509certificate: 'System.Security.Cryptography.X509Certificates.X509Certificate2',
} as const;

const parameterSetUse = z
  .object({
    mandatory: z.boolean().optional(),
    position: z.number().int().nonnegative().optional(),
    valueFromPipeline: z.boolean().optional(),
    valueFromPipelineByPropertyName: z.boolean().optional(),
  })
  .passthrough();

const parameterSchema = z
  .object({
    type: z.string().refine((t) => t in PARAMETER_TYPES, { message: `type must be one of ${Object.keys(PARAMETER_TYPES).join(', ')}` }),
    sets: z.record(z.string(), parameterSetUse).optional(),
    values: z.array(z.string()).optional(),
    aliases: z.array(z.string()).optional(),
    note: z.string().optional(),
    source: z.string().optional(),
  })
  .passthrough();

const commandSchema = z
  .object({
    source: z.string().min(1),
    defaultParameterSet: z.string().optional(),
    supportsShouldProcess: z.boolean().optional(),
    parameters: z.record(z.string(), parameterSchema),
    outputs: z.array(z.string()).default([]),
    errors: z.array(z.string()).default([]),
    note: z.string().optional(),
  })
  .passthrough();

const typeSchema = z
  .object({
    source: z.string().optional(),
    properties: z.record(z.string(), z.string()),
    extraProperties: z.enum(['requested', 'any']).optional(),
    /** Property -> the first module version whose objects have it: an object written by an older version lacks it. */
    propertiesSince: z.record(z.string(), z.string()).optional(),
    note: z.string().optional(),
  })
  .passthrough();

const errorSchema = z
  .object({
    source: z.string().optional(),
    exceptionType: z.string().min(1),
    fullyQualifiedErrorId: z.string().min(1),
    category: z.string().min(1),
    message: z.string().min(1),
    note: z.string().optional(),
  })
  .passthrough();

const moduleSchema = z
  .object({
    module: z.string().min(1),
    version: z.string().regex(/^\d+(\.\d+){1,3}$/).default('1.0.0'),
    source: z.string().optional(),
    /**
     * What the real module's commands are: compiled cmdlets (`binary`) follow the caller's preference variables;
     * advanced functions of a script module (`script`) see only their module's and the global scope, so global
     * strict mode reaches into them and the caller's $ErrorActionPreference/$WarningPreference does not.
     */
    implementation: z.enum(['binary', 'script']).default('binary'),
    commands: z.record(z.string(), commandSchema).default({}),
    types: z.record(z.string(), typeSchema).default({}),
    errors: z.record(z.string(), errorSchema).default({}),
    /** `response: true`: the exception carries the HTTP response (status, Retry-After) as a Response property, as the Graph SDK's does. */
    exceptionTypes: z.record(z.string(), z.object({ base: z.string(), source: z.string().optional(), response: z.boolean().optional() }).passthrough()).optional(),
  })
  .passthrough();

export type CatalogModule = z.infer<typeof moduleSchema>;
export type CatalogCommand = z.infer<typeof commandSchema>;
export type CatalogParameter = z.infer<typeof parameterSchema>;
export type CatalogType = z.infer<typeof typeSchema>;
export type CatalogError = z.infer<typeof errorSchema>;

export interface Catalog {
  modules: CatalogModule[];
  /** Command name (case-insensitive key, lower case) -> its module and declaration. */
  command(name: string): { module: CatalogModule; command: CatalogCommand; name: string } | undefined;
  type(name: string): CatalogType | undefined;
  error(module: CatalogModule, key: string): CatalogError | undefined;
  /** Exception types the lab must define (they do not exist in PowerShell 7): full name -> base type. */
  exceptionTypes: Map<string, string>;
  exceptionResponses: Set<string>;
}

export function catalogDir(): string {
  return path.join(projectRoot(), 'lab', 'windows', 'catalog');
}

let loaded: Catalog | undefined;

export function loadCatalog(dir = catalogDir()): Catalog {
  if (loaded && dir === catalogDir()) return loaded;
  const modules: CatalogModule[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const where = path.join('lab/windows/catalog', file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = moduleSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${where} is not a valid catalog module:\n  ${describeIssues(parsed.error).join('\n  ')}`);
    modules.push(parsed.data);
  }
  const commands = new Map<string, { module: CatalogModule; command: CatalogCommand; name: string }>();
  const types = new Map<string, CatalogType>();
  const exceptionTypes = new Map<string, string>();
  const exceptionResponses = new Set<string>();
  for (const module of modules) {
    for (const [name, command] of Object.entries(module.commands)) commands.set(name.toLowerCase(), { module, command, name });
    for (const [name, type] of Object.entries(module.types)) types.set(name, type);
    for (const [name, info] of Object.entries(module.exceptionTypes ?? {})) {
      exceptionTypes.set(name, info.base);
      if (info.response) exceptionResponses.add(name);
    }
  }
  const catalog: Catalog = {
    modules,
    command: (name) => commands.get(name.toLowerCase()),
    type: (name) => types.get(name),
    error: (module, key) => module.errors[key] ?? modules.flatMap((m) => (m.errors[key] ? [m.errors[key]] : []))[0],
    exceptionTypes,
    exceptionResponses,
  };
  if (dir === catalogDir()) loaded = catalog;
  return catalog;
}
