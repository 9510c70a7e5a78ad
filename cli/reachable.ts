import net from 'node:net';
import { TriggerError } from '../client/errors';
import type { TemporalSettings } from '../worker/connection-config';

const PROBE_TIMEOUT_MS = 3_000;

/**
 * A plain TCP connect to the server's address first: a refused or unresolvable address fails at once, where the
 * gRPC client would retry until its deadline. Anything the probe cannot judge is left to the client.
 */
export async function probeTemporal(settings: TemporalSettings): Promise<void> {
  const address = settings.mode === 'external' ? settings.address : `127.0.0.1:${settings.devPort}`;
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(separator + 1));
  const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (error?: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done());
    socket.once('connect', () => done());
    socket.once('error', (error: NodeJS.ErrnoException) => done(error));
  });
  if (failure && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(failure.code ?? '')) {
    throw new TriggerError(
      'unavailable',
      `no Temporal server answers at ${address} (${failure.code === 'ECONNREFUSED' ? 'connection refused' : failure.code === 'ENOTFOUND' ? `unknown host ${host}` : failure.code})`,
      settings.mode === 'embedded' ? 'start it with `cloudtrust server` (or `cloudtrust worker`) in another terminal, or set TEMPORAL_ADDRESS' : 'check TEMPORAL_ADDRESS',
    );
  }
}
