import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApiError } from '../../api/errors';
import { startRolloutBody } from '../../api/schemas';
import { parseInput } from '../../api/validation';
import { reservedKeyProblems } from '../../model/reserved-keys';
import { runCli } from './run-cli';

/**
 * `cloudtrust validate` and the API judge the same specs the same: one corpus, valid and invalid, through the CLI
 * (the built binary) and through the API's validation of POST /rollouts (its JSON parser's reserved-key check,
 * then the body schema: what every request passes before a rollout starts), compared by verdict and problem paths.
 */
const CORPUS = path.join(__dirname, '..', 'fixtures', 'spec-corpus');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const where = (problem: string) => problem.slice(0, problem.indexOf(': '));

function apiProblems(spec: unknown): string[] {
  const body = JSON.parse(JSON.stringify({ mode: 'plan', spec })) as unknown;
  const reserved = reservedKeyProblems(body);
  if (reserved.length > 0) return reserved;
  try {
    parseInput(startRolloutBody, body, 'body');
    return [];
  } catch (error) {
    if (error instanceof ApiError) return error.options.problems ?? [];
    throw error;
  }
}

describe('validate and the API agree', () => {
  test('the corpus holds valid and invalid specs', () => {
    expect(files.filter((f) => f.startsWith('valid-')).length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.startsWith('invalid-')).length).toBeGreaterThanOrEqual(5);
  });

  test.each(files)('%s: same verdict, same problem paths', async (file) => {
    const cli = await runCli(['validate', path.join(CORPUS, file), '--json']);
    const cliProblems = cli.code === 0 ? [] : ((JSON.parse(cli.stderr) as { error: { problems: string[] } }).error.problems ?? []);
    expect(cli.code).toBe(file.startsWith('valid-') ? 0 : 3);
    const api = apiProblems(parseYaml(readFileSync(path.join(CORPUS, file), 'utf8')));
    // The CLI names the spec's own level (root); the API names it spec.
    expect(api.map(where).map((p) => p.replace(/^spec(\.|$)/, '') || '(root)').sort()).toEqual(cliProblems.map(where).sort());
    expect(api.length === 0).toBe(cli.code === 0);
  });
});
