import { buildBootstrapLine, buildCallLines, CALL_LINE_PATTERN, DATA_LINE_PATTERN, encodeFrame, extractEnvelope, newCallId, toBase64Json } from '../../activities/bridge/protocol';

describe('host protocol', () => {
  test('review row 9: a call is a command line of ids only, then the arguments as a data line of base64', () => {
    const hostile = `'; Remove-Item C:\\ -Recurse; "$(whoami)"\n\`n`;
    const args = toBase64Json({ Text: hostile, Credential: { __pscredential: { userName: 'a@b', password: 'S3cret' } } });
    const [command, data, ...rest] = buildCallLines(newCallId(), 'diagnostics.check-echo', args).split('\n');
    expect(rest).toEqual([]);
    expect(command).toMatch(/^Invoke-CloudtrustStep -CallId '[0-9a-f]{24}' -ScriptId 'diagnostics\.check-echo'$/);
    expect(command).toMatch(CALL_LINE_PATTERN);
    expect(command).not.toContain(args);
    expect(data).toBe(`#${args}`);
    expect(data).toMatch(DATA_LINE_PATTERN);
    expect(data).not.toContain('Remove-Item');
  });

  test('ids outside the allowed alphabet are refused before anything is built', () => {
    expect(() => buildCallLines(newCallId(), "echo'; rm -rf /", '')).toThrow(/script id/);
    expect(() => buildCallLines('short', 'diagnostics.check-echo', '')).toThrow(/call id/);
    expect(() => buildCallLines(newCallId(), 'diagnostics.check-echo', "abc'; x")).toThrow(/arguments/);
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
