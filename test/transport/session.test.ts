import { resolveExecutable } from '../../activities/bridge/executable';
import { PowerShellSession } from '../../activities/bridge/session';
import { toBase64Json } from '../../activities/bridge/protocol';
import { hostModules } from '../../activities/steps/contract';
import { fixtures } from './fixture-steps';
import { transportScripts } from './pool-fixture';

describe('one session: node-powershell defaults fixed', () => {
  const scripts = transportScripts();
  const executable = resolveExecutable({ ...process.env, CLOUDTRUST_POWERSHELL: 'pwsh' });
  const start = () => PowerShellSession.start(executable, scripts, { timeoutMs: 60_000 });

  test('the process is started with -NoProfile and -NonInteractive', async () => {
    const session = await start();
    try {
      const outcome = await session.call(fixtures.commandLine.id, {}, { timeoutMs: 10_000 });
      expect(outcome.envelope.result).toEqual({ arguments: expect.arrayContaining(['-NoProfile', '-NonInteractive']) });
      expect(session.hostInfo).toMatchObject({ edition: 'Core', psVersion: expect.stringMatching(/^7\./) });
    } finally {
      await session.dispose();
    }
  });

  test('no command history is retained, in node-powershell or in PowerShell (it would hold every argument, secrets included)', async () => {
    const session = await start();
    try {
      const args = { Text: 'x', Credential: { __pscredential: { userName: 'admin@corp', password: 'S3cret-Pa55' } } };
      await session.call('diagnostics.check-echo', args, { timeoutMs: 10_000 });
      const history = (session as unknown as { shell: { history: unknown[] } }).shell.history;
      expect(history).toHaveLength(0);
      const outcome = await session.call(fixtures.history.id, {}, { timeoutMs: 10_000 });
      const { commandLines } = outcome.envelope.result as { commandLines: string[] };
      expect(commandLines.filter((line) => line.includes('Invoke-CloudtrustStep') || line.includes(toBase64Json(args)))).toEqual([]);
    } finally {
      await session.dispose();
    }
  });

  test('secrets are masked in error text the host sends back', async () => {
    const session = await start();
    try {
      const outcome = await session.call(
        fixtures.fail.id,
        { Message: 'logon failure for admin@corp with password S3cret-Pa55', Category: 'AuthenticationError', ErrorId: 'LogonFailure' },
        { timeoutMs: 10_000, secrets: ['S3cret-Pa55'] },
      );
      expect(outcome.envelope.errors[0].message).toBe('logon failure for admin@corp with password ***');
    } finally {
      await session.dispose();
    }
  });

  test('NODE_POWERSHELL cannot silently override the configured executable', async () => {
    process.env.NODE_POWERSHELL = '/bin/sh';
    try {
      await expect(start()).rejects.toThrow(/NODE_POWERSHELL is set/);
    } finally {
      delete process.env.NODE_POWERSHELL;
    }
  });

  test('a script whose file changed since review is refused at start', async () => {
    const tampered = scripts.map((s) => (s.id === 'diagnostics.check-echo' ? { ...s, sha256: '0'.repeat(64) } : s));
    await expect(PowerShellSession.start(executable, tampered, { timeoutMs: 60_000 })).rejects.toThrow(/diagnostics\.check-echo: content differs/);
  });

  test('a helper module whose file changed since review is refused at start', async () => {
    const tampered = hostModules().map((m) => (m.name === 'Cloudtrust.GroupPolicy' ? { ...m, sha256: '0'.repeat(64) } : m));
    await expect(PowerShellSession.start(executable, scripts, { timeoutMs: 60_000, modules: tampered })).rejects.toThrow(
      /module Cloudtrust\.GroupPolicy: content differs from the reviewed version \(sha256 mismatch\)/,
    );
  });

  test('the helper modules are loaded at start', async () => {
    const session = await start();
    try {
      expect(session.hostInfo).toMatchObject({ modules: hostModules().length });
    } finally {
      await session.dispose();
    }
  });
});
