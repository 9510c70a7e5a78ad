import { buildBootstrapLine, buildCallLine, encodeFrame, extractEnvelope, newCallId, toBase64Json } from '../../activities/bridge/protocol';

describe('host protocol', () => {
  test('a call is one line of fixed text plus base64; values never appear in it', () => {
    const hostile = `'; Remove-Item C:\\ -Recurse; "$(whoami)"\n\`n`;
    const line = buildCallLine(newCallId(), 'diagnostics.echo', toBase64Json({ Text: hostile }));
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).not.toContain('Remove-Item');
    expect(line).toMatch(/^Invoke-CloudtrustStep -CallId '[0-9a-f]{24}' -ScriptId 'diagnostics\.echo' -ArgumentsBase64 '[A-Za-z0-9+/=]+'$/);
  });

  test('ids outside the allowed alphabet are refused before anything is built', () => {
    expect(() => buildCallLine(newCallId(), "echo'; rm -rf /", '')).toThrow(/script id/);
    expect(() => buildCallLine('short', 'diagnostics.echo', '')).toThrow(/call id/);
    expect(() => buildCallLine(newCallId(), 'diagnostics.echo', "abc'; x")).toThrow(/arguments/);
    expect(() => buildBootstrapLine('x', newCallId(), [{ id: 'Bad Id', path: '/x', sha256: '0' }])).toThrow(/script id/);
    expect(() => buildBootstrapLine('x', newCallId(), [], [{ name: "Bad'Name", path: '/x', sha256: '0' }])).toThrow(/module name/);
  });

  test('the bootstrap is a single line', () => {
    expect(buildBootstrapLine('line1\nline2\r\n', newCallId(), [])).not.toMatch(/[\r\n]/);
  });

  test('the envelope is found among noise and frames of other calls', () => {
    const id = newCallId();
    const output = `banner\n${encodeFrame(newCallId(), { other: true })}\nPS> ${encodeFrame(id, { mine: 'Zoë' })} trailing`;
    expect(extractEnvelope(output, id)).toEqual({ mine: 'Zoë' });
    expect(extractEnvelope('no frame here', id)).toBeUndefined();
  });
});
