import { COMMANDS } from '../../cli/commands';
import { resolveInvocation } from '../../cli/invocation';
import type { Io } from '../../cli/io';
import { LiveRegion } from '../../cli/live/region';
import { rolloutView } from '../../cli/render/rollout-view';
import { createStyle } from '../../cli/style';
import { UsageError } from '../../cli/usage-error';
import type { RolloutReport } from '../../model/report-types';

/** The parts of the CLI a child process cannot show: argument resolution, and the live table on a terminal. */

describe('resolving the command line', () => {
  test('global flags may come before the command and between a family and its subcommand', () => {
    const before = resolveInvocation(['--json', 'list', '--kind', 'plan'], COMMANDS);
    expect(before).toMatchObject({ kind: 'run', command: { name: 'list' } });
    if (before.kind === 'run') expect(before.input.strings('kind')).toEqual(['plan']);
    expect(resolveInvocation(['schedule', '--json', 'delete', 'nightly'], COMMANDS)).toMatchObject({ kind: 'run', command: { name: 'schedule delete' } });
  });

  test("a command's option before the command is a usage error", () => {
    expect(() => resolveInvocation(['--ring', 'pilot', 'approve', 'x'], COMMANDS)).toThrow(new UsageError("--ring is not a global option: put a command's options after the command"));
  });

  test('help topics: a command, a family, --help anywhere', () => {
    expect(resolveInvocation(['help', 'lab'], COMMANDS)).toEqual({ kind: 'help', topic: ['lab'], bare: false });
    expect(resolveInvocation(['lab', '--help'], COMMANDS)).toEqual({ kind: 'help', topic: ['lab'], bare: false });
    expect(resolveInvocation(['approve', '--help'], COMMANDS)).toEqual({ kind: 'help', topic: ['approve'], bare: false });
    expect(resolveInvocation([], COMMANDS)).toEqual({ kind: 'help', topic: [], bare: true });
  });
});

function fakeIo(columns: number): Io & { written: string[] } {
  const written: string[] = [];
  const plain = createStyle(false);
  return {
    written,
    json: false,
    debug: false,
    interactive: true,
    style: plain,
    out: (line = '') => written.push(`${line}\n`),
    err: () => undefined,
    warn: () => undefined,
    raw: (text) => written.push(text),
    emit: () => undefined,
    emitLine: () => undefined,
    columns: () => columns,
  };
}

describe('the live table on a terminal', () => {
  test('each frame erases the rows of the last one, wrapped lines included', () => {
    const io = fakeIo(10);
    const region = new LiveRegion(io);
    region.draw(['short', 'a line of 25 characters..']);
    region.draw(['next']);
    region.finish();
    expect(io.written[0]).toBe('\x1b[?25lshort\na line of 25 characters..\n');
    // 1 row + 3 rows (25 characters on a 10-column terminal).
    expect(io.written[1]).toBe('\x1b[4F\x1b[Jnext\n');
    expect(io.written[2]).toBe('\x1b[?25h');
  });

  const report = (change: Partial<RolloutReport>): RolloutReport => ({
    name: 'wave1',
    tenant: 't',
    mode: 'apply',
    specDigest: 'abc',
    state: 'waiting-approval',
    startedAt: '2026-01-01T00:00:00Z',
    host: [],
    conflicts: [],
    rings: [
      { name: 'pilot', status: 'completed', failures: 0, failureBudget: 0 },
      { name: 'broad', status: 'waiting-approval', failures: 0, failureBudget: 0 },
    ],
    domains: [
      { domain: 'corp.contoso.com', ring: 'pilot', channel: 'gpo', taskQueue: 'q', status: 'succeeded', step: 'clients.read-devices', findings: [], steps: [], startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:01:06Z' },
      { domain: 'emea.corp.contoso.com', ring: 'broad', channel: 'gpo', taskQueue: 'q', status: 'pending', findings: [], steps: [] },
    ],
    ...change,
  });

  test('a frame: state, rings, a row per domain, and the approve command while a ring waits', () => {
    const lines = rolloutView(report({}), 'cloudtrust:wave1', createStyle(false), { now: Date.parse('2026-01-01T00:02:00Z') });
    expect(lines).toEqual([
      'rollout wave1 (cloudtrust:wave1)  waiting-approval  2m00s',
      'rings: pilot completed · broad waiting-approval',
      'DOMAIN                 RING   STATUS     STEP                  ELAPSED',
      'corp.contoso.com       pilot  succeeded  clients.read-devices  1m05s',
      'emea.corp.contoso.com  broad  pending',
      'ring broad waits for approval; from another terminal run:',
      '  cloudtrust approve cloudtrust:wave1 --ring broad',
    ]);
  });

  test('a finished rollout asks nothing of anyone', () => {
    const lines = rolloutView(report({ state: 'halted', haltReason: 'ring broad was not approved within 24h', finishedAt: '2026-01-02T00:00:00Z' }), 'cloudtrust:wave1', createStyle(false));
    expect(lines[1]).toBe('  ring broad was not approved within 24h');
    expect(lines.join('\n')).not.toContain('cloudtrust approve');
  });
});
