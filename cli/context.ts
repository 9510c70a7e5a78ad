import os from 'node:os';
import { attachClient, type AttachedClient } from '../client/attach';
import { dataDirOf, loadTemporalSettings, type TemporalSettings } from '../worker/connection-config';
import { operatorName } from './checks';
import type { Io } from './io';
import { probeTemporal } from './reachable';

/** What every command gets: its output, the environment, and the Temporal client once it asks for one. */
export interface CliContext {
  io: Io;
  env: NodeJS.ProcessEnv;
  settings(): TemporalSettings;
  /** CLOUDTRUST_DATA_DIR (default ./.cloudtrust), for commands that need no Temporal server (tokens). */
  dataDir(): string;
  /** A client of the running Temporal server; closed when the command ends. */
  attach(): Promise<AttachedClient>;
  /** Who approves, pauses or cancels: CLOUDTRUST_OPERATOR, else the login name; invalid input unless a valid name. */
  operator(): string;
}

export function createContext(io: Io, env: NodeJS.ProcessEnv): CliContext & { close(): Promise<void> } {
  let settings: TemporalSettings | undefined;
  let attached: Promise<AttachedClient> | undefined;
  const context = {
    io,
    env,
    settings: () => (settings ??= loadTemporalSettings(env)),
    dataDir: () => dataDirOf(env),
    attach: () => (attached ??= probeTemporal(context.settings()).then(() => attachClient(context.settings()))),
    operator: () => operatorName(env, safeUserName),
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
