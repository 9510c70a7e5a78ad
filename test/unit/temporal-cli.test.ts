import { chmod, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEMPORAL_CLI_VERSION, ensureTemporalCli, temporalCliCacheDir } from '../../worker/temporal-cli';
import { releaseAsset } from '../../worker/temporal-cli-download';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const posixOnly = process.platform === 'win32' ? describe.skip : describe;

posixOnly('ensureTemporalCli', () => {
  let scratch: string;
  let cacheDir: string;
  let emptyBinDir: string;
  let logLines: string[];
  const log = (line: string) => logLines.push(line);

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'cloudtrust-cli-'));
    cacheDir = path.join(scratch, 'cache');
    emptyBinDir = path.join(scratch, 'empty-bin');
    await mkdir(emptyBinDir);
    logLines = [];
  });

  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const cachedBinary = () => path.join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');

  async function executable(dir: string, name: string, script: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
    return file;
  }

  /** A `go` that records each call and writes a fake temporal into $GOBIN, using no other program from PATH. */
  async function fakeGo(extra = ''): Promise<{ binDir: string; calls: () => Promise<string[]> }> {
    const binDir = path.join(scratch, 'go-bin');
    const callLog = path.join(scratch, 'go-calls.log');
    await executable(
      binDir,
      'go',
      [
        `echo "$* CGO_ENABLED=$CGO_ENABLED GOBIN=$GOBIN" >> '${callLog}'`,
        'echo "go: downloading github.com/temporalio/cli v1.5.1" >&2',
        extra,
        `printf '#!/bin/sh\\necho fake temporal\\n' > "$GOBIN/temporal"`,
        `/bin/chmod 755 "$GOBIN/temporal"`,
      ].join('\n'),
    );
    const calls = async () => (await readFile(callLog, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    return { binDir, calls };
  }

  it('uses TEMPORAL_CLI_PATH first, and names the variable when it is wrong', async () => {
    const configured = await executable(path.join(scratch, 'configured'), 'my-temporal', 'exit 0');
    const onPath = await executable(path.join(scratch, 'path-bin'), 'temporal', 'exit 0');
    const env = { TEMPORAL_CLI_PATH: configured, PATH: path.dirname(onPath), CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' };
    await expect(ensureTemporalCli({ env, log })).resolves.toBe(configured);

    const missing = path.join(scratch, 'nope', 'temporal');
    await expect(ensureTemporalCli({ env: { ...env, TEMPORAL_CLI_PATH: missing }, log })).rejects.toThrow(
      /TEMPORAL_CLI_PATH is set to .*nope\/temporal, but that is not an executable file/,
    );
    const notExecutable = path.join(scratch, 'plain-file');
    await writeFile(notExecutable, 'x');
    await expect(ensureTemporalCli({ env: { ...env, TEMPORAL_CLI_PATH: notExecutable }, log })).rejects.toThrow(
      /TEMPORAL_CLI_PATH/,
    );
  });

  it('prefers PATH over the cache, and the cache over building', async () => {
    const onPath = await executable(path.join(scratch, 'path-bin'), 'temporal', 'exit 0');
    const go = await fakeGo();
    await executable(path.dirname(cachedBinary()), 'temporal', 'exit 0');

    const pathList = [emptyBinDir, path.dirname(onPath), go.binDir].join(path.delimiter);
    await expect(ensureTemporalCli({ env: { PATH: pathList, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' }, log })).resolves.toBe(onPath);
    await expect(ensureTemporalCli({ env: { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' }, log })).resolves.toBe(
      cachedBinary(),
    );
    expect(await go.calls()).toEqual([]);
  });

  it('defaults the cache to $XDG_CACHE_HOME/cloudtrust, outside the working directory', () => {
    expect(temporalCliCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe(path.resolve('/var/cache/me/cloudtrust/temporal-cli'));
    expect(temporalCliCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'cloudtrust', 'temporal-cli'));
  });

  it('builds with go install into the cache, streaming progress, then reuses the build at once', async () => {
    const go = await fakeGo();
    const env = { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' };

    await expect(ensureTemporalCli({ env, log })).resolves.toBe(cachedBinary());
    const calls = await go.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(
      new RegExp(`^install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION} CGO_ENABLED=0 GOBIN=${cacheDir}/temporal-cli/`),
    );
    expect(logLines).toContain('go: downloading github.com/temporalio/cli v1.5.1');
    expect(await readFile(cachedBinary(), 'utf8')).toContain('fake temporal');

    const started = Date.now();
    await expect(ensureTemporalCli({ env, log })).resolves.toBe(cachedBinary());
    expect(Date.now() - started).toBeLessThan(500);
    expect(await go.calls()).toHaveLength(1);
  });

  it('reports the tail of go output when go install fails', async () => {
    const failingGo = await executable(
      path.join(scratch, 'failing-go'),
      'go',
      'i=1; while [ $i -le 40 ]; do echo "line $i" >&2; i=$((i+1)); done; exit 3',
    );
    const env = { PATH: path.dirname(failingGo), CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' };
    const error = await failureOf(ensureTemporalCli({ env, log }));
    expect(error.message).toMatch(/exited with code 3/);
    expect(error.message).toContain('line 40');
    expect(error.message).toContain('line 11');
    expect(error.message).not.toMatch(/line 10\b/);
    expect(await readFile(path.join(cacheDir, 'temporal-cli', `${TEMPORAL_CLI_VERSION}.lock`)).catch(() => 'released')).toBe(
      'released',
    );
  });

  it('explains every way to provide the CLI when nothing is available', async () => {
    const env = { PATH: emptyBinDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' };
    const error = await failureOf(ensureTemporalCli({ env, log }));
    expect(error.message).toContain('TEMPORAL_CLI_PATH');
    expect(error.message).toContain("put a 'temporal' binary on your PATH");
    expect(error.message).toContain('install Go >= 1.25');
    expect(error.message).toContain(`${TEMPORAL_CLI_VERSION} is the last tag that 'go install' accepts`);
  });

  it('waits for another process holding the build lock instead of building too', async () => {
    const go = await fakeGo();
    const lockFile = path.join(cacheDir, 'temporal-cli', `${TEMPORAL_CLI_VERSION}.lock`);
    await mkdir(path.dirname(lockFile), { recursive: true });
    await writeFile(lockFile, 'held by another process');

    const result = ensureTemporalCli({ env: { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' }, log });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await executable(path.dirname(cachedBinary()), 'temporal', 'echo built by the other process');

    await expect(result).resolves.toBe(cachedBinary());
    expect(await go.calls()).toEqual([]);
    expect(await readFile(cachedBinary(), 'utf8')).toContain('built by the other process');
  });

  it('takes over a build lock that is older than 20 minutes', async () => {
    const go = await fakeGo();
    const lockFile = path.join(cacheDir, 'temporal-cli', `${TEMPORAL_CLI_VERSION}.lock`);
    await mkdir(path.dirname(lockFile), { recursive: true });
    await writeFile(lockFile, 'left behind by a crashed build');
    const longAgo = new Date(Date.now() - 21 * 60_000);
    await utimes(lockFile, longAgo, longAgo);

    await expect(ensureTemporalCli({ env: { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' }, log })).resolves.toBe(
      cachedBinary(),
    );
    expect(await go.calls()).toHaveLength(1);
    expect(logLines.some((line) => line.includes('stale'))).toBe(true);
  });

  it('never lets two concurrent calls build at the same time', async () => {
    const go = await fakeGo('/bin/sleep 1');
    const env = { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: 'none' };
    const results = await Promise.all([ensureTemporalCli({ env, log }), ensureTemporalCli({ env, log })]);
    expect(results).toEqual([cachedBinary(), cachedBinary()]);
    expect(await go.calls()).toHaveLength(1);
  });

  describe('downloading the release archive', () => {
    let server: Server;
    let files: Map<string, Buffer>;
    let base: string;
    const asset = releaseAsset(TEMPORAL_CLI_VERSION)!;
    const checksums = `temporal_cli_${TEMPORAL_CLI_VERSION.slice(1)}_checksums.txt`;

    beforeEach(async () => {
      files = new Map();
      server = createServer((request, response) => {
        const body = files.get(request.url ?? '');
        response.writeHead(body ? 200 : 404).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    async function publish(sumOverride?: string): Promise<void> {
      const staging = path.join(scratch, 'release');
      await executable(staging, 'temporal', 'echo downloaded temporal');
      execFileSync('tar', ['-czf', path.join(scratch, asset), '-C', staging, 'temporal']);
      const archive = await readFile(path.join(scratch, asset));
      const sum = sumOverride ?? createHash('sha256').update(archive).digest('hex');
      files.set(`/releases/${TEMPORAL_CLI_VERSION}/${asset}`, archive);
      files.set(`/releases/${TEMPORAL_CLI_VERSION}/${checksums}`, Buffer.from(`${'0'.repeat(64)}  other_asset.tar.gz\n${sum}  ${asset}\n`));
    }

    it('downloads, verifies and unpacks the release into the cache before trying go', async () => {
      await publish();
      const go = await fakeGo();
      const env = { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: base };
      await expect(ensureTemporalCli({ env, log })).resolves.toBe(cachedBinary());
      expect(await readFile(cachedBinary(), 'utf8')).toContain('downloaded temporal');
      expect(await go.calls()).toEqual([]);
      expect(logLines.some((line) => line.includes('SHA-256 verified'))).toBe(true);
    });

    it('refuses an archive whose checksum does not match the release', async () => {
      await publish('f'.repeat(64));
      const env = { PATH: emptyBinDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: base };
      await expect(ensureTemporalCli({ env, log })).rejects.toThrow(/does not match the release's f{64}; refusing it/);
      await expect(readFile(cachedBinary())).rejects.toThrow();
    });

    it('falls back to go install when the download is not there', async () => {
      const go = await fakeGo();
      const env = { PATH: go.binDir, CLOUDTRUST_CACHE_DIR: cacheDir, CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD: base };
      await expect(ensureTemporalCli({ env, log })).resolves.toBe(cachedBinary());
      expect(await go.calls()).toHaveLength(1);
      expect(logLines.some((line) => /download failed: .*HTTP 404/.test(line))).toBe(true);
    });
  });
});
