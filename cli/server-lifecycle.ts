/**
 * How `cloudtrust server` starts and stops its parts: the Temporal service (the embedded dev server), a client, a
 * worker (its connection and PowerShell pool) and the HTTP API. They open in that order and close in the reverse
 * order, each close in its own `finally`, so a part that fails to start or stop never leaves the others running —
 * above all not the embedded dev server.
 */

/** The part of a Temporal Worker the server drives. */
export interface ServerWorker {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
}

export interface Closable {
  close(): Promise<void>;
}

export interface ServerLog {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ServerParts<S extends { stop(): Promise<void> }, C extends Closable, W extends Closable & { worker: ServerWorker }, A extends Closable> {
  /** The Temporal service; stopped last. */
  openService(): Promise<S>;
  /** A client of it; closed after the worker. */
  connect(service: S): Promise<C>;
  /** A worker, created but not yet run; its `close` (connection, pool) runs once `run()` has returned. */
  startWorker?: (service: S) => Promise<W>;
  /** The HTTP API, listening; closed first. */
  startApi(service: S, client: C): Promise<A>;
  /** Says the server is ready (not said when it is already stopping). */
  announce(service: S, api: A, worker: W | undefined): Promise<void>;
  /** Resolves with the signal's name when the server is asked to stop. */
  stopping: Promise<string>;
  log: ServerLog;
}

const NEVER = new Promise<never>(() => undefined);

/** A running worker whose end is always observed: a failure is kept to report, never an unhandled rejection. */
interface SupervisedWorker {
  /** Settles (never rejects) when `run()` has returned or failed. */
  ended: Promise<{ failed: false } | { failed: true; error: unknown }>;
  /** Asks it to shut down when it still runs, and waits until `run()` has returned. */
  stop(): Promise<void>;
}

function supervise(worker: ServerWorker, log: ServerLog): SupervisedWorker {
  // The handlers are attached here, before anything else is awaited: the worker may fail while the API starts.
  const ended = new Promise<void>((resolve) => resolve(worker.run())).then(
    () => ({ failed: false }) as const,
    (error: unknown) => {
      log.error('worker failed', { error });
      return { failed: true, error } as const;
    },
  );
  return {
    ended,
    async stop() {
      try {
        if (worker.getState() === 'RUNNING') worker.shutdown();
      } catch (error) {
        // It left RUNNING on its own meanwhile; `run()` settles either way.
        log.info('worker shutdown not needed', { state: worker.getState(), error });
      }
      await ended;
    },
  };
}

/**
 * Runs the server until it is asked to stop or its worker stops. A worker failure is rethrown once everything is
 * closed; an error while starting closes what had started, then propagates.
 */
export async function runServer<S extends { stop(): Promise<void> }, C extends Closable, W extends Closable & { worker: ServerWorker }, A extends Closable>(
  parts: ServerParts<S, C, W, A>,
): Promise<void> {
  const service = await parts.openService();
  try {
    const client = await parts.connect(service);
    try {
      const started = parts.startWorker ? await parts.startWorker(service) : undefined;
      try {
        const worker = started ? supervise(started.worker, parts.log) : undefined;
        let ended = false;
        const ending = Promise.race([
          parts.stopping.then((signal) => `received ${signal}`),
          worker ? worker.ended.then((outcome) => (outcome.failed ? 'the worker failed' : 'the worker stopped')) : NEVER,
        ]).finally(() => (ended = true));
        ending.catch(() => undefined);
        try {
          const api = await parts.startApi(service, client);
          try {
            if (!ended) await parts.announce(service, api, started);
            parts.log.info('shutting down', { reason: await ending });
          } finally {
            await api.close();
          }
        } finally {
          await worker?.stop();
        }
        const outcome = await worker?.ended;
        if (outcome?.failed) throw outcome.error;
      } finally {
        await started?.close();
      }
    } finally {
      await client.close();
    }
  } finally {
    await service.stop();
  }
}
