/**
 * The cmdlets the scripts may call, with their documented parameters: powershell/cmdlets.reference.json, the
 * project supplement powershell/cmdlets.local.json for cmdlets the reference lacks, and, for cmdlets neither
 * has, the lab's command catalog lab/windows/catalog/*.json where it is present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const REFERENCE_FILE = 'powershell/cmdlets.reference.json';
export const SUPPLEMENT_FILE = 'powershell/cmdlets.local.json';
export const LAB_CATALOG_DIR = 'lab/windows/catalog';

const stringList = z.array(z.string());
const parameterAliases = z.record(z.string(), stringList);

const referenceSchema = z.object({
  commonParameters: stringList,
  commonParameterAliases: parameterAliases,
  shouldProcessOnlyParameters: stringList,
  cmdlets: z.record(
    z.string(),
    z.object({
      source: z.string(),
      parameters: stringList,
      hiddenParameters: stringList.optional(),
      aliases: parameterAliases.optional(),
      supportsShouldProcess: z.boolean(),
      parametersByVersion: z.record(z.string(), stringList).optional(),
    }),
  ),
});

const supplementEntrySchema = z.object({
  documentation: z.url({ protocol: /^https?$/ }),
  parameters: stringList,
  aliases: parameterAliases.optional(),
  supportsShouldProcess: z.boolean().optional(),
});

const supplementSchema = z.object({ cmdlets: z.record(z.string(), z.unknown()) });

/** The part of a lab catalog file (lab/windows/catalog/README.md) that names parameters. */
const labCatalogSchema = z.object({
  commands: z.record(
    z.string(),
    z.object({
      source: z.string(),
      supportsShouldProcess: z.boolean().optional(),
      parameters: z.record(z.string(), z.object({ aliases: stringList.optional() })),
    }),
  ),
});

export interface CmdletEntry {
  name: string;
  catalogFile: string;
  documentation: string;
  parameters: string[];
  aliases: Record<string, string[]>;
  supportsShouldProcess: boolean;
  /** Parameters documented for Windows PowerShell 5.1, when the catalog records per-version lists. */
  parametersIn51: string[] | null;
  existsIn51: boolean;
}

export interface Catalog {
  cmdlets: Map<string, CmdletEntry>;
  commonParameters: string[];
  commonParameterAliases: Record<string, string[]>;
  shouldProcessOnlyParameters: string[];
}

export interface SupplementFinding {
  file: string;
  line: number;
  rule: 'supplement';
  message: string;
}

export interface LabCatalogFile {
  file: string;
  json: unknown;
}

function lineContaining(text: string, needle: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => line.includes(needle));
  return index === -1 ? 1 : index + 1;
}

/**
 * Lab catalog commands that neither the reference nor the supplement has. A file that does not (yet) have
 * the documented shape adds nothing: the lab's own tests judge it.
 */
function addLabCommands(cmdlets: Map<string, CmdletEntry>, labFiles: readonly LabCatalogFile[]): void {
  for (const { file, json } of labFiles) {
    const parsed = labCatalogSchema.safeParse(json);
    if (!parsed.success) continue;
    for (const [name, command] of Object.entries(parsed.data.commands)) {
      if (cmdlets.has(name.toLowerCase())) continue;
      const parameters = Object.entries(command.parameters);
      cmdlets.set(name.toLowerCase(), {
        name,
        catalogFile: file,
        documentation: command.source,
        parameters: parameters.map(([parameter]) => parameter),
        aliases: Object.fromEntries(parameters.filter(([, p]) => p.aliases).map(([parameter, p]) => [parameter, p.aliases ?? []])),
        supportsShouldProcess: command.supportsShouldProcess ?? false,
        parametersIn51: null,
        existsIn51: true,
      });
    }
  }
}

