import os from 'node:os';
import { attachClient, type AttachedClient } from '../client/attach';
import { loadTemporalSettings, type TemporalSettings } from '../worker/connection-config';
import type { Io } from './io';
import { probeTemporal } from './reachable';

/** What every command gets: its output, the environment, and the Temporal client once it asks for one. */
export interface CliContext {
  io: Io;
  env: NodeJS.ProcessEnv;
  settings(): TemporalSettings;
  /** A client of the running Temporal server; closed when the command ends. */
  attach(): Promise<AttachedClient>;
  /** Who approves, pauses or cancels: CLOUDTRUST_OPERATOR, else the login name. */
  operator(): string;
}

export function createContext(io: Io, env: NodeJS.ProcessEnv): CliContext & { close(): Promise<void> } {
  let settings: TemporalSettings | undefined;
  let attached: Promise<AttachedClient> | undefined;
  const context = {
    io,
    env,
    settings: () => (settings ??= loadTemporalSettings(env)),
    attach: () => (attached ??= probeTemporal(context.settings()).then(() => attachClient(context.settings()))),
    operator: () => env.CLOUDTRUST_OPERATOR?.trim() || safeUserName(),
    async close() {
      const client = await attached?.catch(() => undefined);
      attached = undefined;
      await client?.close();
    },
  };
  return context;
}

function safeUserName(): string {
  try {
    return os.userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
