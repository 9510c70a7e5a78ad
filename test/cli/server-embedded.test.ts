import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../support/free-port';
import { waitFor, waitUntil } from '../support/wait';
import { runCli, startCli } from './run-cli';

/**
 * `cloudtrust server` as an operator starts it on a fresh machine: the embedded Temporal dev server (its Web UI
 * pointed at the API's codec), a worker on the lab, and the HTTP API — then the CLI and the API drive a rollout plan
 * through it, and Ctrl-C stops all of it, the dev server included.
 */
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

test('cloudtrust server (embedded): dev server, worker and API; a plan through the API; decode in a browser session; Ctrl-C stops everything', async () => {
  const [devPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    CLOUDTRUST_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cloudtrust-server-')),
    CLOUDTRUST_DEV_PORT: String(devPort),
    CLOUDTRUST_DEV_UI_PORT: String(uiPort),
    CLOUDTRUST_API_PORT: String(apiPort),
  };
  const server = startCli(['server', '--json'], env, { timeoutMs: 170_000 });
  try {
    await waitFor(() => server.stdoutSoFar().includes('"event":"ready"'), { timeoutMs: 120_000 });
    const ready = JSON.parse(server.stdoutSoFar().trim().split('\n')[0]);
    expect(ready).toMatchObject({ temporal: `127.0.0.1:${devPort}`, webUi: `http://127.0.0.1:${uiPort}`, uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec`, api: `http://127.0.0.1:${apiPort}` });

    const elsewhere = await runCli(['list'], { ...env, CLOUDTRUST_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cloudtrust-elsewhere-')) });
    expect(elsewhere.code).toBe(3);
    expect(elsewhere.stderr).toMatch(/no payload key in .* \(codec\.key\)/);

    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/1 worker polling/);

    const token = JSON.parse((await runCli(['token', 'create', 'pipeline', '--scope', 'operate', '--json'], env)).stdout).token as string;
    const spec = parse(readFileSync(path.join(ROOT, 'specs', 'lab-default.yaml'), 'utf8'));
    const started = await fetch(`${ready.api}/rollouts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'plan', spec }),
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const done = await waitUntil(
      async () => (await fetch(`${ready.api}/rollouts/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<{ run: { status: string } }>,
      (r) => r.run.status !== 'RUNNING',
      { timeoutMs: 60_000 },
    );
    expect(done.run.status).toBe('COMPLETED');
    expect((await runCli(['report', id, '--format', 'md'], env)).stdout).toContain('# cloudtrust plan lab-default');

    const signIn = await fetch(`${ready.api}/codec/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const preflight = await fetch(`${ready.api}/codec/decode`, { method: 'OPTIONS', headers: { origin: ready.webUi, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ready.webUi);
    const decoded = await fetch(`${ready.api}/codec/decode`, { method: 'POST', headers: { cookie, origin: ready.webUi, 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [] }) });
    expect(decoded.status).toBe(200);
  } finally {
    server.signal('SIGINT');
  }
  expect((await server.result).code).toBe(0);
  expect(await portAnswers(devPort)).toBe(false);
  expect(await portAnswers(apiPort)).toBe(false);
});