export function buildCatalog(
  referenceJson: unknown,
  supplementJson: unknown,
  supplementText = '',
  labFiles: readonly LabCatalogFile[] = [],
): { catalog: Catalog; findings: SupplementFinding[] } {
  const reference = referenceSchema.parse(referenceJson);
  const cmdlets = new Map<string, CmdletEntry>();
  for (const [name, entry] of Object.entries(reference.cmdlets)) {
    const byVersion = entry.parametersByVersion;
    cmdlets.set(name.toLowerCase(), {
      name,
      catalogFile: path.basename(REFERENCE_FILE),
      documentation: entry.source,
      parameters: [...entry.parameters, ...(entry.hiddenParameters ?? [])],
      aliases: entry.aliases ?? {},
      supportsShouldProcess: entry.supportsShouldProcess,
      parametersIn51: byVersion?.['5.1'] ?? null,
      existsIn51: byVersion === undefined || byVersion['5.1'] !== undefined,
    });
  }
  const catalog: Catalog = {
    cmdlets,
    commonParameters: reference.commonParameters,
    commonParameterAliases: reference.commonParameterAliases,
    shouldProcessOnlyParameters: reference.shouldProcessOnlyParameters,
  };

  const findings: SupplementFinding[] = [];
  const supplementFinding = (name: string | null, message: string): void => {
    const line = name === null ? 1 : lineContaining(supplementText, JSON.stringify(name));
    findings.push({ file: SUPPLEMENT_FILE, line, rule: 'supplement', message });
  };
  const supplement = supplementSchema.safeParse(supplementJson);
  if (!supplement.success) {
    supplementFinding(null, `${SUPPLEMENT_FILE} must be { "cmdlets": { ... } }: ${z.prettifyError(supplement.error)}`);
    addLabCommands(cmdlets, labFiles);
    return { catalog, findings };
  }
  for (const [name, raw] of Object.entries(supplement.data.cmdlets)) {
    if (cmdlets.has(name.toLowerCase())) {
      supplementFinding(name, `${name} is already in the reference catalog ${REFERENCE_FILE}; the supplement is only for cmdlets it lacks`);
      continue;
    }
    const entry = supplementEntrySchema.safeParse(raw);
    if (!entry.success) {
      supplementFinding(name, `${name}: every supplement entry needs a "documentation" URL (the page its parameters were read from) and "parameters": ${z.prettifyError(entry.error)}`);
      continue;
    }
    cmdlets.set(name.toLowerCase(), {
      name,
      catalogFile: path.basename(SUPPLEMENT_FILE),
      documentation: entry.data.documentation,
      parameters: entry.data.parameters,
      aliases: entry.data.aliases ?? {},
      supportsShouldProcess: entry.data.supportsShouldProcess ?? false,
      parametersIn51: null,
      existsIn51: true,
    });
  }
  addLabCommands(cmdlets, labFiles);
  return { catalog, findings };
}

export function readReference(repoRoot: string): unknown {
  return JSON.parse(readFileSync(path.join(repoRoot, REFERENCE_FILE), 'utf8'));
}

/** The lab catalog's JSON files that parse; the directory may be absent or still being written. */
export function readLabCatalog(repoRoot: string): LabCatalogFile[] {
  const directory = path.join(repoRoot, LAB_CATALOG_DIR);
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => {
      try {
        return [{ file: `${LAB_CATALOG_DIR}/${name}`, json: JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as unknown }];
      } catch {
        return [];
      }
    });
}

export function loadCatalog(repoRoot: string): { catalog: Catalog; findings: SupplementFinding[] } {
  const supplementText = readFileSync(path.join(repoRoot, SUPPLEMENT_FILE), 'utf8');
  return buildCatalog(readReference(repoRoot), JSON.parse(supplementText), supplementText, readLabCatalog(repoRoot));
}

export type ParameterResolution =
  | { kind: 'exact' | 'alias' | 'abbreviation'; canonical: string }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'unknown' };

/** Resolves a parameter the way PowerShell binds it: full name, alias, or unambiguous prefix of a full name. */
export function resolveParameter(catalog: Catalog, cmdlet: CmdletEntry, used: string): ParameterResolution {
  const wanted = used.toLowerCase();
  const names = [...cmdlet.parameters, ...catalog.commonParameters];
  const exact = names.find((name) => name.toLowerCase() === wanted);
  if (exact) return { kind: 'exact', canonical: exact };
  const aliases = { ...catalog.commonParameterAliases, ...cmdlet.aliases };
  for (const [canonical, aliasList] of Object.entries(aliases)) {
    if (aliasList.some((alias) => alias.toLowerCase() === wanted)) return { kind: 'alias', canonical };
  }
  const bindable = names.filter(
    (name) => cmdlet.supportsShouldProcess || !catalog.shouldProcessOnlyParameters.includes(name),
  );
  const candidates = bindable.filter((name) => name.toLowerCase().startsWith(wanted));
  if (candidates.length === 1) return { kind: 'abbreviation', canonical: candidates[0] };
  if (candidates.length > 1) return { kind: 'ambiguous', candidates };
  return { kind: 'unknown' };
}
