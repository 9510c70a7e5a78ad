import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  TemporalSettingsError,
  clientConnectionOptions,
  describeTemporalSettings,
  loadTemporalSettings,
  nativeConnectionOptions,
  type ExternalTemporalSettings,
} from '../../worker/connection-config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadTemporalSettings(env);
  } catch (error) {
    if (error instanceof TemporalSettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected invalid settings');
}

describe('loadTemporalSettings', () => {
  let dir: string;
  let certPath: string;
  let keyPath: string;
  let caPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-conn-'));
    [certPath, keyPath, caPath] = ['client.pem', 'client.key', 'ca.pem'].map((name) => path.join(dir, name));
    await writeFile(certPath, 'CERT');
    await writeFile(keyPath, 'PRIVATE KEY MATERIAL');
    await writeFile(caPath, 'CA');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to the embedded dev server', () => {
    expect(loadTemporalSettings({})).toEqual({
      mode: 'embedded',
      dataDir: path.resolve('.cloudtrust'),
      devPort: 7233,
      devUiPort: 8233,
      namespace: 'default',
      taskQueue: 'cloudtrust',
    });
  });

  it('reads the embedded overrides, treating blank values as unset', () => {
    const settings = loadTemporalSettings({
      TEMPORAL_ADDRESS: '  ',
      TEMPORAL_NAMESPACE: 'rollouts',
      CLOUDTRUST_DATA_DIR: 'state',
      CLOUDTRUST_DEV_PORT: '17233',
      CLOUDTRUST_DEV_UI_PORT: '18233',
      CLOUDTRUST_TASK_QUEUE: 'ct',
    });
    expect(settings).toMatchObject({
      mode: 'embedded',
      dataDir: path.resolve('state'),
      devPort: 17233,
      devUiPort: 18233,
      namespace: 'rollouts',
      taskQueue: 'ct',
    });
  });

  it('names each invalid variable', () => {
    expect(
      problemsOf({ CLOUDTRUST_DEV_PORT: 'abc', CLOUDTRUST_DEV_UI_PORT: '70000', TEMPORAL_ADDRESS: 'http://host:7233', TEMPORAL_TLS: 'yes' }),
    ).toEqual([
      'TEMPORAL_ADDRESS: must be host:port without a scheme, e.g. my-namespace.a1b2c.tmprl.cloud:7233',
      "TEMPORAL_TLS: must be 'true' or 'false'",
      'CLOUDTRUST_DEV_PORT: must be a whole number between 1 and 65535',
      'CLOUDTRUST_DEV_UI_PORT: must be a whole number between 1 and 65535',
    ]);
    expect(problemsOf({ CLOUDTRUST_DEV_PORT: '9000', CLOUDTRUST_DEV_UI_PORT: '9000' })).toEqual([
      'CLOUDTRUST_DEV_UI_PORT must differ from CLOUDTRUST_DEV_PORT (both are 9000)',
    ]);
  });

  it('refuses TLS or API key settings without TEMPORAL_ADDRESS', () => {
    const problems = problemsOf({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_SERVER_NAME: 'x' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^TEMPORAL_API_KEY is set but TEMPORAL_ADDRESS is not/);
    expect(problems[1]).toMatch(/^TEMPORAL_TLS_SERVER_NAME is set but TEMPORAL_ADDRESS is not/);
  });

  it('connects to an external server in plaintext by default', () => {
    const settings = loadTemporalSettings({ TEMPORAL_ADDRESS: 'temporal.internal:7233', CLOUDTRUST_DATA_DIR: dir });
    expect(settings).toEqual({ mode: 'external', address: 'temporal.internal:7233', namespace: 'default', taskQueue: 'cloudtrust', dataDir: dir });
    const external = settings as ExternalTemporalSettings;
    expect(nativeConnectionOptions(external)).toEqual({ address: 'temporal.internal:7233', tls: false });
    expect(clientConnectionOptions(external)).toEqual({ address: 'temporal.internal:7233', tls: false });
  });

  it('loads mTLS files as Buffers and maps them to connection options', () => {
    const settings = loadTemporalSettings({
      TEMPORAL_ADDRESS: 'ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.a1b2c',
      TEMPORAL_TLS_CLIENT_CERT_PATH: certPath,
      TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
    }) as ExternalTemporalSettings;
    const expectedTls = {
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('PRIVATE KEY MATERIAL') },
      serverRootCACertificate: Buffer.from('CA'),
      serverNameOverride: 'frontend.internal',
    };
    expect(settings.tls).toEqual(expectedTls);
    expect(nativeConnectionOptions(settings)).toEqual({ address: 'ns.a1b2c.tmprl.cloud:7233', tls: expectedTls });
    expect(clientConnectionOptions(settings)).toEqual({ address: 'ns.a1b2c.tmprl.cloud:7233', tls: expectedTls });
    expect(describeTemporalSettings(settings)).not.toContain('PRIVATE KEY');
  });

  it('uses TLS with an API key, unless TEMPORAL_TLS=false', () => {
    const withKey = loadTemporalSettings({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_API_KEY: 'sekrit-api-key' });
    expect(withKey).toMatchObject({ mode: 'external', apiKey: 'sekrit-api-key', tls: {} });
    expect(clientConnectionOptions(withKey as ExternalTemporalSettings)).toEqual({
      address: 'eu-west-1.aws.api.temporal.io:7233',
      tls: {},
      apiKey: 'sekrit-api-key',
    });
    expect(describeTemporalSettings(withKey)).not.toContain('sekrit');
    expect(describeTemporalSettings(withKey)).toContain('API key');

    const plaintextProxy = loadTemporalSettings({ TEMPORAL_ADDRESS: 'localhost:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' });
    expect(nativeConnectionOptions(plaintextProxy as ExternalTemporalSettings)).toEqual({ address: 'localhost:7233', tls: false, apiKey: 'k' });
    expect(loadTemporalSettings({ TEMPORAL_ADDRESS: 'h:1', TEMPORAL_TLS: 'true' })).toMatchObject({ tls: {} });
  });

  it('explains TLS file problems by variable', () => {
    const address = { TEMPORAL_ADDRESS: 'temporal.internal:7233' };
    expect(problemsOf({ ...address, TEMPORAL_TLS_CLIENT_CERT_PATH: certPath })).toEqual([
      'TEMPORAL_TLS_CLIENT_CERT_PATH is set but TEMPORAL_TLS_CLIENT_KEY_PATH is not: mTLS needs both',
    ]);
    expect(problemsOf({ ...address, TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath })).toEqual([
      'TEMPORAL_TLS_CLIENT_KEY_PATH is set but TEMPORAL_TLS_CLIENT_CERT_PATH is not: mTLS needs both',
    ]);
    const missing = path.join(dir, 'missing.pem');
    expect(problemsOf({ ...address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: missing })).toEqual([
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH points to ${missing}, which does not exist`,
    ]);
    expect(problemsOf({ ...address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: dir })).toEqual([
      `TEMPORAL_TLS_SERVER_CA_CERT_PATH points to ${dir}, which is a directory, not a file`,
    ]);
    expect(problemsOf({ ...address, TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_NAME: 'x' })).toEqual([
      "TEMPORAL_TLS is 'false' but TEMPORAL_TLS_SERVER_NAME is set",
    ]);
  });

  it('never puts the API key or key material in error messages', () => {
    let message = '';
    try {
      loadTemporalSettings({ TEMPORAL_API_KEY: 'sekrit-api-key', TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath, TEMPORAL_ADDRESS: 'bad address' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('TEMPORAL_ADDRESS');
    expect(message).not.toContain('sekrit');
    expect(message).not.toContain('PRIVATE KEY');
  });
});
