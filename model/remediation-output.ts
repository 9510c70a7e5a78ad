import { z } from 'zod';
import type { ClientFacts } from './client-assessment';

/**
 * The output of powershell/clients/Get-WhfbUserState.ps1, the Intune Remediations detection script run with the
 * logged-on credentials: one line of JSON per device. Read from a file of such lines, a JSON array of them, or the
 * remediation's device-status export (CSV) whose detection-output column holds them. Pure.
 */

export const REMEDIATION_FORMAT = 'whfb-user-state/1';

const userStateSchema = z.object({
  cloudtrust: z.literal(REMEDIATION_FORMAT),
  device: z.string().min(1),
  user: z.string().nullable(),
  collectedAt: z.string(),
  osBuild: z.string().nullable(),
  dsregcmd: z.record(z.string(), z.string()),
  events: z.array(z.object({ id: z.number().int(), timeCreated: z.string(), data: z.record(z.string(), z.string()) })),
  error: z.string().nullable(),
});

export type UserState = z.infer<typeof userStateSchema>;

export interface ImportedClients {
  /** One per device (the newest output when a device reported more than once), in the order first seen. */
  devices: ClientFacts[];
  /** Outputs that could not be read, by where they were found. */
  problems: string[];
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The candidate outputs in the file, with where each was found. */
function candidates(text: string): Array<{ where: string; json: string }> {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed)) return [{ where: 'the file', json: trimmed }];
    return parsed.map((item, i) => ({ where: `item ${i + 1}`, json: typeof item === 'string' ? item : JSON.stringify(item) }));
  }
  if (trimmed.startsWith('{')) {
    return trimmed
      .split(/\r?\n/)
      .map((line, i) => ({ where: `line ${i + 1}`, json: line.trim() }))
      .filter((c) => c.json !== '');
  }
  // A CSV export: any field that holds the detection output.
  return parseCsv(trimmed).flatMap((record, row) =>
    record.flatMap((field, column) => (field.trim().startsWith('{') && field.includes('"cloudtrust"') ? [{ where: `row ${row + 1}, column ${column + 1}`, json: field.trim() }] : [])),
  );
}

const yesNo = (value: string | undefined): boolean | null => (value === 'YES' ? true : value === 'NO' ? false : null);

export function toClientFacts(state: UserState): ClientFacts {
  const field = (name: string) => state.dsregcmd[name];
  return {
    name: state.device,
    collectedAs: 'signed-in-user',
    signedInUser: state.user,
    reachable: true,
    error: state.error,
    osBuild: state.osBuild,
    azureAdJoined: yesNo(field('Device State.AzureAdJoined')),
    domainJoined: yesNo(field('Device State.DomainJoined')),
    tenantId: field('Tenant Details.TenantId') ?? null,
    ngcSet: yesNo(field('User State.NgcSet')),
    onPremTgt: yesNo(field('SSO State.OnPremTgt')),
    cloudTgt: yesNo(field('SSO State.CloudTgt')),
    azureAdPrt: yesNo(field('SSO State.AzureAdPrt')),
    certEnrollment: field('Ngc Prerequisite Check.CertEnrollment') ?? null,
    ngcPolicyEnabled: yesNo(field('Ngc Prerequisite Check.PolicyEnabled')),
    preReqResult: field('Ngc Prerequisite Check.PreReqResult') ?? null,
    // Named CloudTGT in the prerequisite check before Windows 11 23H2, OnPremTGT since.
    prerequisiteOnPremTgt: yesNo(field('Ngc Prerequisite Check.OnPremTGT') ?? field('Ngc Prerequisite Check.CloudTGT')),
    // The script keeps the language-neutral EventData only: the rendered message is never read.
    events: state.events.map((e) => ({ id: e.id, timeCreated: e.timeCreated, level: null, message: '', data: e.data })),
  };
}

export function parseRemediationOutput(text: string): ImportedClients {
  const problems: string[] = [];
  const newest = new Map<string, UserState>();
  let found: Array<{ where: string; json: string }>;
  try {
    found = candidates(text);
  } catch (error) {
    return { devices: [], problems: [`the file is not a JSON array of outputs: ${(error as Error).message}`] };
  }
  for (const { where, json } of found) {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      problems.push(`${where}: not JSON`);
      continue;
    }
    const parsed = userStateSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(`${where}: not a ${REMEDIATION_FORMAT} output (${parsed.error.issues.map((i) => `${i.path.join('.') || 'output'}: ${i.message}`).join('; ')})`);
      continue;
    }
    const key = parsed.data.device.toLowerCase();
    const earlier = newest.get(key);
    if (!earlier || Date.parse(parsed.data.collectedAt) > Date.parse(earlier.collectedAt)) newest.set(key, parsed.data);
  }
  if (found.length === 0) problems.push(`no ${REMEDIATION_FORMAT} output found (expected lines of JSON, a JSON array, or a CSV export with the detection output column)`);
  return { devices: [...newest.values()].map(toClientFacts), problems };
}
