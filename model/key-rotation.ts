import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import { z } from 'zod';
import type { Finding } from './preflight';

/**
 * The rotation rules of the Azure AD Kerberos server key (reference §1.5): the module keeps two keys (the new one
 * primary, the old one still honoured until its tickets expire); "to fully retire older keys, perform the rotation
 * twice" once the old keys' tickets have expired; "you can rotate the key once within 24 hours" (-Force overrides).
 * Pure: used inside workflows.
 */

const duration = z.string().regex(/^0*[1-9]\d*\s*(ms|s|m|h|d)$/, 'must be a duration longer than 0, such as 30s, 15m, 10h or 180d');

export const DEFAULT_MAX_TICKET_LIFETIME = '10h';
export const DEFAULT_MAX_KEY_AGE = '180d';
/** The module's own rule: a second rotation within 24 hours needs -Force. */
export const MODULE_ROTATION_WINDOW = '24h';

export const keyRotationOptionsSchema = z
  .object({
    /**
     * The longest a ticket issued under the old key stays valid: the domain's "Maximum lifetime for user ticket"
     * (Kerberos policy, 10 hours by default). A double rotation waits at least this long between its rotations.
     */
    maxTicketLifetime: duration.default(DEFAULT_MAX_TICKET_LIFETIME),
    /** A key older than this is a finding. Microsoft mandates no interval; 180 days is the domain krbtgt cadence of the DISA STIG (a community cadence). */
    maxKeyAge: duration.default(DEFAULT_MAX_KEY_AGE),
  })
  .strict();

export type KeyRotationOptions = z.output<typeof keyRotationOptionsSchema>;

export function durationMs(text: string): number {
  return msToNumber(text.replace(/\s+/g, '') as Duration);
}

export function keyRotationOptions(options: { keyRotation?: Partial<KeyRotationOptions> }): KeyRotationOptions {
  return { maxTicketLifetime: options.keyRotation?.maxTicketLifetime ?? DEFAULT_MAX_TICKET_LIFETIME, maxKeyAge: options.keyRotation?.maxKeyAge ?? DEFAULT_MAX_KEY_AGE };
}

/**
 * The wait between the two rotations of a double rotation: the maximum ticket lifetime, so that every ticket under
 * the key the first rotation demoted has expired before the second one drops it, and never below the module's 24
 * hours unless the run is forced (the same override -Force gives the module). Never below the ticket lifetime.
 */
export function cooldownOf(options: KeyRotationOptions, force: boolean): { duration: string; ms: number; reason: string } {
  const ticket = durationMs(options.maxTicketLifetime);
  const window = durationMs(MODULE_ROTATION_WINDOW);
  if (force || ticket >= window) {
    return { duration: options.maxTicketLifetime, ms: ticket, reason: `the maximum ticket lifetime (options.keyRotation.maxTicketLifetime ${options.maxTicketLifetime}): tickets under the demoted key expire first` };
  }
  return {
    duration: MODULE_ROTATION_WINDOW,
    ms: window,
    reason: `the module rotates once within 24 hours (longer than options.keyRotation.maxTicketLifetime ${options.maxTicketLifetime}; force waits only the ticket lifetime)`,
  };
}

export interface KeyAge {
  keyUpdatedOn: string;
  ageSeconds: number;
  /** The age in words, e.g. "183 days". */
  age: string;
  maxKeyAge: string;
  overdue: boolean;
}

export function keyAgeOf(keyUpdatedOn: string | null, now: number, maxKeyAge: string): KeyAge | undefined {
  if (keyUpdatedOn === null) return undefined;
  const updated = Date.parse(keyUpdatedOn);
  if (Number.isNaN(updated)) return undefined;
  const ageSeconds = Math.max(0, Math.floor((now - updated) / 1000));
  return { keyUpdatedOn, ageSeconds, age: ageInWords(ageSeconds), maxKeyAge, overdue: ageSeconds * 1000 > durationMs(maxKeyAge) };
}

function ageInWords(seconds: number): string {
  const [value, unit] = seconds >= 86_400 ? [Math.floor(seconds / 86_400), 'day'] : seconds >= 3600 ? [Math.floor(seconds / 3600), 'hour'] : seconds >= 60 ? [Math.floor(seconds / 60), 'minute'] : [seconds, 'second'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

/** What the module reports of the key (Get-AzureADKerberosServer), and krbtgt_AzureAD's msDS-KeyVersionNumber per writable DC. */
export interface KeyObservation {
  domain: string;
  keyVersion: string | null;
  cloudKeyVersion: string | null;
  keyUpdatedOn: string | null;
  replicas?: Array<{ server: string; keyVersion: number | null }>;
}

export const RESET_OUTSIDE_MODULE = 'reset-outside-module';
export const KEY_AGE = 'key-age';

/** The repair the docs give for halves that disagree (-Force "to repair/reconcile"). */
export function repairCommand(domain: string): string {
  return `Set-AzureADKerberosServer -Domain '${domain}' -CloudCredential $cloudCred -DomainCredential $domainCred -RotateServerKey -Force`;
}

/**
 * The key's findings: its age over options.keyRotation.maxKeyAge, and a reset outside the module — the AD and cloud
 * halves disagree (KeyVersion ≠ CloudKeyVersion), or a writable DC holds a krbtgt_AzureAD msDS-KeyVersionNumber
 * ahead of the module's KeyVersion (another krbtgt tool reset the account; Entra still has the old key). That
 * msDS-KeyVersionNumber and KeyVersion count alike is inferred (reference §1.8).
 */
export function keyFindings(seen: KeyObservation, age: KeyAge | undefined): Finding[] {
  const findings: Finding[] = [];
  if (age?.overdue) {
    findings.push({
      severity: 'warning',
      code: KEY_AGE,
      target: seen.domain,
      message: `the Kerberos server key of ${seen.domain} is ${age.age} old (updated ${age.keyUpdatedOn}), older than options.keyRotation.maxKeyAge ${age.maxKeyAge}: rotate it (a community cadence; Microsoft mandates no interval)`,
    });
  }
  const reasons: string[] = [];
  if (seen.keyVersion !== null && seen.cloudKeyVersion !== null && seen.keyVersion !== seen.cloudKeyVersion) {
    reasons.push(`KeyVersion ${seen.keyVersion} differs from CloudKeyVersion ${seen.cloudKeyVersion}`);
  }
  const moduleVersion = seen.keyVersion === null ? NaN : Number(seen.keyVersion);
  const ahead = Number.isFinite(moduleVersion) ? (seen.replicas ?? []).filter((r) => r.keyVersion !== null && r.keyVersion > moduleVersion) : [];
  if (ahead.length > 0) {
    reasons.push(`krbtgt_AzureAD's msDS-KeyVersionNumber is ahead of the module's KeyVersion ${seen.keyVersion} on ${ahead.map((r) => `${r.server} (${r.keyVersion})`).join(', ')}`);
  }
  if (reasons.length > 0) {
    findings.push({
      severity: 'blocker',
      code: RESET_OUTSIDE_MODULE,
      target: seen.domain,
      message: `the key of ${seen.domain} was reset outside the module: ${reasons.join('; ')}. Only Set-AzureADKerberosServer may rotate it; repair with \`${repairCommand(seen.domain)}\` (cloudtrust rotate-keys --force)`,
    });
  }
  return findings;
}
