import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createDataConverter } from '../../worker/data-converter';

/**
 * Saved histories of real runs replay against today's workflow code. A change that would alter what an existing
 * execution does must be guarded with patched() — otherwise this fails with a nondeterminism error.
 */
const dir = path.join(__dirname, '..', 'histories');
const workflowIds = JSON.parse(readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8')) as Record<string, string>;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');

describe('replay of saved histories', () => {
  test('there are histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => !workflowIds[f])).toEqual([]);
  });

  test.each(files)('%s replays without nondeterminism', async (file) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await Worker.runReplayHistory(
      { workflowsPath: require.resolve('../../workflows'), dataConverter: createDataConverter() },
      history,
      workflowIds[file],
    );
  });
});
