import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveExecutable, type ExecutableConfig } from '../../activities/bridge/executable';
import { PowerShellSession } from '../../activities/bridge/session';
import { toBase64Json } from '../../activities/bridge/protocol';
import { toPowerShellArguments } from '../../activities/steps/contract';
import { echoStep } from '../../activities/steps/echo';
import { ensurePowerShell } from '../../worker/powershell-install';
import { waitFor } from '../support/wait';
import { transportScripts } from './pool-fixture';

/**
 * PowerShell's own logging turned on for the bridge's pwsh: script block logging (event 4104 on Windows; on Linux
 * the same records go to syslog through /dev/log) and transcription, both from a -SettingsFile
 * (about_Logging_Non-Windows, about_PowerShell_Config "PowerShellPolicies"). A syslog stand-in (a second pwsh bound
 * to a unix datagram socket) writes every record it receives to a file. Where /dev/log is taken (a machine running
 * syslog), the logged pwsh runs in a private mount namespace with the stand-in's socket bound over /dev/log.
 */
const DEV_LOG = '/dev/log';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const RECEIVER = `
param([string]$Socket, [string]$Out)
$s = [System.Net.Sockets.Socket]::new('Unix', 'Dgram', 'Unspecified')
$s.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($Socket))
$buffer = [byte[]]::new(1048576)
$file = [System.IO.File]::Open($Out, 'Append', 'Write', 'ReadWrite')
[System.IO.File]::WriteAllText($Out + '.ready', [string]$PID)
while ($true) {
    $n = $s.Receive($buffer)
    $file.Write($buffer, 0, $n)
    $file.WriteByte(10)
    $file.Flush()
}
`;

describe('PowerShell logging never sees a call\'s arguments', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloudtrust-logging-'));
  const syslogFile = path.join(dir, 'syslog.txt');
  const transcripts = path.join(dir, 'transcripts');
  let receiver: ChildProcess | undefined;
  let socket = DEV_LOG;
  let ownDevLog = false;
  let executable: ExecutableConfig;

  beforeAll(async () => {
    const pwsh = await ensurePowerShell({ env: process.env });
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (existsSync(DEV_LOG)) {
      // A syslog daemon owns /dev/log: bind ours over it in a mount namespace of the logged pwsh only.
      if (!isRoot || spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status !== 0) {
        throw new Error('this test needs to receive PowerShell\'s syslog records: /dev/log exists and `unshare -m` (root) is not available to bind a test socket over it');
      }
      socket = path.join(dir, 'log.sock');
    } else {
      if (!isRoot) throw new Error('this test needs to receive PowerShell\'s syslog records: /dev/log does not exist and only root can create it');
      ownDevLog = true;
    }
    writeFileSync(path.join(dir, 'receiver.ps1'), RECEIVER);
    receiver = spawn(pwsh, ['-NoProfile', '-NonInteractive', '-File', path.join(dir, 'receiver.ps1'), '-Socket', socket, '-Out', syslogFile], { stdio: 'ignore' });
    await waitFor(() => existsSync(`${syslogFile}.ready`), { timeoutMs: 30_000, intervalMs: 50 });
    const settings = path.join(dir, 'powershell.config.json');
    writeFileSync(
      settings,
      JSON.stringify({
        PowerShellPolicies: {
          ScriptBlockLogging: { EnableScriptBlockLogging: true, EnableScriptBlockInvocationLogging: true },
          Transcription: { EnableTranscripting: true, EnableInvocationHeader: true, OutputDirectory: transcripts },
        },
        LogLevel: 'verbose',
      }),
    );
    const base = resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh' });
    let logged = pwsh;
    if (!ownDevLog) {
      logged = path.join(dir, 'pwsh-logged.sh');
      writeFileSync(logged, `#!/bin/sh\nexec unshare -m --propagation private sh -c 'mount --bind "$0" /dev/log && exec "$@"' '${socket}' '${pwsh}' "$@"\n`);
      chmodSync(logged, 0o755);
    }
    executable = { ...base, executableOptions: { ...base.executableOptions, '-SettingsFile': settings }, prepare: async () => ({ executable: logged, env: base.env, prelude: [] }) };
  }, 60_000);

  afterAll(() => {
    // The pwsh of a dotnet tool is a launcher: the receiver is its child, named in the ready file.
    const ready = `${syslogFile}.ready`;
    const receiverPid = existsSync(ready) ? Number(readFileSync(ready, 'utf8')) : NaN;
    if (Number.isInteger(receiverPid) && receiverPid > 0) {
      try {
        process.kill(receiverPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    receiver?.kill('SIGKILL');
    if (ownDevLog && existsSync(DEV_LOG) && statSync(DEV_LOG).isSocket()) rmSync(DEV_LOG);
    rmSync(dir, { recursive: true, force: true });
  });

  test('review row 9: a credential is in neither the script block log nor the transcript, as text or base64, while the command text is', async () => {
    const password = `Pa55-${randomUUID()}`;
    const marker = `cloudtrust-log-marker-${randomUUID()}`;
    const input = { text: 'hello', credential: { userName: 'admin@corp.contoso.com', password } };
    const session = await PowerShellSession.start({ ...executable, prepare: async () => ({ ...(await executable.prepare()), prelude: [`$null = '${marker}'`] }) }, transportScripts(), {
      timeoutMs: 60_000,
    });
    try {
      const outcome = await session.call(echoStep.id, toPowerShellArguments(echoStep, input), { timeoutMs: 30_000, secrets: [password] });
      expect(outcome.envelope).toMatchObject({ ok: true, result: { text: 'hello', credentialUser: 'admin@corp.contoso.com' } });
    } finally {
      await session.dispose();
    }
    await waitFor(() => existsSync(syslogFile) && readFileSync(syslogFile, 'utf8').includes('Invoke-CloudtrustStep'), { timeoutMs: 10_000, intervalMs: 100 });
    const log = readFileSync(syslogFile, 'utf8');
    const transcriptFiles = listFiles(transcripts);
    expect(transcriptFiles.length).toBeGreaterThan(0);
    const transcript = transcriptFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
    // Logging works: the command text of this very session is there.
    expect(log).toContain(marker);
    expect(log).toContain("-ScriptId 'diagnostics.check-echo'");
    expect(transcript).toContain(marker);
    const forbidden = {
      password,
      'base64 of the password': Buffer.from(password, 'utf8').toString('base64'),
      'base64 JSON arguments': toBase64Json(toPowerShellArguments(echoStep, input)),
    };
    for (const [what, value] of Object.entries(forbidden)) {
      expect({ what, inScriptBlockLog: log.includes(value), inTranscript: transcript.includes(value) }).toEqual({ what, inScriptBlockLog: false, inTranscript: false });
    }
  }, 90_000);
});
