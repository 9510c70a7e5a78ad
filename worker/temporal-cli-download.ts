import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { elapsedSeconds, exeName, isExecutableFile } from './provisioning';

/** Where the official release archives live; CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD overrides it (a mirror), `none` turns downloading off. */
export const RELEASES_URL = 'https://github.com/temporalio/cli/releases/download';
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

export function downloadBase(env: NodeJS.ProcessEnv): string | undefined {
  const configured = env.CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD?.trim();
  if (configured === 'none') return undefined;
  return (configured || RELEASES_URL).replace(/\/+$/, '');
}

/** The release asset for this machine, as goreleaser names them (temporal_cli_1.5.1_linux_amd64.tar.gz). */
export function releaseAsset(version: string, platform = process.platform, arch = process.arch): string | undefined {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[platform as 'linux' | 'darwin' | 'win32'];
  const cpu = { x64: 'amd64', arm64: 'arm64' }[arch as 'x64' | 'arm64'];
  if (!os || !cpu) return undefined;
  return `temporal_cli_${version.replace(/^v/, '')}_${os}_${cpu}.${os === 'windows' ? 'zip' : 'tar.gz'}`;
}

/**
 * Downloads the release archive and the release's checksums file, verifies the archive's SHA-256 against it, and
 * unpacks the binary into `target`. Returns why not when it cannot (no network, no asset for this machine): the
 * caller then tries the next way.
 */
export async function downloadTemporalCli(options: { version: string; base: string; target: string; log: (line: string) => void }): Promise<string | undefined> {
  const asset = releaseAsset(options.version);
  if (!asset) return `no release archive for ${process.platform}/${process.arch}`;
  const bare = options.version.replace(/^v/, '');
  const url = `${options.base}/${options.version}/${asset}`;
  const started = Date.now();
  options.log(`Downloading the Temporal CLI ${options.version} from ${url}...`);
  let archive: Buffer;
  let sums: string;
  try {
    archive = await fetchBytes(url);
    sums = (await fetchBytes(`${options.base}/${options.version}/temporal_cli_${bare}_checksums.txt`)).toString('utf8');
  } catch (error) {
    return `download failed: ${(error as Error).message}`;
  }
  const expected = sums.split('\n').map((line) => line.trim().split(/\s+/)).find(([, name]) => name === asset)?.[0];
  const actual = createHash('sha256').update(archive).digest('hex');
  if (!expected) throw new Error(`the release checksums list no ${asset}; refusing an unverified Temporal CLI`);
  if (expected.toLowerCase() !== actual) throw new Error(`${asset}: SHA-256 ${actual} does not match the release's ${expected}; refusing it`);
  const dir = path.dirname(options.target);
  await mkdir(dir, { recursive: true });
  const staging = await mkdtemp(path.join(dir, '.download-'));
  try {
    const file = path.join(staging, asset);
    await writeFile(file, archive);
    await unpack(file, staging);
    const binary = path.join(staging, exeName('temporal'));
    if (!(await isExecutableFile(binary))) throw new Error(`${asset} holds no ${exeName('temporal')} executable`);
    await rename(binary, options.target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  options.log(`Temporal CLI ${options.version} ready at ${options.target} (${elapsedSeconds(started)}s, SHA-256 verified)`);
  return undefined;
}

async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'follow' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** tar unpacks .tar.gz everywhere and .zip on Windows 10 and later. */
function unpack(file: string, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-xf', file, '-C', into], { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', (error) => reject(new Error(`cannot run tar to unpack ${path.basename(file)}: ${error.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar could not unpack ${path.basename(file)}: ${stderr.trim() || `exit code ${code}`}`))));
  });
}
