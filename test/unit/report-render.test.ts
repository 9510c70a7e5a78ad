import { escapeHtml, escapeMarkdownCell, renderHtml, renderMarkdown } from '../../model/report-render';
import type { RolloutReport, StepRecord } from '../../model/report-types';
import { runbookMarkdown } from '../../cli/render/runbook-view';

const HOSTILE = 'eve | admin\nrow two\r\nrow three <img src=x onerror=alert(1)> & "quoted" \'single\'';

function step(over: Partial<StepRecord> = {}): StepRecord {
  return { step: 'link-gpo', status: 'ok', changed: true, planOnly: false, changes: [], warnings: [], startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', ...over };
}

function report(): RolloutReport {
  return {
    name: 'wave1',
    tenant: '00000000-0000-0000-0000-000000000000',
    mode: 'apply',
    specDigest: 'abcdef0123456789',
    state: 'halted',
    haltReason: `cancelled: ${HOSTILE}`,
    startedAt: '2026-01-01T00:00:00Z',
    host: [step({ step: 'module', changes: [HOSTILE] })],
    conflicts: [{ severity: 'warning', code: 'test', message: HOSTILE }],
    rings: [{ name: 'pilot', status: 'completed', failures: 0, failureBudget: 1, approvedBy: HOSTILE }],
    domains: [
      {
        domain: 'corp.contoso.com',
        ring: 'pilot',
        channel: 'gpo',
        taskQueue: 'cloudtrust',
        status: 'failed',
        findings: [],
        steps: [step({ status: 'failed', error: { type: 'GpoError', message: HOSTILE }, warnings: [HOSTILE], detail: 'C:\\Windows\\SYSVOL \\| x' })],
      },
    ],
  };
}

/** The cells of a GFM table row: split at pipes that no backslash escapes. */
function cells(row: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      current += row[i] + row[i + 1];
      i++;
    } else if (row[i] === '|') {
      parts.push(current);
      current = '';
    } else current += row[i];
  }
  parts.push(current);
  return parts.slice(1, -1).map((c) => c.trim());
}

describe('escapeMarkdownCell', () => {
  test('a pipe cannot end the cell, a line break cannot end the row, a < cannot open a tag', () => {
    expect(escapeMarkdownCell('a | b')).toBe('a \\| b');
    expect(escapeMarkdownCell('one\ntwo\r\nthree\rfour\u2028five')).toBe('one<br>two<br>three<br>four<br>five');
    expect(escapeMarkdownCell('<script>')).toBe('&lt;script>');
  });

  test('backslashes right before a pipe are doubled so they cannot un-escape it; others stay', () => {
    expect(escapeMarkdownCell('a\\|b')).toBe('a\\\\\\|b');
    expect(escapeMarkdownCell('a\\\\|b')).toBe('a\\\\\\\\\\|b');
    expect(escapeMarkdownCell('C:\\Windows\\SYSVOL')).toBe('C:\\Windows\\SYSVOL');
    expect(cells(`| ${escapeMarkdownCell('x\\|y')} | z |`)).toHaveLength(2);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report());
  const lines = md.split('\n');

  test('free text in table cells keeps every row one line with its columns', () => {
    const ringRow = lines[lines.indexOf('| ring | status | failures / budget | approved by |') + 2];
    expect(cells(ringRow)).toEqual(['pilot', 'completed', '0 / 1', expect.stringContaining('eve \\| admin<br>row two<br>row three &lt;img')]);
    const stepRows = lines.filter((l) => l.startsWith('| link-gpo') || l.startsWith('| module'));
    expect(stepRows).toHaveLength(2);
    for (const row of stepRows) expect(cells(row)).toHaveLength(3);
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/\nrow two/);
  });

  test('the halt reason and findings stay on their line', () => {
    expect(lines.find((l) => l.startsWith('- state:'))).toContain('cancelled: eve \\| admin<br>row two');
    expect(lines.filter((l) => l.startsWith('- **warning**'))).toHaveLength(1);
  });
});

describe('renderHtml', () => {
  test('every value is escaped', () => {
    const html = renderHtml(report());
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"quoted"');
    expect(html).toContain(`<td>${escapeHtml(HOSTILE)}</td>`);
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });
});

describe('runbookMarkdown', () => {
  test('step errors stay in their cell', () => {
    const md = runbookMarkdown(
      {
        runbook: 'rollback',
        name: 'wave1',
        tenant: 't',
        mode: 'plan',
        request: 'roll back\nnow',
        state: 'completed',
        startedAt: '2026-01-01T00:00:00Z',
        domains: [{ domain: 'corp.contoso.com', channel: 'gpo', taskQueue: 'q', status: 'failed', steps: [step({ status: 'failed', error: { type: 'E', message: HOSTILE } })] }],
      },
      'cloudtrust:rollback',
    );
    const row = md.split('\n').find((l) => l.startsWith('| corp.contoso.com'))!;
    expect(cells(row)).toHaveLength(3);
    expect(md).toContain('- request: roll back<br>now');
    expect(md).not.toContain('<img');
  });
});

describe('client verification in the report', () => {
  const withClients = (): RolloutReport => {
    const r = report();
    r.domains[0].steps = [
      step({
        step: 'clients.read-devices',
        changed: false,
        clients: [
          { name: 'WS-001', assessment: 'cloud-kerberos-trust', describes: 'signed-in user CORP\\anna', reasons: ['OnPremTgt YES'] },
          { name: 'WS-002', assessment: 'key-trust-fallback', describes: 'signed-in user CORP\\ben', reasons: ['OnPremTgt NO and CertEnrollment none', HOSTILE] },
        ],
      }),
    ];
    return r;
  };

  test('Markdown: a row per device with its verdict, whose state it describes and why', () => {
    const rows = renderMarkdown(withClients()).split('\n').filter((l) => l.startsWith('| WS-'));
    expect(rows.map(cells)).toEqual([
      ['WS-001', 'cloud-kerberos-trust', 'signed-in user CORP\\anna', 'OnPremTgt YES'],
      ['WS-002', 'key-trust-fallback', 'signed-in user CORP\\ben', `OnPremTgt NO and CertEnrollment none<br>${escapeMarkdownCell(HOSTILE)}`],
    ]);
  });

  test('HTML: the same table, every value escaped', () => {
    const html = renderHtml(withClients());
    expect(html).toContain('<h4>Client verification</h4>');
    expect(html).toContain('<td>WS-002</td><td>key-trust-fallback</td><td>signed-in user CORP\\ben</td>');
    expect(html).not.toContain('<img');
  });

  test('a report without sampled devices has no such table', () => {
    expect(renderMarkdown(report())).not.toContain('Client verification');
  });
});
