import { isLoopbackHost } from '../../cli/commands/server';
import { runServer, type ServerWorker } from '../../cli/server-lifecycle';

/** `cloudtrust server`'s start and stop order, with parts that only record what happens to them. */

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

class FakeWorker implements ServerWorker {
  state = 'INITIALIZED';
  private readonly running = deferred<void>();
  constructor(private readonly events: string[]) {}
  run() {
    this.state = 'RUNNING';
    this.events.push('worker runs');
    return this.running.promise;
  }
  shutdown() {
    if (this.state !== 'RUNNING') throw new Error(`shutdown in state ${this.state}`);
    this.events.push('worker shutdown');
    this.state = 'STOPPED';
    this.running.resolve();
  }
  getState() {
    return this.state;
  }
  fail(error: Error) {
    this.state = 'FAILED';
    this.running.reject(error);
  }
  stop() {
    this.state = 'STOPPED';
    this.running.resolve();
  }
}

function harness(options: { worker?: boolean; api?: Promise<void>; announce?: () => Promise<void> } = {}) {
  const events: string[] = [];
  const stop = deferred<string>();
  const worker = new FakeWorker(events);
  const apiStarting = deferred<void>();
  const errors: string[] = [];
  const run = runServer({
    log: { info: () => undefined, error: (message) => errors.push(message) },
    stopping: stop.promise,
    openService: async () => (events.push('service open'), { stop: async () => void events.push('service stop') }),
    connect: async () => (events.push('client open'), { close: async () => void events.push('client close') }),
    ...(options.worker === false ? {} : { startWorker: async () => (events.push('worker created'), { worker, close: async () => void events.push('worker connection and pool close') }) }),
    startApi: async () => {
      events.push('api starting');
      await (options.api ?? apiStarting.promise);
      events.push('api listening');
      return { close: async () => void events.push('api close') };
    },
    announce: async () => {
      events.push('ready');
      await options.announce?.();
    },
  });
  return { events, errors, run, stop, worker, apiStarting };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('runServer', () => {
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  test('a signal closes the API, then the worker, its connection and pool, the client, the service', async () => {
    const h = harness();
    h.apiStarting.resolve();
    await settle();
    h.stop.resolve('SIGINT');
    await h.run;
    expect(h.events).toEqual([
      'service open',
      'client open',
      'worker created',
      'worker runs',
      'api starting',
      'api listening',
      'ready',
      'api close',
      'worker shutdown',
      'worker connection and pool close',
      'client close',
      'service stop',
    ]);
  });

  test('a worker failing while the API starts: no unhandled rejection, no ready, everything closed, the failure reported', async () => {
    const h = harness();
    await settle();
    h.worker.fail(new Error('worker crashed'));
    await settle();
    h.apiStarting.resolve();
    await expect(h.run).rejects.toThrow('worker crashed');
    await settle();
    expect(unhandled).toEqual([]);
    expect(h.errors).toEqual(['worker failed']);
    expect(h.events).not.toContain('ready');
    expect(h.events.slice(-4)).toEqual(['api close', 'worker connection and pool close', 'client close', 'service stop']);
  });

  test('a worker failing while serving ends the server with its error, after closing everything', async () => {
    const h = harness();
    h.apiStarting.resolve();
    await settle();
    h.worker.fail(new Error('lost the connection'));
    await expect(h.run).rejects.toThrow('lost the connection');
    expect(h.events.slice(-4)).toEqual(['api close', 'worker connection and pool close', 'client close', 'service stop']);
  });

  test('a worker that stops by itself ends the server normally', async () => {
    const h = harness();
    h.apiStarting.resolve();
    await settle();
    h.worker.stop();
    await h.run;
    expect(h.events.slice(-5)).toEqual(['ready', 'api close', 'worker connection and pool close', 'client close', 'service stop']);
  });

  test('the API failing to start still stops the worker and the service', async () => {
    const h = harness({ api: Promise.reject(new Error('EADDRINUSE')) });
    await expect(h.run).rejects.toThrow('EADDRINUSE');
    expect(h.events).not.toContain('api close');
    expect(h.events.slice(-4)).toEqual(['worker shutdown', 'worker connection and pool close', 'client close', 'service stop']);
  });

  test('announcing failing (e.g. an unreadable token file) still closes the API', async () => {
    const h = harness({ api: Promise.resolve(), announce: () => Promise.reject(new Error('tokens unreadable')) });
    await expect(h.run).rejects.toThrow('tokens unreadable');
    expect(h.events.slice(-5)).toEqual(['api close', 'worker shutdown', 'worker connection and pool close', 'client close', 'service stop']);
  });

  test('without a worker: API, client, service', async () => {
    const h = harness({ worker: false, api: Promise.resolve() });
    await settle();
    h.stop.resolve('SIGTERM');
    await h.run;
    expect(h.events).toEqual(['service open', 'client open', 'api starting', 'api listening', 'ready', 'api close', 'client close', 'service stop']);
  });
});

describe('isLoopbackHost', () => {
  test.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  test.each(['0.0.0.0', '::', '[::]', '10.0.0.5', '192.168.1.10', 'api.contoso.com', '::ffff:10.0.0.1', 'fe80::1', '128.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
