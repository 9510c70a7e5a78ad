import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../types';

/**
 * The module's failures surface as "Unexpected exception thrown. Action: <action>, Exception: <message>" or as
 * Entra STS text (catalog errors of AzureADHybridAuthenticationManagement.json). Only the action
 * GetKerberosDomainSyncConfigAsync was ever observed (MicrosoftDocs/azure-docs#110070); the other action names
 * are the lab's labels for the step that failed.
 */
export function moduleError(lab: CommandContext, key: string, commandClass: string, action: string, fill: Record<string, string> = {}): never {
  return lab.fail(key, { CommandClass: commandClass, action, ...fill });
}

/** The trailer Entra STS appends to an AADSTS message. */
export function stsTrailer(now: Date): Record<string, string> {
  return { traceId: randomUUID(), correlationId: randomUUID(), timestamp: now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') };
}
