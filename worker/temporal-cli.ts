import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { cacheRoot, elapsedSeconds, exeName, findOnPath, isExecutableFile, runInstallCommand, underInstallLock } from './provisioning';
import { downloadBase, downloadTemporalCli, RELEASES_URL } from './temporal-cli-download';

/** The last tag of github.com/temporalio/cli that `go install` accepts (later tags carry `replace` directives). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const LOCK_STALE_MS = 20 * 60_000;

export interface EnsureTemporalCliOptions {
  log?: (line: string) => void;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

/**
 * Absolute path of a `temporal` CLI, found in this order: TEMPORAL_CLI_PATH, PATH, the per-user cache, the
 * official release archive downloaded (and checksum-verified) into that cache, or built into it with `go install`.
 */
export async function ensureTemporalCli(options: EnsureTemporalCliOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const configured = env.TEMPORAL_CLI_PATH?.trim();
  if (configured) return checkConfiguredPath(configured);

  const onPath = await findOnPath('temporal', env);
  if (onPath) return onPath;

  const cacheDir = temporalCliCacheDir(env);
  const cached = path.join(cacheDir, TEMPORAL_CLI_VERSION, exeName('temporal'));
  if (await isExecutableFile(cached)) return cached;

  const base = downloadBase(env);
  const go = await findOnPath('go', env);
  let downloadProblem: string | undefined = base ? undefined : 'downloading is turned off (CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD=none)';
  await underInstallLock({ file: path.join(cacheDir, `${TEMPORAL_CLI_VERSION}.lock`), what: 'the Temporal CLI', staleMs: LOCK_STALE_MS, done: () => isExecutableFile(cached), log }, async () => {
    if (base) downloadProblem = await downloadTemporalCli({ version: TEMPORAL_CLI_VERSION, base, target: cached, log });
    if (await isExecutableFile(cached)) return;
    if (downloadProblem) log(`Temporal CLI: ${downloadProblem}`);
    if (!go) throw new TemporalCliUnavailableError(unavailableMessage(cached, downloadProblem));
    await goInstall({ go, env, cacheDir, target: cached, log });
  });
  return cached;
}

/** `<CLOUDTRUST_CACHE_DIR or $XDG_CACHE_HOME/cloudtrust or ~/.cache/cloudtrust>/temporal-cli`. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'temporal-cli');
}

async function checkConfiguredPath(configured: string): Promise<string> {
  const resolved = path.resolve(configured);
  if (!(await isExecutableFile(resolved))) {
    throw new TemporalCliUnavailableError(
      `TEMPORAL_CLI_PATH is set to ${configured}, but that is not an executable file. ` +
        'Point it at a temporal CLI binary, or unset it to let cloudtrust find or build one.',
    );
  }
  return resolved;
}

interface BuildRequest {
  go: string;
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  target: string;
  log: (line: string) => void;
}

async function goInstall(build: BuildRequest): Promise<void> {
  const gobin = await mkdtemp(path.join(build.cacheDir, '.build-'));
  const started = Date.now();
  build.log(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with ${build.go} install (about 3 minutes the first time; ` +
      'set TEMPORAL_CLI_PATH to skip this)...',
  );
  try {
    const { failure, lastLines } = await runInstallCommand({
      command: build.go,
      args: ['install', `${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`],
      env: { ...build.env, CGO_ENABLED: '0', GOBIN: gobin },
      log: build.log,
      progress: 'still building the Temporal CLI',
    });
    if (failure) {
      throw new Error(
        `go install ${GO_PACKAGE}@${TEMPORAL_CLI_VERSION} ${failure}. Go >= 1.25 is needed; alternatively set ` +
          `TEMPORAL_CLI_PATH to a temporal binary.\nLast output:\n${lastLines}`,
      );
    }
    const built = path.join(gobin, exeName('temporal'));
    if (!(await isExecutableFile(built))) {
      throw new Error(`go install succeeded but produced no executable at ${built}`);
    }
    await mkdir(path.dirname(build.target), { recursive: true });
    await rename(built, build.target);
    build.log(`Temporal CLI ${TEMPORAL_CLI_VERSION} ready at ${build.target} (${elapsedSeconds(started)}s)`);
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

function unavailableMessage(cachedPath: string, downloadProblem?: string): string {
  return [
    `No Temporal CLI found${downloadProblem ? ` (${downloadProblem})` : ''}, and Go is not installed to build one. Provide it in one of four ways:`,
    `  1. set TEMPORAL_CLI_PATH to the path of a temporal binary;`,
    `  2. put a 'temporal' binary on your PATH (https://docs.temporal.io/cli);`,
    `  3. let cloudtrust download the release archive (network access to ${RELEASES_URL}, or a mirror in CLOUDTRUST_TEMPORAL_CLI_DOWNLOAD);`,
    `  4. install Go >= 1.25, and cloudtrust will build Temporal CLI ${TEMPORAL_CLI_VERSION} into ${cachedPath}`,
    `     (${TEMPORAL_CLI_VERSION} is the last tag that 'go install' accepts).`,
  ].join('\n');
}
